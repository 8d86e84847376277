#pragma once
// AccuracyPanel: the accuracy check of the current schedule. Pick a task and its data (the demo model's
// held-out sets, the bundled samples, or the user's file), run it dense and reduced with progress and
// cancel, see bars per task; run a sweep over keep ratios for the accuracy-against-FLOPs plot with the
// current schedule marked; export the results as CSV. Work goes to the ReductionWorker's thread.
#include <QSharedPointer>
#include <QWidget>
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "app/gui/ReductionWorker.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace ssmlens {

class AccuracyBars;
class AccuracySweepPlot;

class AccuracyPanel : public QWidget {
    Q_OBJECT
public:
    // currentSchedule: asked when a check starts. The worker must live on another thread.
    AccuracyPanel(ReductionWorker* worker, std::function<ReductionSchedule()> currentSchedule,
                  QWidget* parent = nullptr);

    void setModelReady(bool ready);
    void runCheck();   // dense and reduced on the selected task
    void runSweep();   // keep ratios 1, 0.9, ... 0.5 of the current method
    void cancel();
    int barCount() const;
    int sweepSeriesCount() const;
    const std::vector<QSharedPointer<const EvalResult>>& results() const { return results_; }
    void setResults(const std::vector<QSharedPointer<const EvalResult>>& results);  // e.g. from a session
    QString csv() const;  // the results shown, one row per (task, metric)
    QComboBox* scoringCombo() const { return scoring_; }
    QString exportCsv(const QString& path) const;  // error message, empty on success
    AccuracyBars* bars() const { return bars_; }
    AccuracySweepPlot* sweepPlot() const { return sweepPlot_; }

Q_SIGNALS:
    void resultsChanged();
    void failed(const QString& message);

private:
    bool chooseTask(QString& task, QString& path);
    void start(quint64 id, const QString& what);
    void finish();
    void showResult(quint64 id, QSharedPointer<const EvalResult> result);
    void showSweep(quint64 id, QSharedPointer<const SweepPoints> points);
    void showFailure(quint64 id, const QString& message);
    void redrawBars();
    void markCurrentOnSweep();

    ReductionWorker* worker_;
    std::function<ReductionSchedule()> currentSchedule_;
    bool modelReady_ = false;
    quint64 id_ = 0;
    std::shared_ptr<std::atomic<bool>> cancel_;
    std::vector<QSharedPointer<const EvalResult>> results_;  // latest per task
    QSharedPointer<const SweepPoints> sweep_;

    QComboBox* task_;
    QSpinBox* limit_;
    QComboBox* scoring_;  // ScoringMode: correct, or as the paper's evaluation read it
    QPushButton* run_;
    QPushButton* sweepButton_;
    QPushButton* cancelButton_;
    QProgressBar* progress_;
    QLabel* status_;
    QTabWidget* tabs_;
    AccuracyBars* bars_;
    AccuracySweepPlot* sweepPlot_;
};

// The task a file name suggests (lambada_test.jsonl -> lambada_openai, ...); "" when none.
QString taskForFileName(const QString& fileName);

}  // namespace ssmlens
