#pragma once
// TunePanel: the schedule search in the window. The user sets a FLOPs budget, a method, the calibration data
// and a time limit, starts the search (TuneWorker, on its own thread) and watches the candidates arrive on a
// plot of objective against FLOPs reduction (TunePlot) with the Pareto front, the paper's presets and the
// schedule in the editor marked. A click picks a candidate; "Apply" loads it into the schedule editor as one
// undoable step, and every view follows. Stop takes effect within a fraction of a second; Continue resumes
// the stopped search where it was (its state is kept in the cache folder).
#include <QSharedPointer>
#include <QThread>
#include <QWidget>
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/gui/ReductionWorker.h"
#include "app/gui/TuneWorker.h"
#include "core/tune/FlopsBudget.h"
#include "core/tune/TuneCandidate.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;

namespace ssmlens {

class TunePlot;

class TunePanel : public QWidget {
    Q_OBJECT
public:
    explicit TunePanel(QWidget* parent = nullptr);
    ~TunePanel() override;

    // The window's model: a search of another model is stopped and its results cleared.
    void setModel(const ModelFacts& facts);
    // The schedule in the editor, marked on the plot (a star once it is scored).
    void setEditorSchedule(const ReductionSchedule& schedule);

    void start();      // a new search with the panel's settings
    void resume();     // continue the stopped search
    void stop();
    bool running() const { return running_; }
    void setBudget(double percent);
    void setTimeLimit(int seconds);
    void setMaxEvaluations(int count);  // 0: no limit (the time limit applies)
    void setCalibrationFiles(const QStringList& files);  // empty: the demo model's data
    void selectCandidate(int index);
    bool applySelected();  // emits applyRequested; false when nothing is selected

    const std::vector<TuneCandidate>& candidates() const { return candidates_; }
    int bestIndex() const { return best_; }
    int selectedIndex() const { return selected_; }
    TunePlot* plot() const { return plot_; }
    QString statusText() const;

Q_SIGNALS:
    void applyRequested(const ssmlens::ReductionSchedule& schedule);
    void searchFinished();
    void candidateAdded();

private:
    void launch(bool resume);
    void showSetup(quint64 id, const TuneSetupInfo& info);
    void addCandidate(quint64 id, QSharedPointer<const TuneCandidate> c);
    void showPhase(quint64 id, const QString& text, qint64 done, qint64 total);
    void finish(quint64 id, int stop);
    void fail(quint64 id, const QString& message);
    void redraw();
    void updateCurrentMarker();
    void updateDetails();
    void updateButtons();
    void chooseFiles();
    QString stateFile() const;

    QThread thread_;
    TuneWorker* worker_;
    ModelFacts model_;
    bool modelReady_ = false;
    quint64 id_ = 0;
    bool running_ = false, canResume_ = false;
    std::shared_ptr<std::atomic<bool>> cancel_;
    std::vector<TuneCandidate> candidates_;
    std::map<std::string, double> scored_;  // schedule key -> objective, for the editor's marker
    int best_ = -1, selected_ = -1;
    bool selectionFollowsBest_ = true;
    double target_ = 25;
    std::optional<FlopsBudget> budget_;  // on the calibration lengths of the last search
    ReductionSchedule editor_;
    QStringList files_;

    QSlider* budgetSlider_;
    QDoubleSpinBox* budgetSpin_;
    QComboBox* method_;
    QCheckBox* searchOptions_;
    QComboBox* data_;
    QLabel* dataFiles_;
    QSpinBox* timeLimit_;
    QSpinBox* maxEvals_;
    QSpinBox* seed_;
    QPushButton* startButton_;
    QPushButton* stopButton_;
    QPushButton* resumeButton_;
    QPushButton* applyButton_;
    QProgressBar* progress_;
    QLabel* status_;
    QLabel* details_;
    TunePlot* plot_;
};

}  // namespace ssmlens
