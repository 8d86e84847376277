#include "app/gui/MainWindow.h"

#include <QAction>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QDockWidget>
#include <QDir>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSlider>
#include <QSplitter>
#include <QStatusBar>
#include <QTableWidget>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>
#include <cmath>

#include "core/Error.h"
#include "core/eval/EvalTask.h"
#include "core/runtime/DemoModel.h"
#include "widgets/AccuracyBars.h"
#include "widgets/ImportanceHeatmap.h"
#include "widgets/PlotExport.h"
#include "widgets/TokensPerLayerPlot.h"

namespace ssmlens {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), worker_(new ReductionWorker) {
    qRegisterMetaType<ssmlens::ModelFacts>();
    qRegisterMetaType<ssmlens::ReductionRequest>();
    qRegisterMetaType<QSharedPointer<const ssmlens::ReductionResponse>>();
    qRegisterMetaType<ssmlens::EvalRequest>();
    qRegisterMetaType<QSharedPointer<const ssmlens::EvalResult>>();
    worker_->moveToThread(&workerThread_);
    connect(&workerThread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &ReductionWorker::modelLoaded, this, &MainWindow::showModel);
    connect(worker_, &ReductionWorker::finished, this, &MainWindow::showResult);
    connect(worker_, &ReductionWorker::failed, this, &MainWindow::showError);
    connect(worker_, &ReductionWorker::evalFinished, this, &MainWindow::showAccuracy);
    connect(worker_, &ReductionWorker::evalFailed, this, &MainWindow::accuracyFailed);
    connect(worker_, &ReductionWorker::evalProgress, this, [this](quint64 id, qint64 done, qint64 total) {
        if (id != evalId_) return;
        evalProgress_->setMaximum(int(total));
        evalProgress_->setValue(int(done));
    });
    workerThread_.start();
    buildUi();
}

MainWindow::~MainWindow() {
    workerThread_.quit();
    workerThread_.wait();
}

void MainWindow::buildUi() {
    setWindowTitle(tr("SSM Lens"));
    auto* bar = addToolBar(tr("Main"));
    bar->setObjectName("mainToolBar");
    QAction* open = bar->addAction(tr("Open model…"), this, &MainWindow::chooseModelFolder);
    open->setShortcut(QKeySequence::Open);
    open->setToolTip(tr("Open a Mamba-2 checkpoint folder (state-spaces or Hugging Face layout)"));
    QAction* exportAct = bar->addAction(tr("Export heatmap…"), this, &MainWindow::exportHeatmapDialog);
    exportAct->setShortcut(QKeySequence(tr("Ctrl+E")));
    exportAct->setToolTip(tr("Save the importance heatmap as PNG, PDF or SVG"));
    QAction* saveSch = bar->addAction(tr("Save schedule…"), this, &MainWindow::saveScheduleDialog);
    saveSch->setShortcut(QKeySequence::Save);
    bar->addAction(tr("Load schedule…"), this, &MainWindow::loadScheduleDialog);

    auto* side = new QWidget;
    auto* form = new QFormLayout(side);
    modelLabel_ = new QLabel(tr("No model loaded"));
    modelLabel_->setWordWrap(true);
    form->addRow(tr("Model:"), modelLabel_);
    prompt_ = new QPlainTextEdit;
    prompt_->setPlaceholderText(tr("Type or paste a prompt"));
    prompt_->setMinimumHeight(120);
    prompt_->setMaximumHeight(220);
    form->addRow(tr("Prompt:"), prompt_);
    method_ = new QComboBox;
    for (const auto& name : methodNames()) method_->addItem(QString::fromStdString(name));
    method_->setToolTip(tr("Token reduction method (utr: the paper's unified prune-and-merge)"));
    form->addRow(tr("Method:"), method_);
    keepRatio_ = new QSlider(Qt::Horizontal);
    keepRatio_->setRange(30, 100);
    keepRatio_->setValue(90);
    keepRatio_->setToolTip(tr("Share of tokens each anchor layer keeps"));
    keepRatioLabel_ = new QLabel;
    form->addRow(tr("Keep ratio:"), keepRatio_);
    form->addRow(QString(), keepRatioLabel_);
    figuresLabel_ = new QLabel;
    figuresLabel_->setWordWrap(true);
    form->addRow(tr("Effect:"), figuresLabel_);
    topTokens_ = new QTableWidget(0, 4);
    topTokens_->setHorizontalHeaderLabels({tr("dense"), tr("p"), tr("reduced"), tr("p")});
    topTokens_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    topTokens_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    topTokens_->horizontalHeader()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    topTokens_->setWordWrap(false);
    topTokens_->verticalHeader()->setVisible(false);
    topTokens_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    form->addRow(tr("Next token:"), topTokens_);

    heatmap_ = new ImportanceHeatmap;
    tokensPlot_ = new TokensPerLayerPlot;
    auto* views = new QSplitter(Qt::Vertical);
    views->addWidget(heatmap_);
    views->addWidget(tokensPlot_);
    views->setStretchFactor(0, 3);
    views->setStretchFactor(1, 2);
    auto* main = new QSplitter(Qt::Horizontal);
    main->addWidget(side);
    main->addWidget(views);
    main->setStretchFactor(1, 3);
    setCentralWidget(main);
    auto* dock = new QDockWidget(tr("Accuracy"), this);
    dock->setObjectName("accuracyDock");
    dock->setWidget(buildAccuracyPanel());
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    resize(1400, 1000);

    promptDebounce_ = new QTimer(this);
    promptDebounce_->setSingleShot(true);
    promptDebounce_->setInterval(300);
    connect(promptDebounce_, &QTimer::timeout, this, &MainWindow::requestRun);
    connect(prompt_, &QPlainTextEdit::textChanged, promptDebounce_, qOverload<>(&QTimer::start));
    connect(keepRatio_, &QSlider::valueChanged, this, [this](int v) {
        keepRatioLabel_->setText(tr("q = %1 at every anchor").arg(v / 100.0, 0, 'f', 2));
        requestRun();
    });
    connect(method_, &QComboBox::currentIndexChanged, this, &MainWindow::requestRun);
    keepRatioLabel_->setText(tr("q = %1 at every anchor").arg(keepRatio_->value() / 100.0, 0, 'f', 2));
    statusBar()->showMessage(tr("Open a model folder to begin"));
}

QWidget* MainWindow::buildAccuracyPanel() {
    auto* panel = new QWidget;
    auto* layout = new QHBoxLayout(panel);
    auto* controls = new QFormLayout;
    evalTask_ = new QComboBox;
    // Bundled sample sets (written by the project) and the user's own files.
    const QString samples = QString::fromStdString(resourcesDir()) + "/eval-samples";
    for (const QString& task : {QStringLiteral("lambada_openai"), QStringLiteral("piqa")})
        if (QDir(samples + "/" + task).exists())
            evalTask_->addItem(tr("%1 (bundled sample)").arg(task), QStringList{task, samples + "/" + task});
    evalTask_->addItem(tr("Choose a data file…"), QStringList{});
    evalTask_->setToolTip(tr("Zero-shot task, scored as lm-evaluation-harness does"));
    controls->addRow(tr("Task:"), evalTask_);
    evalLimit_ = new QSpinBox;
    evalLimit_->setRange(0, 100000);
    evalLimit_->setSpecialValueText(tr("all"));
    evalLimit_->setToolTip(tr("Score only the first N examples (0: all)"));
    controls->addRow(tr("Examples:"), evalLimit_);
    auto* buttons = new QHBoxLayout;
    evalRun_ = new QPushButton(tr("Run dense and reduced"));
    evalRun_->setShortcut(QKeySequence(tr("Ctrl+R")));
    evalCancel_ = new QPushButton(tr("Cancel"));
    evalCancel_->setEnabled(false);
    buttons->addWidget(evalRun_);
    buttons->addWidget(evalCancel_);
    controls->addRow(buttons);
    evalProgress_ = new QProgressBar;
    evalProgress_->setValue(0);
    controls->addRow(tr("Progress:"), evalProgress_);
    evalStatus_ = new QLabel;
    evalStatus_->setWordWrap(true);
    controls->addRow(evalStatus_);
    layout->addLayout(controls, 1);
    accuracyBars_ = new AccuracyBars;
    accuracyBars_->setMinimumHeight(220);
    layout->addWidget(accuracyBars_, 3);
    connect(evalRun_, &QPushButton::clicked, this, &MainWindow::runAccuracyCheck);
    connect(evalCancel_, &QPushButton::clicked, this, [this] {
        if (evalCancelFlag_) evalCancelFlag_->store(true);
    });
    return panel;
}

void MainWindow::runAccuracyCheck() {
    if (model_.layers == 0) {
        evalStatus_->setText(tr("Open a model first"));
        return;
    }
    QStringList choice = evalTask_->currentData().toStringList();
    if (choice.isEmpty()) {
        const QString file = QFileDialog::getOpenFileName(this, tr("Choose a task file (lambada_test.jsonl, valid.jsonl, ...)"));
        if (file.isEmpty()) return;
        const QString name = QFileInfo(file).fileName();
        const QString task = name.startsWith("lambada") ? "lambada_openai"
                             : name.startsWith("hellaswag") ? "hellaswag"
                             : name.startsWith("ARC-Easy") ? "arc_easy"
                             : name.startsWith("ARC-Challenge") ? "arc_challenge"
                             : name.startsWith("dev") ? "winogrande" : "piqa";
        choice = {task, file};
    }
    EvalRequest r;
    r.id = ++evalId_;
    r.task = choice[0];
    r.dataPath = choice[1];
    r.limit = evalLimit_->value();
    r.schedule = currentSchedule();
    evalCancelFlag_ = std::make_shared<std::atomic<bool>>(false);
    r.cancel = evalCancelFlag_;
    evalRun_->setEnabled(false);
    evalCancel_->setEnabled(true);
    evalProgress_->setValue(0);
    evalStatus_->setText(tr("Scoring %1…").arg(r.task));
    QMetaObject::invokeMethod(worker_, [w = worker_, r] { w->evaluate(r); }, Qt::QueuedConnection);
}

void MainWindow::showAccuracy(quint64 id, QSharedPointer<const EvalResult> result) {
    if (id != evalId_) return;
    evalRun_->setEnabled(true);
    evalCancel_->setEnabled(false);
    evalResults_.erase(std::remove_if(evalResults_.begin(), evalResults_.end(),
                                      [&](const auto& r) { return r->task == result->task; }),
                       evalResults_.end());
    evalResults_.push_back(result);
    std::vector<AccuracyBar> bars;
    for (const auto& r : evalResults_)
        for (const auto& m : r->summary.metrics)
            if (m.metric != EvalMetric::Perplexity)
                bars.push_back({QString::fromStdString(r->task + " " + evalMetricName(m.metric)), m.dense, m.reduced});
    const auto& s = result->summary;
    accuracyBars_->setData(bars, tr("Accuracy, dense and with %1 (q = %2): %3% fewer FLOPs")
                                     .arg(QString::fromStdString(methodName(result->schedule.method)))
                                     .arg(result->schedule.anchors.empty() ? 1.0 : result->schedule.anchors.front().keepRatio, 0, 'f', 2)
                                     .arg(s.flopsReductionPercent, 0, 'f', 1));
    evalStatus_->setText(tr("%1: %2 examples; %3 could not be scored under reduction")
                             .arg(QString::fromStdString(result->task))
                             .arg(s.examples)
                             .arg(s.unscorableExamples));
    Q_EMIT accuracyShown();
}

void MainWindow::accuracyFailed(quint64 id, const QString& message) {
    if (id != evalId_) return;
    evalRun_->setEnabled(true);
    evalCancel_->setEnabled(false);
    evalStatus_->setText(message);
    lastError_ = message;
}

int MainWindow::accuracyBarsShown() const { return accuracyBars_->barCount(); }

void MainWindow::openModel(const QString& folder) {
    statusBar()->showMessage(tr("Loading %1…").arg(folder));
    QMetaObject::invokeMethod(worker_, [w = worker_, folder] { w->loadModel(folder, "fp32", "cpu"); },
                              Qt::QueuedConnection);
}

void MainWindow::setPrompt(const QString& text) { prompt_->setPlainText(text); }
void MainWindow::setKeepRatio(double q) { keepRatio_->setValue(static_cast<int>(std::lround(q * 100))); }

ReductionSchedule MainWindow::currentSchedule() const {
    const double q = keepRatio_->value() / 100.0;
    ReductionSchedule s = loadedSchedule_ ? *loadedSchedule_ : depthScaledSchedule(std::max(1, model_.layers), q);
    for (auto& a : s.anchors) a.keepRatio = q;
    s.method = parseMethodName(method_->currentText().toStdString());
    return s;
}

void MainWindow::requestRun() {
    if (model_.layers == 0 || prompt_->toPlainText().trimmed().isEmpty()) return;
    ReductionRequest r;
    r.id = nextId_++;
    r.prompt = prompt_->toPlainText();
    r.schedule = currentSchedule();
    if (busy_) {
        pending_ = r;  // the latest request wins; older pending ones are dropped
        return;
    }
    sendToWorker(r);
}

void MainWindow::sendToWorker(const ReductionRequest& r) {
    busy_ = true;
    QMetaObject::invokeMethod(worker_, [w = worker_, r] { w->run(r); }, Qt::QueuedConnection);
}

void MainWindow::showModel(const ModelFacts& facts) {
    model_ = facts;
    modelLabel_->setText(tr("%1\n%2\n%3 M parameters, %4 on %5%6")
                             .arg(facts.folder, facts.summary)
                             .arg(facts.parameters / 1e6, 0, 'f', 1)
                             .arg(facts.dtype, facts.device,
                                  facts.hasTokenizer ? QString() : tr("\nno tokenizer: type token ids")));
    statusBar()->showMessage(tr("Model loaded"), 5000);
    requestRun();
}

void MainWindow::showResult(QSharedPointer<const ReductionResponse> response) {
    busy_ = false;
    if (pending_) {
        ReductionRequest next = *pending_;
        pending_.reset();
        sendToWorker(next);
    }
    const TokenTrace& t = response->run.trace;
    heatmap_->setTrace(t, response->tokenLabels);
    std::vector<int64_t> entering, anchors;
    for (const auto& l : t.layers) {
        entering.push_back(l.tokensIn);
        if (l.anchor) anchors.push_back(l.layer);
    }
    tokensPlot_->setData(static_cast<int>(t.length), entering, anchors, response->run.flops.flopsReductionPercent,
                         response->run.flops.tokenReductionPercent);
    figuresLabel_->setText(tr("%1 → %2 tokens after the last anchor\nFLOPs −%3%\nKL(dense‖reduced) = %4")
                               .arg(t.length)
                               .arg(t.survivorPositions.size())
                               .arg(response->run.flops.flopsReductionPercent, 0, 'f', 1)
                               .arg(t.klDivergence, 0, 'g', 3));
    const int rows = static_cast<int>(std::min(t.denseTopK.size(), t.reducedTopK.size()));
    topTokens_->setRowCount(rows);
    for (int i = 0; i < rows; ++i) {
        auto token = [](const NextTokenProbability& p) {
            const QString piece = QString::fromStdString(p.piece);
            auto* item = new QTableWidgetItem(piece.trimmed().isEmpty() ? QStringLiteral("#%1").arg(p.id)
                                                                        : QStringLiteral("\"%1\"").arg(piece));
            item->setToolTip(tr("token id %1").arg(p.id));
            return item;
        };
        auto prob = [](float p) { return new QTableWidgetItem(QString::number(p, p >= 0.01f ? 'f' : 'e', 2)); };
        topTokens_->setItem(i, 0, token(t.denseTopK[i]));
        topTokens_->setItem(i, 1, prob(t.denseTopK[i].probability));
        topTokens_->setItem(i, 2, token(t.reducedTopK[i]));
        topTokens_->setItem(i, 3, prob(t.reducedTopK[i].probability));
    }
    statusBar()->showMessage(
        tr("dense %1 ms, reduced %2 ms").arg(response->run.denseMs, 0, 'f', 1).arg(response->run.reducedMs, 0, 'f', 1));
    ++resultsShown_;
    Q_EMIT resultShown();
}

void MainWindow::showError(quint64 id, const QString& message) {
    if (id != 0) {
        busy_ = false;
        if (pending_) {
            ReductionRequest next = *pending_;
            pending_.reset();
            sendToWorker(next);
        }
    }
    lastError_ = message;
    statusBar()->showMessage(message);
    if (id == 0) {  // loading failed: say so loudly, without blocking the event loop
        auto* box = new QMessageBox(QMessageBox::Warning, tr("SSM Lens"), message, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
}

void MainWindow::chooseModelFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a Mamba-2 checkpoint folder"));
    if (!dir.isEmpty()) openModel(dir);
}

bool MainWindow::exportHeatmap(const QString& path, int width, int height, QString* error) {
    const QString e = exportPlot(heatmap_->plot(), path, width, height);
    if (error) *error = e;
    return e.isEmpty();
}

void MainWindow::exportHeatmapDialog() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export heatmap"), "heatmap.png",
                                                      tr("Images (*.png *.pdf *.svg)"));
    QString error;
    if (!path.isEmpty() && !exportHeatmap(path, 1600, 1000, &error)) QMessageBox::warning(this, tr("SSM Lens"), error);
}

void MainWindow::saveScheduleDialog() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save schedule"), "schedule.json", tr("JSON (*.json)"));
    if (path.isEmpty()) return;
    try {
        currentSchedule().save(path.toStdString());
    } catch (const Error& e) {
        QMessageBox::warning(this, tr("SSM Lens"), QString::fromStdString(e.what()));
    }
}

void MainWindow::loadScheduleDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Load schedule"), QString(), tr("JSON (*.json)"));
    if (path.isEmpty()) return;
    try {
        ReductionSchedule s = ReductionSchedule::load(path.toStdString());
        s.validate(model_.layers, path.toStdString());
        loadedSchedule_ = s;
        method_->setCurrentText(QString::fromStdString(methodName(s.method)));
        if (!s.anchors.empty()) setKeepRatio(s.anchors.front().keepRatio);
        requestRun();
    } catch (const Error& e) {
        QMessageBox::warning(this, tr("SSM Lens"), QString::fromStdString(e.what()));
    }
}

}  // namespace ssmlens
