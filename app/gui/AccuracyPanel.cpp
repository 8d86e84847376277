#include "app/gui/AccuracyPanel.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QTabWidget>
#include <cmath>

#include "core/eval/EvalTask.h"
#include "core/runtime/DemoModel.h"
#include "widgets/AccuracyBars.h"
#include "widgets/AccuracySweepPlot.h"

namespace ssmlens {

QString taskForFileName(const QString& name) {
    if (name.startsWith("lambada")) return "lambada_openai";
    if (name.startsWith("hellaswag")) return "hellaswag";
    if (name.startsWith("ARC-Easy")) return "arc_easy";
    if (name.startsWith("ARC-Challenge")) return "arc_challenge";
    if (name.startsWith("dev") || name.startsWith("winogrande")) return "winogrande";
    if (name.startsWith("valid") || name.startsWith("piqa")) return "piqa";
    return {};
}

AccuracyPanel::AccuracyPanel(ReductionWorker* worker, std::function<ReductionSchedule()> currentSchedule,
                             QWidget* parent)
    : QWidget(parent), worker_(worker), currentSchedule_(std::move(currentSchedule)) {
    auto* layout = new QHBoxLayout(this);
    auto* controls = new QFormLayout;
    task_ = new QComboBox;
    // The demo model's held-out sets first, then the tiny bundled samples, then the user's own file.
    const QString resources = QString::fromStdString(resourcesDir());
    const QString demo = resources + "/demo-model/eval";
    for (const QString& t : {QStringLiteral("lambada_openai"), QStringLiteral("hellaswag")})
        if (QDir(demo + "/" + t).exists())
            task_->addItem(tr("%1 (demo held-out set)").arg(t), QStringList{t, demo + "/" + t});
    for (const QString& t : {QStringLiteral("lambada_openai"), QStringLiteral("piqa")})
        if (QDir(resources + "/eval-samples/" + t).exists())
            task_->addItem(tr("%1 (tiny bundled sample)").arg(t), QStringList{t, resources + "/eval-samples/" + t});
    task_->addItem(tr("Choose a data file…"), QStringList{});
    task_->setToolTip(tr("Zero-shot task, scored as lm-evaluation-harness v0.4 does"));
    controls->addRow(tr("Task:"), task_);
    limit_ = new QSpinBox;
    limit_->setRange(0, 100000);
    limit_->setSpecialValueText(tr("all"));
    limit_->setToolTip(tr("Score only the first N examples (0: all)"));
    controls->addRow(tr("Examples:"), limit_);
    scoring_ = new QComboBox;
    scoring_->addItem(tr("correct: each position found among the survivors"), int(ScoringMode::Correct));
    scoring_->addItem(tr("as the paper's evaluation: counted from the shortened end"), int(ScoringMode::Paper));
    scoring_->setToolTip(tr("How the reduced pass is read. Correct scoring takes the log-probabilities of the "
                            "positions that predict the answer; the paper's evaluation (lm-evaluation-harness over "
                            "the authors' code) pads batches of 96 and slices the shortened output as if it had "
                            "kept its length, so it can read other positions (counted as misread)."));
    controls->addRow(tr("Scoring:"), scoring_);
    auto* buttons = new QHBoxLayout;
    run_ = new QPushButton(tr("Run dense and reduced"));
    run_->setShortcut(QKeySequence(tr("Ctrl+R")));
    run_->setToolTip(tr("Score the task with the dense model and with the current schedule (Ctrl+R)"));
    sweepButton_ = new QPushButton(tr("Sweep"));
    sweepButton_->setToolTip(tr("Score keep ratios 1.0 to 0.5 (depth-scaled schedules of the current method) "
                                "for the accuracy-against-FLOPs plot"));
    cancelButton_ = new QPushButton(tr("Cancel"));
    cancelButton_->setEnabled(false);
    buttons->addWidget(run_);
    buttons->addWidget(sweepButton_);
    buttons->addWidget(cancelButton_);
    controls->addRow(buttons);
    progress_ = new QProgressBar;
    progress_->setValue(0);
    controls->addRow(tr("Progress:"), progress_);
    status_ = new QLabel;
    status_->setWordWrap(true);
    controls->addRow(status_);
    layout->addLayout(controls, 1);

    tabs_ = new QTabWidget;
    bars_ = new AccuracyBars;
    bars_->setMinimumHeight(200);
    sweepPlot_ = new AccuracySweepPlot;
    tabs_->addTab(bars_, tr("Dense vs reduced"));
    tabs_->addTab(sweepPlot_, tr("Accuracy vs FLOPs"));
    layout->addWidget(tabs_, 3);

    connect(run_, &QPushButton::clicked, this, &AccuracyPanel::runCheck);
    connect(sweepButton_, &QPushButton::clicked, this, &AccuracyPanel::runSweep);
    connect(cancelButton_, &QPushButton::clicked, this, &AccuracyPanel::cancel);
    connect(worker_, &ReductionWorker::evalFinished, this, &AccuracyPanel::showResult);
    connect(worker_, &ReductionWorker::sweepFinished, this, &AccuracyPanel::showSweep);
    connect(worker_, &ReductionWorker::evalFailed, this, &AccuracyPanel::showFailure);
    connect(worker_, &ReductionWorker::evalProgress, this, [this](quint64 id, qint64 done, qint64 total) {
        if (id != id_) return;
        progress_->setMaximum(int(total));
        progress_->setValue(int(done));
    });
}

void AccuracyPanel::setModelReady(bool ready) { modelReady_ = ready; }

bool AccuracyPanel::chooseTask(QString& task, QString& path) {
    if (!modelReady_) {
        status_->setText(tr("Open a model first"));
        return false;
    }
    QStringList choice = task_->currentData().toStringList();
    if (choice.isEmpty()) {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("Choose a task file (lambada_test.jsonl, hellaswag_val.jsonl, valid.jsonl, ARC-*.jsonl, dev.jsonl)"));
        if (file.isEmpty()) return false;
        const QString guessed = taskForFileName(QFileInfo(file).fileName());
        if (guessed.isEmpty()) {
            status_->setText(tr("%1: the task is not clear from the file name; rename it as distributed "
                                "(e.g. lambada_test.jsonl)").arg(file));
            return false;
        }
        choice = {guessed, file};
    }
    task = choice[0];
    path = choice[1];
    return true;
}

void AccuracyPanel::start(quint64 id, const QString& what) {
    id_ = id;
    run_->setEnabled(false);
    sweepButton_->setEnabled(false);
    cancelButton_->setEnabled(true);
    progress_->setValue(0);
    status_->setText(what);
}

void AccuracyPanel::finish() {
    run_->setEnabled(true);
    sweepButton_->setEnabled(true);
    cancelButton_->setEnabled(false);
}

void AccuracyPanel::runCheck() {
    EvalRequest r;
    QString task, path;
    if (!chooseTask(task, path)) return;
    r.id = id_ + 1;
    r.task = task;
    r.dataPath = path;
    r.limit = limit_->value();
    r.schedule = currentSchedule_();
    r.scoring = static_cast<ScoringMode>(scoring_->currentData().toInt());
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    r.cancel = cancel_;
    start(r.id, tr("Scoring %1…").arg(task));
    QMetaObject::invokeMethod(worker_, [w = worker_, r] { w->evaluate(r); }, Qt::QueuedConnection);
}

void AccuracyPanel::runSweep() {
    SweepRequest r;
    QString task, path;
    if (!chooseTask(task, path)) return;
    r.id = id_ + 1;
    r.task = task;
    r.dataPath = path;
    r.limit = limit_->value();
    r.method = currentSchedule_().method;
    r.scoring = static_cast<ScoringMode>(scoring_->currentData().toInt());
    r.keepRatios = {1.0, 0.9, 0.8, 0.7, 0.6, 0.5};
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    r.cancel = cancel_;
    start(r.id, tr("Sweeping %1 over keep ratios 1.0 to 0.5…").arg(task));
    tabs_->setCurrentWidget(sweepPlot_);
    QMetaObject::invokeMethod(worker_, [w = worker_, r] { w->sweep(r); }, Qt::QueuedConnection);
}

void AccuracyPanel::cancel() {
    if (cancel_) cancel_->store(true);
}

void AccuracyPanel::showResult(quint64 id, QSharedPointer<const EvalResult> result) {
    if (id != id_) return;
    finish();
    results_.erase(std::remove_if(results_.begin(), results_.end(),
                                  [&](const auto& r) { return r->task == result->task; }),
                   results_.end());
    results_.push_back(result);
    redrawBars();
    const auto& s = result->summary;
    if (result->reduced && result->scoring == ScoringMode::Paper)
        status_->setText(tr("%1: %2 examples, scored as the paper's evaluation; %3 requests read other positions "
                            "than those that predict the answer")
                             .arg(QString::fromStdString(result->task))
                             .arg(s.examples)
                             .arg(s.misreadRequests));
    else
        status_->setText(tr("%1: %2 examples; %3 could not be scored under reduction")
                             .arg(QString::fromStdString(result->task))
                             .arg(s.examples)
                             .arg(s.unscorableExamples));
    tabs_->setCurrentWidget(bars_);
    markCurrentOnSweep();
    Q_EMIT resultsChanged();
}

void AccuracyPanel::setResults(const std::vector<QSharedPointer<const EvalResult>>& results) {
    results_ = results;
    redrawBars();
    markCurrentOnSweep();
}

void AccuracyPanel::redrawBars() {
    std::vector<AccuracyBar> bars;
    for (const auto& r : results_)
        for (const auto& m : r->summary.metrics)
            if (m.metric != EvalMetric::Perplexity)
                bars.push_back({QString::fromStdString(r->task + " " + evalMetricName(m.metric)), m.dense, m.reduced});
    if (results_.empty()) {
        bars_->setData({}, QString());
        return;
    }
    const auto& last = results_.back();
    bars_->setData(bars, tr("Accuracy, dense and with %1 (%2 anchors): %3% fewer FLOPs")
                             .arg(QString::fromStdString(methodName(last->schedule.method)))
                             .arg(last->schedule.anchors.size())
                             .arg(last->summary.flopsReductionPercent, 0, 'f', 1));
}

void AccuracyPanel::showSweep(quint64 id, QSharedPointer<const SweepPoints> points) {
    if (id != id_) return;
    finish();
    sweep_ = points;
    std::map<QString, SweepSeries> series;
    for (const auto& p : *points)
        for (const auto& m : p.summary.metrics) {
            if (m.metric == EvalMetric::Perplexity) continue;
            const QString label = QString::fromStdString(p.task + " " + evalMetricName(m.metric));
            SweepSeries& s = series[label];
            s.label = label;
            s.flopsReductionPercent.push_back(p.keepRatio >= 1.0 ? 0.0 : p.summary.flopsReductionPercent);
            s.accuracy.push_back(p.keepRatio >= 1.0 ? m.dense : m.reduced);
            s.keepRatio.push_back(p.keepRatio);
        }
    std::vector<SweepSeries> list;
    for (auto& [label, s] : series) list.push_back(s);
    sweepPlot_->setSeries(list);
    markCurrentOnSweep();
    status_->setText(tr("Sweep done: %1 keep ratios").arg(points->empty() ? 0 : int(points->size())));
    Q_EMIT resultsChanged();
}

void AccuracyPanel::markCurrentOnSweep() {
    std::vector<SweepMarker> markers;
    for (const auto& r : results_)
        for (const auto& m : r->summary.metrics)
            if (m.metric != EvalMetric::Perplexity && std::isfinite(m.reduced))
                markers.push_back({QString::fromStdString(r->task + " " + evalMetricName(m.metric)),
                                   r->summary.flopsReductionPercent, m.reduced});
    sweepPlot_->setCurrent(markers);
}

void AccuracyPanel::showFailure(quint64 id, const QString& message) {
    if (id != id_) return;
    finish();
    status_->setText(message);
    Q_EMIT failed(message);
}

int AccuracyPanel::barCount() const { return bars_->barCount(); }
int AccuracyPanel::sweepSeriesCount() const { return sweepPlot_->seriesCount(); }

QString AccuracyPanel::csv() const {
    QString out = "task,metric,dense,reduced,difference,token_reduction_pct,flops_reduction_pct,examples,"
                  "unscorable_examples,method,anchors,scoring,misread_requests\n";
    for (const auto& r : results_)
        for (const auto& m : r->summary.metrics)
            out += QString("%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11,%12,%13\n")
                       .arg(QString::fromStdString(r->task), QString::fromStdString(evalMetricName(m.metric)))
                       .arg(m.dense, 0, 'g', 8)
                       .arg(m.reduced, 0, 'g', 8)
                       .arg(m.reduced - m.dense, 0, 'g', 8)
                       .arg(r->summary.tokenReductionPercent, 0, 'f', 3)
                       .arg(r->summary.flopsReductionPercent, 0, 'f', 3)
                       .arg(r->summary.examples)
                       .arg(r->summary.unscorableExamples)
                       .arg(QString::fromStdString(methodName(r->schedule.method)))
                       .arg(r->schedule.anchors.size())
                       .arg(QString::fromStdString(scoringModeName(r->scoring)))
                       .arg(r->summary.misreadRequests);
    if (sweep_) out += "\n" + QString::fromStdString(sweepToCsv(*sweep_));
    return out;
}

QString AccuracyPanel::exportCsv(const QString& path) const {
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text)) return tr("%1: cannot write (%2)").arg(path, f.errorString());
    f.write(csv().toUtf8());
    if (!f.commit()) return tr("%1: cannot write (%2)").arg(path, f.errorString());
    return {};
}

}  // namespace ssmlens
