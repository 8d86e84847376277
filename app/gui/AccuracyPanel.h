#pragma once
// AccuracyPanel: the accuracy check of the current schedule. Pick a task and its data (the demo model's
// held-out sets, the bundled samples, or the user's file), run it dense and reduced with progress and
// cancel, see bars per task; run a sweep over keep ratios for the accuracy-against-FLOPs plot with the
// current schedule marked; export the results as CSV. Work goes to the ReductionWorker's thread.
//
// Every result says what it was computed for (model, dtype, device, schedule, examples); when the window's
// model or schedule changes, results computed for others are marked out of date (hatched bars, a note)
// and the sweep's "current schedule" star is drawn only for results of the current schedule and model.
// Cancel stops the worker within a layer's time and resets the progress.
#include <QSharedPointer>
#include <QWidget>
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "app/gui/WorkerMessages.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace ssmlens {

class AccuracyBars;
class AccuracySweepPlot;
class ReductionWorker;

class AccuracyPanel : public QWidget {
    Q_OBJECT
public:
    // currentSchedule: asked when a check starts. The worker must live on another thread.
    AccuracyPanel(ReductionWorker* worker, std::function<ReductionSchedule()> currentSchedule,
                  QWidget* parent = nullptr);

    void setModelReady(bool ready);
    // The model and schedule the window has now: results computed for others are marked out of date.
    void setCurrentContext(const ModelFacts& model, const ReductionSchedule& schedule);
    void runCheck();   // dense and reduced on the selected task
    void runSweep();   // keep ratios 1, 0.9, ... 0.5 of the current method
    void cancel();
    bool isRunning() const;
    int barCount() const;
    int sweepSeriesCount() const;
    int progressValue() const;
    QString statusText() const;
    const std::vector<QSharedPointer<const EvalResult>>& results() const { return results_; }
    // e.g. from a session; computedFor: the model they were computed with (RunDescription::model).
    void setResults(const std::vector<QSharedPointer<const EvalResult>>& results, const QString& computedFor);
    bool resultsOutOfDate() const;  // some result was computed for another model or schedule
    QString computedForText() const;
    QString csv() const;  // the results shown, one row per (task, metric); empty when there are none
    QComboBox* scoringCombo() const { return scoring_; }
    QString exportCsv(const QString& path) const;  // error message, empty on success
    AccuracyBars* bars() const { return bars_; }
    AccuracySweepPlot* sweepPlot() const { return sweepPlot_; }

Q_SIGNALS:
    void resultsChanged();
    void failed(const QString& message);

protected:
    void changeEvent(QEvent* event) override;

private:
    bool chooseTask(QString& task, QString& path);
    void start(quint64 id, const QString& what);
    void finish();
    void showResult(quint64 id, QSharedPointer<const EvalResult> result);
    void showSweep(quint64 id, QSharedPointer<const SweepPoints> points);
    void showFailure(quint64 id, const QString& message);
    void showCancelled(quint64 id);
    void redraw();
    void retranslate();
    void fillTasks();

    ReductionWorker* worker_;
    std::function<ReductionSchedule()> currentSchedule_;
    bool modelReady_ = false;
    quint64 id_ = 0;
    bool running_ = false;
    std::shared_ptr<std::atomic<bool>> cancel_;
    std::vector<QSharedPointer<const EvalResult>> results_;  // latest per task
    std::vector<QString> resultModels_;                      // per result: the model it was computed with
    QSharedPointer<const SweepPoints> sweep_;
    QString sweepModel_;
    QString currentModel_;
    ReductionSchedule currentScheduleShown_;
    QString lastStatus_;  // untranslated state is re-rendered on a language change through redraw()

    QLabel* taskLabel_;
    QComboBox* task_;
    QLabel* limitLabel_;
    QSpinBox* limit_;
    QLabel* scoringLabel_;
    QComboBox* scoring_;  // ScoringMode: correct, or as the paper's evaluation read it
    QPushButton* run_;
    QPushButton* sweepButton_;
    QPushButton* cancelButton_;
    QLabel* progressLabel_;
    QProgressBar* progress_;
    QLabel* status_;
    QLabel* computedFor_;
    QTabWidget* tabs_;
    AccuracyBars* bars_;
    AccuracySweepPlot* sweepPlot_;
};

// The task a file name suggests (lambada_test.jsonl -> lambada_openai, ...); "" when none.
QString taskForFileName(const QString& fileName);

}  // namespace ssmlens
