#include "app/gui/AccuracyPanel.h"

#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSpinBox>
#include <QTabWidget>
#include <cmath>
#include <map>

#include "app/gui/ReductionWorker.h"
#include "app/gui/RunDescription.h"
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
    controls->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    task_ = new QComboBox;
    task_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    task_->setMinimumContentsLength(16);
    taskLabel_ = new QLabel;
    controls->addRow(taskLabel_, task_);
    limit_ = new QSpinBox;
    limit_->setRange(0, 100000);
    limitLabel_ = new QLabel;
    controls->addRow(limitLabel_, limit_);
    scoring_ = new QComboBox;
    // Short items that fit the dock in every language; each item's tooltip and the box's tooltip explain them.
    scoring_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    scoringLabel_ = new QLabel;
    controls->addRow(scoringLabel_, scoring_);
    auto* buttons = new QHBoxLayout;
    run_ = new QPushButton;
    run_->setShortcut(QKeySequence(QStringLiteral("Ctrl+R")));
    sweepButton_ = new QPushButton;
    cancelButton_ = new QPushButton;
    cancelButton_->setEnabled(false);
    buttons->addWidget(run_);
    buttons->addWidget(sweepButton_);
    buttons->addWidget(cancelButton_);
    controls->addRow(buttons);
    progress_ = new QProgressBar;
    progress_->setValue(0);
    progressLabel_ = new QLabel;
    controls->addRow(progressLabel_, progress_);
    status_ = new QLabel;
    status_->setWordWrap(true);
    computedFor_ = new QLabel;
    computedFor_->setWordWrap(true);
    computedFor_->setTextFormat(Qt::RichText);
    // The status and "Computed for" lines scroll on their own in whatever height the dock leaves: at its first-run
    // size (1600x1000) they need more lines than fit, and cutting them hides what a result was computed for. Only
    // these labels scroll, so the combo boxes above keep the widths they need in every language.
    auto* notes = new QWidget;
    auto* notesLayout = new QVBoxLayout(notes);
    notesLayout->setContentsMargins(0, 0, 0, 0);
    notesLayout->addWidget(computedFor_);  // first: what the result shown was computed for
    notesLayout->addWidget(status_);
    notesLayout->addStretch(1);
    auto* notesScroll = new QScrollArea;
    notesScroll->setWidget(notes);
    notesScroll->setWidgetResizable(true);
    notesScroll->setFrameShape(QFrame::NoFrame);
    notesScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    notesScroll->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    notesScroll->setMinimumHeight(status_->fontMetrics().lineSpacing() * 2);
    controls->addRow(notesScroll);
    layout->addLayout(controls, 1);

    tabs_ = new QTabWidget;
    bars_ = new AccuracyBars;
    // The dock starts at this panel's minimum (MainWindow asks for 180 px): a taller chart would take the height
    // the token strip and its grid need at 1600x1000. Dragging the dock's edge gives the chart more.
    bars_->setMinimumHeight(150);
    sweepPlot_ = new AccuracySweepPlot;
    tabs_->addTab(bars_, QString());
    tabs_->addTab(sweepPlot_, QString());
    layout->addWidget(tabs_, 3);

    connect(run_, &QPushButton::clicked, this, &AccuracyPanel::runCheck);
    connect(sweepButton_, &QPushButton::clicked, this, &AccuracyPanel::runSweep);
    connect(cancelButton_, &QPushButton::clicked, this, &AccuracyPanel::cancel);
    connect(worker_, &ReductionWorker::evalFinished, this, &AccuracyPanel::showResult);
    connect(worker_, &ReductionWorker::sweepFinished, this, &AccuracyPanel::showSweep);
    connect(worker_, &ReductionWorker::evalFailed, this, &AccuracyPanel::showFailure);
    connect(worker_, &ReductionWorker::evalCancelled, this, &AccuracyPanel::showCancelled);
    connect(worker_, &ReductionWorker::evalProgress, this, [this](quint64 id, qint64 done, qint64 total) {
        if (id != id_ || !running_ || (cancel_ && cancel_->load())) return;  // stale, or being cancelled
        progress_->setMaximum(int(total));
        progress_->setValue(int(done));
    });
    retranslate();
}

void AccuracyPanel::fillTasks() {
    // The demo model's held-out sets first, then the tiny bundled samples, then the user's own file.
    const int current = task_->currentIndex();
    task_->clear();
    const QString resources = QString::fromStdString(resourcesDir());
    const QString demo = resources + "/demo-model/eval";
    // Short items, so the box fits the dock in every language; the tooltip says what each one is.
    const auto addTask = [this](const QString& text, const QStringList& data, const QString& tip) {
        task_->addItem(text, data);
        task_->setItemData(task_->count() - 1, tip, Qt::ToolTipRole);
    };
    for (const QString& t : {QStringLiteral("lambada_openai"), QStringLiteral("hellaswag")})
        if (QDir(demo + "/" + t).exists())
            addTask(tr("%1 (demo model)").arg(t), {t, demo + "/" + t},
                    tr("The demo model's held-out set of %1: text it was not trained on").arg(t));
    for (const QString& t : {QStringLiteral("lambada_openai"), QStringLiteral("piqa")})
        if (QDir(resources + "/eval-samples/" + t).exists())
            addTask(tr("%1 (tiny sample)").arg(t), {t, resources + "/eval-samples/" + t},
                    tr("A tiny sample of %1 bundled with SSM Lens: a quick check, not a measurement").arg(t));
    addTask(tr("Choose a data file…"), {}, tr("A task file of your own in its JSONL form (lambada_test.jsonl, hellaswag_val.jsonl, valid.jsonl, ARC-*.jsonl, dev.jsonl)"));
    task_->setCurrentIndex(std::max(0, std::min(current, task_->count() - 1)));
}

void AccuracyPanel::retranslate() {
    fillTasks();
    task_->setToolTip(tr("Zero-shot task, scored as lm-evaluation-harness v0.4 does"));
    taskLabel_->setText(tr("Task:"));
    limitLabel_->setText(tr("Examples:"));
    limit_->setSpecialValueText(tr("all"));
    limit_->setToolTip(tr("Score only the first N examples (0: all)"));
    scoringLabel_->setText(tr("Scoring:"));
    // Items in ScoringMode order; the choice survives a change of language.
    const int scoring = std::max(0, scoring_->currentIndex());
    scoring_->clear();
    scoring_->addItem(tr("Correct"), int(ScoringMode::Correct));
    scoring_->setItemData(0, tr("Correct: each answer position is found among the tokens that survive the "
                                "reduction, and its log-probability is read there."), Qt::ToolTipRole);
    scoring_->addItem(tr("As in the paper"), int(ScoringMode::Paper));
    scoring_->setItemData(1, tr("As the paper's evaluation: positions are counted from the end of the shortened "
                                "output as if it had kept its length, so other positions can be read (counted as "
                                "misread)."), Qt::ToolTipRole);
    scoring_->setCurrentIndex(scoring);
    scoring_->setToolTip(tr("How the reduced pass is read. Correct scoring takes the log-probabilities of the "
                            "positions that predict the answer; the paper's evaluation (lm-evaluation-harness over "
                            "the authors' code) pads batches of 96 and slices the shortened output as if it had "
                            "kept its length, so it can read other positions (counted as misread)."));
    run_->setText(tr("Run dense and reduced"));
    run_->setToolTip(tr("Score the task with the dense model and with the current schedule (Ctrl+R)"));
    sweepButton_->setText(tr("Sweep"));
    sweepButton_->setToolTip(tr("Score keep ratios 1.0 to 0.5 (depth-scaled schedules of the current method) "
                                "for the accuracy-against-FLOPs plot"));
    cancelButton_->setText(tr("Cancel"));
    progressLabel_->setText(tr("Progress:"));
    tabs_->setTabText(0, tr("Dense vs reduced"));
    tabs_->setTabText(1, tr("Accuracy vs FLOPs"));
    redraw();
}

void AccuracyPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

void AccuracyPanel::setModelReady(bool ready) { modelReady_ = ready; }

void AccuracyPanel::setCurrentContext(const ModelFacts& model, const ReductionSchedule& schedule) {
    currentModel_ = RunDescription::model(model);
    currentScheduleShown_ = schedule;
    redraw();
}

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
    running_ = true;
    run_->setEnabled(false);
    sweepButton_->setEnabled(false);
    cancelButton_->setEnabled(true);
    progress_->setMaximum(100);
    progress_->setValue(0);
    status_->setText(what);
}

void AccuracyPanel::finish() {
    running_ = false;
    run_->setEnabled(true);
    sweepButton_->setEnabled(true);
    cancelButton_->setEnabled(false);
}

bool AccuracyPanel::isRunning() const { return running_; }

void AccuracyPanel::runCheck() {
    EvalRequest r;
    QString task, path;
    if (running_ || !chooseTask(task, path)) return;
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
    if (running_ || !chooseTask(task, path)) return;
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
    if (!running_ || !cancel_) return;
    cancel_->store(true);  // the worker stops after the layer it is in
    cancelButton_->setEnabled(false);
    status_->setText(tr("Cancelling…"));
}

void AccuracyPanel::showCancelled(quint64 id) {
    if (id != id_) return;
    finish();
    progress_->setValue(0);
    status_->setText(tr("Cancelled; the results shown are those from before."));
}

void AccuracyPanel::showResult(quint64 id, QSharedPointer<const EvalResult> result) {
    if (id != id_) return;
    finish();
    for (size_t i = 0; i < results_.size(); ++i)
        if (results_[i]->task == result->task) {
            results_.erase(results_.begin() + i);
            resultModels_.erase(resultModels_.begin() + i);
            break;
        }
    results_.push_back(result);
    resultModels_.push_back(currentModel_);
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
    redraw();
    Q_EMIT resultsChanged();
}

void AccuracyPanel::setResults(const std::vector<QSharedPointer<const EvalResult>>& results, const QString& computedFor) {
    results_ = results;
    resultModels_.assign(results.size(), computedFor);
    redraw();
}

bool AccuracyPanel::resultsOutOfDate() const {
    for (size_t i = 0; i < results_.size(); ++i)
        if (resultModels_[i] != currentModel_ || !(results_[i]->schedule == currentScheduleShown_)) return true;
    return false;
}

QString AccuracyPanel::computedForText() const { return computedFor_->text(); }

void AccuracyPanel::redraw() {
    // Bars: every (task, metric) of the latest result per task; hatched when computed for something else.
    std::vector<AccuracyBar> bars;
    for (const auto& r : results_)
        for (const auto& m : r->summary.metrics)
            if (m.metric != EvalMetric::Perplexity)
                bars.push_back({QString::fromStdString(r->task + " " + evalMetricName(m.metric)), m.dense, m.reduced});
    const bool stale = resultsOutOfDate();
    if (results_.empty()) {
        bars_->setData({}, QString());
        computedFor_->clear();
    } else {
        const auto& last = results_.back();
        bars_->setData(bars, tr("Accuracy, dense and with %1: %2% fewer FLOPs on this task")
                                 .arg(RunDescription::schedule(last->schedule),
                                      RunDescription::number(last->summary.flopsReductionPercent, 1)));
        QStringList lines;
        for (size_t i = 0; i < results_.size(); ++i) {
            const auto& r = results_[i];
            const bool mine = resultModels_[i] == currentModel_ && r->schedule == currentScheduleShown_;
            QString line = tr("%1: %2 · %3 · %4 examples")
                               .arg(QString::fromStdString(r->task), resultModels_[i], RunDescription::schedule(r->schedule))
                               .arg(r->summary.examples);
            if (r->scoring == ScoringMode::Paper) line += tr(" · scored as the paper's evaluation");
            lines << (mine ? line.toHtmlEscaped()
                           : QStringLiteral("<span style=\"color:#a15c00\">%1</span>").arg(line.toHtmlEscaped()));
        }
        computedFor_->setText((stale ? tr("<b>Out of date:</b> computed for another schedule or model "
                                          "(hatched). Run again for the current one.")
                                     : tr("<b>Computed for:</b>")) +
                              "<br>" + lines.join("<br>") + "<br>" +
                              tr("FLOPs are the mean over the task's examples, so they differ from the prompt's."));
    }
    bars_->setOutOfDate(stale);

    // The sweep's stars: results of the current schedule and model only, on the sweep of that method.
    std::vector<SweepMarker> markers;
    for (size_t i = 0; i < results_.size(); ++i) {
        const auto& r = results_[i];
        const bool current = resultModels_[i] == currentModel_ && r->schedule == currentScheduleShown_;
        // Same method and the same reading of the reduced pass as the sweep's curves.
        const bool sameMethod = sweep_ && !sweep_->empty() && sweep_->front().method == r->schedule.method &&
                                sweep_->front().scoring == r->scoring;
        if (!current || !sameMethod || sweepModel_ != currentModel_) continue;
        for (const auto& m : r->summary.metrics)
            if (m.metric != EvalMetric::Perplexity && std::isfinite(m.reduced))
                markers.push_back({QString::fromStdString(r->task + " " + evalMetricName(m.metric)),
                                   r->summary.flopsReductionPercent, m.reduced});
    }
    sweepPlot_->setCurrent(markers);
    sweepPlot_->setOutOfDate(sweep_ && sweepModel_ != currentModel_);
}

void AccuracyPanel::showSweep(quint64 id, QSharedPointer<const SweepPoints> points) {
    if (id != id_) return;
    finish();
    sweep_ = points;
    sweepModel_ = currentModel_;
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
    redraw();
    status_->setText(tr("Sweep done: %1 keep ratios of %2").arg(points->empty() ? 0 : int(points->size()))
                         .arg(points->empty() ? QString() : QString::fromStdString(methodName(points->front().method))));
    Q_EMIT resultsChanged();
}

void AccuracyPanel::showFailure(quint64 id, const QString& message) {
    if (id != id_) return;
    finish();
    progress_->setValue(0);
    status_->setText(message);
    Q_EMIT failed(message);
}

int AccuracyPanel::barCount() const { return bars_->barCount(); }
int AccuracyPanel::sweepSeriesCount() const { return sweepPlot_->seriesCount(); }
int AccuracyPanel::progressValue() const { return progress_->value(); }
QString AccuracyPanel::statusText() const { return status_->text(); }

QString AccuracyPanel::csv() const {
    if (results_.empty() && !sweep_) return {};
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
    const QString text = csv();
    if (text.isEmpty()) return tr("%1: nothing to export: run an accuracy check or a sweep first").arg(path);
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text)) return tr("%1: cannot write (%2)").arg(path, f.errorString());
    f.write(text.toUtf8());
    if (!f.commit()) return tr("%1: cannot write (%2)").arg(path, f.errorString());
    return {};
}

}  // namespace ssmlens
