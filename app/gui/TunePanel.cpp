#include "app/gui/TunePanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <cmath>

#include "core/runtime/DemoModel.h"
#include "core/tune/ParetoFront.h"
#include "widgets/ScheduleEditor.h"
#include "widgets/TunePlot.h"

namespace ssmlens {

TunePanel::TunePanel(QWidget* parent) : QWidget(parent), worker_(new TuneWorker) {
    qRegisterMetaType<ssmlens::TuneStartRequest>();
    qRegisterMetaType<ssmlens::TuneSetupInfo>();
    qRegisterMetaType<QSharedPointer<const ssmlens::TuneCandidate>>();
    qRegisterMetaType<ssmlens::ReductionSchedule>();
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    thread_.start();

    auto* layout = new QHBoxLayout(this);
    // The controls in a scroll area: the dock may be short, and nothing may be cut off.
    auto* controlsBox = new QWidget;
    auto* controls = new QFormLayout(controlsBox);
    controls->setContentsMargins(0, 0, 0, 0);
    budgetSlider_ = new QSlider(Qt::Horizontal);
    budgetSlider_->setRange(2, 160);  // half percent steps
    budgetSpin_ = new QDoubleSpinBox;
    budgetSpin_->setRange(1, 80);
    budgetSpin_->setSingleStep(0.5);
    budgetSpin_->setDecimals(1);
    budgetSpin_->setSuffix(tr(" %"));
    auto* budgetRow = new QHBoxLayout;
    budgetRow->addWidget(budgetSlider_, 1);
    budgetRow->addWidget(budgetSpin_);
    budgetSlider_->setToolTip(tr("FLOPs reduction the schedule must reach (FlopsModel on the calibration lengths)"));
    budgetSpin_->setToolTip(budgetSlider_->toolTip());
    controls->addRow(tr("Budget:"), budgetRow);
    method_ = new QComboBox;
    for (const std::string& name : methodNames()) {
        const ReductionMethod m = parseMethodName(name);
        method_->addItem(tr("%1 — %2").arg(QString::fromStdString(name), ScheduleEditor::methodLabel(m)), int(m));
        method_->setItemData(method_->count() - 1, ScheduleEditor::methodDescription(m), Qt::ToolTipRole);
    }
    controls->addRow(tr("Method:"), method_);
    searchOptions_ = new QCheckBox(tr("Also search the method's options"));
    searchOptions_->setChecked(true);
    searchOptions_->setToolTip(tr("Importance metric, hidden-state and residual strategies, granularity, where the method has them"));
    controls->addRow(searchOptions_);
    data_ = new QComboBox;
    data_->addItem(tr("Demo model's bundled data (lambada, cloze, text)"));
    data_->addItem(tr("Choose files…"));
    data_->setToolTip(tr("Text files (one paragraph per line) or benchmark files of the six tasks; every second "
                         "example is held out from the search"));
    controls->addRow(tr("Data:"), data_);
    dataFiles_ = new QLabel;
    dataFiles_->setWordWrap(true);
    dataFiles_->setVisible(false);
    controls->addRow(dataFiles_);
    timeLimit_ = new QSpinBox;
    timeLimit_->setRange(5, 36000);
    timeLimit_->setValue(300);
    timeLimit_->setSuffix(tr(" s"));
    timeLimit_->setToolTip(tr("Time limit of the search"));
    maxEvals_ = new QSpinBox;
    maxEvals_->setRange(0, 100000);
    maxEvals_->setSpecialValueText(tr("no limit"));
    maxEvals_->setToolTip(tr("Stop after this many candidates (0: only the time limit)"));
    seed_ = new QSpinBox;
    seed_->setRange(0, 1000000);
    seed_->setToolTip(tr("The same seed and settings give the same search"));
    auto* limits = new QHBoxLayout;
    limits->addWidget(timeLimit_, 1);
    limits->addWidget(new QLabel(tr("Candidates:")));
    limits->addWidget(maxEvals_, 1);
    limits->addWidget(new QLabel(tr("Seed:")));
    limits->addWidget(seed_, 1);
    controls->addRow(tr("Time limit:"), limits);
    auto* buttons = new QHBoxLayout;
    startButton_ = new QPushButton(tr("Start"));
    startButton_->setToolTip(tr("Search for the schedule closest to the dense model within the budget"));
    stopButton_ = new QPushButton(tr("Stop"));
    resumeButton_ = new QPushButton(tr("Continue"));
    resumeButton_->setToolTip(tr("Continue the stopped search where it was"));
    progress_ = new QProgressBar;
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setTextVisible(false);
    buttons->addWidget(startButton_);
    buttons->addWidget(stopButton_);
    buttons->addWidget(resumeButton_);
    buttons->addWidget(progress_, 1);
    controls->addRow(buttons);
    status_ = new QLabel(tr("Open a model, set a budget and start"));
    status_->setWordWrap(true);
    controls->addRow(status_);
    auto* scroll = new QScrollArea;
    scroll->setWidget(controlsBox);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Without a horizontal scroll bar the area would squeeze the controls below their own minimum (the seed box
    // and the status line were cut off in a 1600-pixel window): it is at least as wide as they need.
    scroll->setMinimumWidth(controlsBox->minimumSizeHint().width() + scroll->verticalScrollBar()->sizeHint().width());
    layout->addWidget(scroll, 2);

    auto* right = new QVBoxLayout;
    plot_ = new TunePlot;
    // No taller than the Accuracy tab it shares the dock with needs (AccuracyPanel's chart): the views above keep
    // the height; dragging the dock's edge gives the plot more.
    plot_->setMinimumHeight(150);
    right->addWidget(plot_, 1);
    auto* detailRow = new QHBoxLayout;
    details_ = new QLabel(tr("Click a candidate on the plot to see it"));
    details_->setWordWrap(true);
    details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    applyButton_ = new QPushButton(tr("Apply to the editor"));
    applyButton_->setToolTip(tr("Load the selected candidate into the schedule editor (undoable)"));
    detailRow->addWidget(details_, 1);
    detailRow->addWidget(applyButton_);
    right->addLayout(detailRow);
    layout->addLayout(right, 5);

    connect(budgetSlider_, &QSlider::valueChanged, this, [this](int v) { budgetSpin_->setValue(v / 2.0); });
    connect(budgetSpin_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        const QSignalBlocker block(budgetSlider_);
        budgetSlider_->setValue(int(std::lround(v * 2)));
        target_ = v;
        if (!running_) plot_->setTarget(v);
    });
    setBudget(25);
    connect(data_, &QComboBox::activated, this, [this](int i) {
        if (i == 1) chooseFiles();
        else setCalibrationFiles({});
    });
    connect(startButton_, &QPushButton::clicked, this, &TunePanel::start);
    connect(stopButton_, &QPushButton::clicked, this, &TunePanel::stop);
    connect(resumeButton_, &QPushButton::clicked, this, &TunePanel::resume);
    connect(applyButton_, &QPushButton::clicked, this, &TunePanel::applySelected);
    connect(plot_, &TunePlot::candidateClicked, this, [this](int i) {
        selectionFollowsBest_ = false;
        selectCandidate(i);
    });
    connect(worker_, &TuneWorker::setupReady, this, &TunePanel::showSetup);
    connect(worker_, &TuneWorker::candidateScored, this, [this](quint64 id, QSharedPointer<const TuneCandidate> c, bool) {
        addCandidate(id, c);
    });
    connect(worker_, &TuneWorker::currentScored, this, [this](quint64 id, const ReductionSchedule& s, double objective) {
        if (id != id_) return;
        scored_[scheduleKey(s)] = objective;
        updateCurrentMarker();
    });
    connect(worker_, &TuneWorker::phase, this, &TunePanel::showPhase);
    connect(worker_, &TuneWorker::finished, this, &TunePanel::finish);
    connect(worker_, &TuneWorker::failed, this, &TunePanel::fail);
    updateButtons();
}

TunePanel::~TunePanel() {
    if (cancel_) cancel_->store(true);
    thread_.quit();
    thread_.wait();
}

void TunePanel::setBudget(double percent) { budgetSpin_->setValue(percent); }
void TunePanel::setTimeLimit(int seconds) { timeLimit_->setValue(seconds); }
void TunePanel::setMaxEvaluations(int count) { maxEvals_->setValue(count); }

void TunePanel::setCalibrationFiles(const QStringList& files) {
    files_ = files;
    data_->setCurrentIndex(files.isEmpty() ? 0 : 1);
    QStringList names;
    for (const QString& f : files) names << QFileInfo(f).fileName();
    dataFiles_->setText(names.join(", "));
    dataFiles_->setVisible(!files.isEmpty());
    canResume_ = false;  // other data: another search
    updateButtons();
}

void TunePanel::chooseFiles() {
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Calibration data: text files (.txt) or task files (lambada_test.jsonl, hellaswag_val.jsonl, …)"));
    setCalibrationFiles(files);
}

QString TunePanel::stateFile() const {
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    QDir().mkpath(dir);
    return dir + "/tune-state.json";
}

void TunePanel::setModel(const ModelFacts& facts) {
    const bool other = facts.folder != model_.folder || facts.dtype != model_.dtype || facts.device != model_.device ||
                       facts.tokenizer != model_.tokenizer;
    model_ = facts;
    modelReady_ = true;
    if (other) {
        if (running_) stop();
        ++id_;  // results of the old model are dropped
        running_ = false;
        canResume_ = false;
        candidates_.clear();
        scored_.clear();
        budget_.reset();
        best_ = selected_ = -1;
        redraw();
        status_->setText(tr("Ready: set a budget and start"));
    }
    updateButtons();
}

void TunePanel::setEditorSchedule(const ReductionSchedule& schedule) {
    editor_ = schedule;
    updateCurrentMarker();
}

void TunePanel::start() { launch(false); }
void TunePanel::resume() { launch(true); }

void TunePanel::launch(bool resume) {
    if (!modelReady_ || running_) return;
    TuneStartRequest r;
    r.id = ++id_;
    r.folder = model_.folder;
    r.dtype = model_.dtype;
    r.device = model_.device;
    r.tokenizer = model_.tokenizer;
    TuningRequest& q = r.request;
    if (files_.isEmpty()) {
        q.sources = demoCalibrationSources(defaultModelDir());
        q.calibration.limitPerSource = kDemoCalibrationLimit;
    } else {
        for (const QString& f : files_) {
            std::vector<CalibrationSource> one;
            try {
                one = parseCalibrationSources(f.toStdString());
            } catch (const std::exception& e) {
                status_->setText(QString::fromStdString(e.what()));
                return;
            }
            q.sources.insert(q.sources.end(), one.begin(), one.end());
        }
    }
    q.search.targetPercent = budgetSpin_->value();
    q.search.method = static_cast<ReductionMethod>(method_->currentData().toInt());
    q.search.options = editor_.options;
    q.search.options.protectScoringSpan = true;
    q.search.searchOptions = searchOptions_->isChecked();
    q.search.seed = static_cast<uint64_t>(seed_->value());
    q.search.presetRatios = {0.95, 0.85};  // the paper's curve around the budget, for the plot
    q.limits.timeLimitSeconds = timeLimit_->value();
    q.limits.maxEvaluations = maxEvals_->value();
    q.statePath = stateFile().toStdString();
    q.resume = resume;
    q.modelName = model_.folder.toStdString();
    r.current = editor_;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    r.cancel = cancel_;
    target_ = q.search.targetPercent;
    candidates_.clear();  // a resumed search reports its recorded candidates again
    scored_.clear();
    best_ = selected_ = -1;
    selectionFollowsBest_ = true;
    running_ = true;
    progress_->setRange(0, 0);
    status_->setText(resume ? tr("Continuing the search…") : tr("Starting the search…"));
    plot_->setTarget(target_);
    redraw();
    updateButtons();
    QMetaObject::invokeMethod(worker_, [w = worker_, r] { w->start(r); }, Qt::QueuedConnection);
}

void TunePanel::stop() {
    if (cancel_) cancel_->store(true);
    if (running_) status_->setText(tr("Stopping…"));
}

void TunePanel::showSetup(quint64 id, const TuneSetupInfo& info) {
    if (id != id_) return;
    budget_.emplace(info.config, info.lengths);
    data_->setToolTip(tr("Calibration: %1").arg(info.calibration));
    updateCurrentMarker();
}

void TunePanel::showPhase(quint64 id, const QString& text, qint64 done, qint64 total) {
    if (id != id_) return;
    if (total > 0) {
        progress_->setRange(0, int(total));
        progress_->setValue(int(done));
    } else {
        progress_->setRange(0, 0);  // busy
    }
    status_->setText(text);
}

void TunePanel::addCandidate(quint64 id, QSharedPointer<const TuneCandidate> c) {
    if (id != id_) return;
    candidates_.push_back(*c);
    if (c->score.complete()) scored_[scheduleKey(c->schedule)] = c->score.objective;
    best_ = static_cast<int>(bestCandidateAtBudget(candidates_, target_));
    if (selectionFollowsBest_) selected_ = best_;
    redraw();
    status_->setText(statusText());
    Q_EMIT candidateAdded();
}

QString TunePanel::statusText() const {
    if (candidates_.empty()) return status_->text();
    if (best_ < 0) return tr("Candidates: %1; none within the budget yet").arg(candidates_.size());
    const TuneCandidate& b = candidates_[size_t(best_)];
    return tr("Candidates: %1; best #%2: KL %3 at FLOPs −%4%")
        .arg(candidates_.size())
        .arg(b.index)
        .arg(b.score.objective, 0, 'g', 4)
        .arg(b.flopsReductionPercent, 0, 'f', 1);
}

void TunePanel::finish(quint64 id, int stop) {
    if (id != id_) return;
    running_ = false;
    canResume_ = true;
    progress_->setRange(0, 1);
    progress_->setValue(1);
    QString why;
    switch (static_cast<TuneStop>(stop)) {
        case TuneStop::TimeLimit: why = tr("time limit reached"); break;
        case TuneStop::EvaluationLimit: why = tr("candidate limit reached"); break;
        case TuneStop::Cancelled: why = tr("stopped"); break;
        case TuneStop::SearchExhausted: why = tr("nothing left to try"); break;
    }
    status_->setText(tr("Search finished (%1). %2").arg(why, statusText()));
    updateButtons();
    Q_EMIT searchFinished();
}

void TunePanel::fail(quint64 id, const QString& message) {
    if (id != id_) return;
    running_ = false;
    progress_->setRange(0, 1);
    progress_->setValue(0);
    status_->setText(message);
    updateButtons();
    Q_EMIT searchFinished();
}

void TunePanel::selectCandidate(int index) {
    selected_ = index >= 0 && index < int(candidates_.size()) ? index : -1;
    plot_->setSelected(selected_);
    updateDetails();
    updateButtons();
}

bool TunePanel::applySelected() {
    if (selected_ < 0 || selected_ >= int(candidates_.size())) return false;
    Q_EMIT applyRequested(candidates_[size_t(selected_)].schedule);
    return true;
}

void TunePanel::redraw() {
    std::vector<bool> onFront(candidates_.size(), false);
    for (size_t i : paretoFront(candidates_)) onFront[i] = true;
    std::vector<TunePlotPoint> points;
    for (size_t i = 0; i < candidates_.size(); ++i) {
        const TuneCandidate& c = candidates_[i];
        TunePlotPoint p;
        p.index = int(c.index);
        p.flopsReductionPercent = c.flopsReductionPercent;
        p.objective = c.score.objective;
        p.preset = c.origin == CandidateOrigin::Preset;
        p.onFront = onFront[i];
        p.complete = c.score.complete();
        points.push_back(p);
    }
    plot_->setPoints(points);
    plot_->setSelected(selected_);
    updateCurrentMarker();
    updateDetails();
    updateButtons();
}

void TunePanel::updateCurrentMarker() {
    if (!budget_ || editor_.anchors.empty()) {
        plot_->clearCurrent();
        return;
    }
    for (const auto& a : editor_.anchors)
        if (a.layer >= budget_->config().nLayer) {  // the editor is still on another model's depth
            plot_->clearCurrent();
            return;
        }
    auto it = scored_.find(scheduleKey(editor_));
    plot_->setCurrent(budget_->reductionPercent(editor_), it == scored_.end() ? NAN : it->second);
}

void TunePanel::updateDetails() {
    if (selected_ < 0 || selected_ >= int(candidates_.size())) {
        details_->setText(candidates_.empty() ? tr("Click a candidate on the plot to see it") : tr("No candidate selected"));
        return;
    }
    const TuneCandidate& c = candidates_[size_t(selected_)];
    const ReductionOptions& o = c.schedule.options;
    QString origin;
    switch (c.origin) {
        case CandidateOrigin::Preset: origin = tr("paper preset"); break;
        case CandidateOrigin::Seed: origin = tr("starting point"); break;
        case CandidateOrigin::Search: origin = tr("search"); break;
        case CandidateOrigin::Random: origin = tr("random"); break;
        case CandidateOrigin::Ladder: origin = tr("another budget"); break;
        case CandidateOrigin::Expressible: origin = tr("one keep ratio"); break;
    }
    details_->setText(tr("<b>#%1</b> (%2%3): FLOPs −%4%, tokens −%5%, KL %6 nats<br>%7 · metric %8 · hidden %9 · "
                         "residual %10 · %11<br>anchors %12")
                          .arg(c.index)
                          .arg(origin, c.index == best_ ? tr(", best within the budget") : QString())
                          .arg(c.flopsReductionPercent, 0, 'f', 2)
                          .arg(c.tokenReductionPercent, 0, 'f', 1)
                          .arg(c.score.objective, 0, 'g', 4)
                          .arg(QString::fromStdString(methodName(c.schedule.method)),
                               QString::fromStdString(metricName(o.metric)),
                               QString::fromStdString(hiddenStrategyName(o.hidden)),
                               QString::fromStdString(residualStrategyName(o.residual)),
                               QString::fromStdString(granularityName(o.granularity)),
                               QString::fromStdString(anchorsText(c.schedule))));
}

void TunePanel::updateButtons() {
    startButton_->setEnabled(modelReady_ && !running_);
    resumeButton_->setEnabled(modelReady_ && !running_ && canResume_);
    stopButton_->setEnabled(running_);
    applyButton_->setEnabled(selected_ >= 0 && selected_ < int(candidates_.size()));
}

}  // namespace ssmlens
