#include "app/gui/MainWindow.h"

#include <QComboBox>
#include <QDockWidget>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>
#include <cmath>
#include <tuple>

#include "app/gui/AccuracyPanel.h"
#include "app/gui/AppSettings.h"
#include "app/gui/AttentionPanel.h"
#include "app/gui/Autosaver.h"
#include "app/gui/ModelPanel.h"
#include "app/gui/SamplePrompts.h"
#include "core/Error.h"
#include "core/text/Tokenizer.h"
#include "widgets/ImportanceHeatmap.h"
#include "widgets/PlotExport.h"
#include "widgets/PromptTokenChips.h"
#include "widgets/ScheduleEditor.h"
#include "widgets/SimilarityGraph.h"
#include "widgets/TokenStrip.h"
#include "widgets/TokensPerLayerPlot.h"

namespace ssmlens {

MainWindow::MainWindow(QWidget* parent, AppSettings* settings, const QString& autosave)
    : QMainWindow(parent),
      worker_(new ReductionWorker),
      ownedSettings_(settings ? nullptr : std::make_unique<AppSettings>()),
      settings_(settings ? settings : ownedSettings_.get()) {
    qRegisterMetaType<ssmlens::ModelFacts>();
    qRegisterMetaType<ssmlens::ReductionRequest>();
    qRegisterMetaType<QSharedPointer<const ssmlens::ReductionResponse>>();
    qRegisterMetaType<ssmlens::EvalRequest>();
    qRegisterMetaType<ssmlens::SweepRequest>();
    qRegisterMetaType<ssmlens::ContinuationRequest>();
    qRegisterMetaType<QSharedPointer<const ssmlens::EvalResult>>();
    qRegisterMetaType<QSharedPointer<const ssmlens::SweepPoints>>();
    worker_->moveToThread(&workerThread_);
    connect(&workerThread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &ReductionWorker::modelLoaded, this, &MainWindow::showModel);
    connect(worker_, &ReductionWorker::finished, this, &MainWindow::showResult);
    connect(worker_, &ReductionWorker::failed, this, &MainWindow::showError);
    connect(worker_, &ReductionWorker::continuationsReady, this,
            [this](quint64, const QString& dense, const QString& reduced) {
                continueButton_->setEnabled(true);
                continuations_->setHtml(tr("<p><b>Dense:</b> %1</p><p><b>Reduced:</b> %2</p>")
                                            .arg(dense.toHtmlEscaped(), reduced.toHtmlEscaped()));
            });
    workerThread_.start();
    buildUi();
    buildMenus();

    // Autosave: every change the user makes marks the session dirty; the Autosaver writes it a little later.
    autosave_ = new Autosaver([this] { return currentSession(); }, autosave.isEmpty() ? autosavePath() : autosave, this);
    connect(autosave_, &Autosaver::saveFailed, this, [this](const QString& m) { statusBar()->showMessage(m, 10000); });
    connect(prompt_, &QPlainTextEdit::textChanged, autosave_, &Autosaver::markDirty);
    connect(editor_, &ScheduleEditor::scheduleChanged, autosave_, &Autosaver::markDirty);
    connect(accuracy_, &AccuracyPanel::resultsChanged, autosave_, &Autosaver::markDirty);
    connect(graph_, &SimilarityGraph::thresholdChanged, autosave_, &Autosaver::markDirty);
    modelPanel_->setRecentModels(settings_->recentModels());
    modelPanel_->setDevice(settings_->device());
    modelPanel_->setDtype(settings_->dtype());
    restoreWindowLayout();
}

MainWindow::~MainWindow() {
    workerThread_.quit();
    workerThread_.wait();
}

QWidget* MainWindow::buildPromptPanel() {
    auto* panel = new QWidget;
    auto* form = new QFormLayout(panel);
    modelPanel_ = new ModelPanel;
    form->addRow(modelPanel_);
    samplePrompts_ = new QComboBox;
    samplePrompts_->addItem(tr("Sample prompts…"));
    for (const auto& s : samplePrompts()) samplePrompts_->addItem(s.title, s.text);
    samplePrompts_->setToolTip(tr("Replace the prompt with a sample"));
    form->addRow(tr("Prompt:"), samplePrompts_);
    prompt_ = new QPlainTextEdit;
    prompt_->setPlaceholderText(tr("Type or paste a prompt"));
    prompt_->setMinimumHeight(90);
    form->addRow(prompt_);
    // The prompt as the model sees it: one chip per token (id and piece on hover); a click selects the token.
    chips_ = new PromptTokenChips;
    auto* chipsScroll = new QScrollArea;
    chipsScroll->setWidget(chips_);
    chipsScroll->setWidgetResizable(true);
    chipsScroll->setFrameShape(QFrame::NoFrame);
    chipsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    chipsScroll->setMinimumHeight(70);
    chipsScroll->setMaximumHeight(150);
    form->addRow(chipsScroll);
    connect(chips_, &PromptTokenChips::tokenClicked, this, [this](int p) { selectLayerAndToken(selectedLayer_, p); });
    connect(samplePrompts_, &QComboBox::activated, this, [this](int i) {
        if (i > 0) setPrompt(samplePrompts_->itemData(i).toString());
        samplePrompts_->setCurrentIndex(0);
    });
    connect(modelPanel_, &ModelPanel::openRequested, this,
            [this](const QString& f, const QString& dt, const QString& dev) { openModel(f, dt, dev); });
    connect(modelPanel_, &ModelPanel::browseRequested, this, &MainWindow::chooseModelFolder);
    connect(modelPanel_, &ModelPanel::tokenizerRequested, this, &MainWindow::chooseTokenizerFile);
    return panel;
}

QWidget* MainWindow::buildEffectPanel() {
    auto* panel = new QWidget;
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    figures_ = new QLabel;
    figures_->setWordWrap(true);
    layout->addWidget(figures_);
    topTokens_ = new QTableWidget(0, 4);
    topTokens_->setHorizontalHeaderLabels({tr("dense"), tr("p"), tr("reduced"), tr("p")});
    topTokens_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    topTokens_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    topTokens_->horizontalHeader()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    topTokens_->setWordWrap(false);
    topTokens_->verticalHeader()->setVisible(false);
    topTokens_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    topTokens_->setToolTip(tr("The ten most likely next tokens, dense and with the schedule"));
    layout->addWidget(topTokens_, 1);
    continueButton_ = new QPushButton(tr("Generate continuations"));
    continueButton_->setToolTip(tr("32 greedy tokens from the dense model and after the reduced prefill (Ctrl+G)"));
    continueButton_->setShortcut(QKeySequence(tr("Ctrl+G")));
    layout->addWidget(continueButton_);
    continuations_ = new QTextBrowser;
    continuations_->setMaximumHeight(110);
    continuations_->setPlaceholderText(tr("Dense and reduced continuations appear here"));
    layout->addWidget(continuations_);
    connect(continueButton_, &QPushButton::clicked, this, &MainWindow::requestContinuations);
    return panel;
}

void MainWindow::buildUi() {
    setWindowTitle(tr("SSM Lens"));
    auto* left = new QSplitter(Qt::Vertical);
    left->addWidget(buildPromptPanel());
    left->addWidget(buildEffectPanel());
    left->setStretchFactor(0, 2);
    left->setStretchFactor(1, 3);

    heatmap_ = new ImportanceHeatmap;
    strip_ = new TokenStrip;
    graph_ = new SimilarityGraph;
    tokensPlot_ = new TokensPerLayerPlot;
    detailTabs_ = new QTabWidget;
    detailTabs_->addTab(strip_, tr("Token strip"));
    detailTabs_->addTab(graph_, tr("Similarity graph"));
    detailTabs_->addTab(tokensPlot_, tr("Tokens per layer"));
    // The implicit attention of the selected layer (docs/implicit-attention.md), linked like the other views.
    attention_ = new AttentionPanel(worker_);
    detailTabs_->addTab(attention_, tr("Attention"));
    connect(attention_, &AttentionPanel::layerSelected, this, [this](int l) { selectLayerAndToken(l, selectedToken_); });
    connect(attention_, &AttentionPanel::tokenSelected, this, [this](int p) { selectLayerAndToken(selectedLayer_, p); });
    auto* views = new QSplitter(Qt::Vertical);
    views->addWidget(heatmap_);
    views->addWidget(detailTabs_);
    views->setStretchFactor(0, 1);
    views->setStretchFactor(1, 1);

    auto* main = new QSplitter(Qt::Horizontal);
    main->addWidget(left);
    main->addWidget(views);
    main->setStretchFactor(0, 1);
    main->setStretchFactor(1, 3);
    setCentralWidget(main);

    editor_ = new ScheduleEditor;
    auto* scheduleDock = new QDockWidget(tr("Schedule"), this);
    scheduleDock->setObjectName("scheduleDock");
    auto* scroll = new QScrollArea;
    scroll->setWidget(editor_);
    scroll->setWidgetResizable(true);
    scheduleDock->setWidget(scroll);
    addDockWidget(Qt::RightDockWidgetArea, scheduleDock);

    accuracy_ = new AccuracyPanel(worker_, [this] { return currentSchedule(); });
    auto* accuracyDock = new QDockWidget(tr("Accuracy"), this);
    accuracyDock->setObjectName("accuracyDock");
    accuracyDock->setWidget(accuracy_);
    addDockWidget(Qt::BottomDockWidgetArea, accuracyDock);
    connect(accuracy_, &AccuracyPanel::resultsChanged, this, &MainWindow::accuracyShown);
    connect(accuracy_, &AccuracyPanel::failed, this, [this](const QString& m) { lastError_ = m; });
    resize(1600, 1000);
    // The views get most of the height; the docks start compact (the saved layout wins from the second run).
    resizeDocks({accuracyDock}, {240}, Qt::Vertical);
    resizeDocks({scheduleDock}, {430}, Qt::Horizontal);

    promptDebounce_ = new QTimer(this);
    promptDebounce_->setSingleShot(true);
    promptDebounce_->setInterval(300);
    connect(promptDebounce_, &QTimer::timeout, this, &MainWindow::requestRun);
    connect(prompt_, &QPlainTextEdit::textChanged, promptDebounce_, qOverload<>(&QTimer::start));
    connect(editor_, &ScheduleEditor::scheduleChanged, this, &MainWindow::requestRun);
    connect(heatmap_, &ImportanceHeatmap::cellSelected, this, &MainWindow::selectLayerAndToken);
    connect(strip_, &TokenStrip::layerSelected, this, [this](int l) { selectLayerAndToken(l, selectedToken_); });
    connect(strip_, &TokenStrip::tokenSelected, this, [this](int p) { selectLayerAndToken(selectedLayer_, p); });
    connect(graph_, &SimilarityGraph::tokenSelected, this, [this](int p) { selectLayerAndToken(selectedLayer_, p); });
    statusBar()->showMessage(tr("Open a model folder to begin"));
}

void MainWindow::openModel(const QString& folder, const QString& requestedDtype, const QString& requestedDevice) {
    const QString dtype = requestedDtype.isEmpty() ? modelPanel_->dtype() : requestedDtype;
    const QString device = requestedDevice.isEmpty() ? modelPanel_->device() : requestedDevice;
    statusBar()->showMessage(tr("Loading %1…").arg(folder));
    modelPanel_->showLoading(folder);
    const QString tokenizer = folder == chosenTokenizerFor_ ? chosenTokenizer_ : QString();
    QMetaObject::invokeMethod(
        worker_, [w = worker_, folder, dtype, device, tokenizer] { w->loadModel(folder, dtype, device, tokenizer); },
        Qt::QueuedConnection);
}

void MainWindow::setReuseDensePass(bool reuse) {
    QMetaObject::invokeMethod(worker_, [w = worker_, reuse] { w->setReuseDensePass(reuse); }, Qt::QueuedConnection);
}

void MainWindow::setTokenizerFile(const QString& path) {
    // Remembered for reloads only once it loaded (showModel); a broken file is a message and changes nothing.
    QMetaObject::invokeMethod(worker_, [w = worker_, path] { w->loadTokenizer(path); }, Qt::QueuedConnection);
}

void MainWindow::setPrompt(const QString& text) { prompt_->setPlainText(text); }
QString MainWindow::prompt() const { return prompt_->toPlainText(); }
void MainWindow::setKeepRatio(double q) { editor_->setGlobalKeepRatio(q); }
ReductionSchedule MainWindow::currentSchedule() const { return editor_->schedule(); }
void MainWindow::setSchedule(const ReductionSchedule& schedule) { editor_->setSchedule(schedule); }
void MainWindow::runAccuracyCheck() { accuracy_->runCheck(); }
int MainWindow::accuracyBarsShown() const { return accuracy_->barCount(); }

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

void MainWindow::requestContinuations() {
    if (model_.layers == 0 || prompt_->toPlainText().trimmed().isEmpty()) return;
    ContinuationRequest r;
    r.id = nextId_++;
    r.prompt = prompt_->toPlainText();
    r.schedule = currentSchedule();
    continueButton_->setEnabled(false);
    continuations_->setPlainText(tr("Generating…"));
    QMetaObject::invokeMethod(worker_, [w = worker_, r] { w->continueText(r); }, Qt::QueuedConnection);
}

void MainWindow::showModel(const ModelFacts& facts) {
    if (!facts.tokenizer.isEmpty() &&
        facts.tokenizer != QString::fromStdString(tokenizerFileInModelDir(facts.folder.toStdString()))) {
        chosenTokenizer_ = facts.tokenizer;  // not the folder's own: the user chose it
        chosenTokenizerFor_ = facts.folder;
    }
    model_ = facts;
    modelPanel_->showFacts(facts);
    editor_->setModelConfig(facts.config);  // a new depth lays the anchors out again (depth-scaled)
    if (pendingSession_) {  // a session being restored: its schedule, now that the depth is known
        const ReductionSchedule schedule = pendingSession_->schedule;
        pendingSession_.reset();
        applySessionSchedule(schedule);
    }
    rememberModel(facts.folder);
    autosave_->markDirty();
    accuracy_->setModelReady(true);
    statusBar()->showMessage(tr("Model loaded"), 5000);
    requestRun();
}

void MainWindow::selectLayerAndToken(int layer, int position) {
    if (!last_) return;
    const int layers = static_cast<int>(last_->run.trace.layers.size());
    if (layer < 0 || layer >= layers) {  // default: the first anchor, where something happens
        layer = 0;
        for (const auto& l : last_->run.trace.layers)
            if (l.anchor) {
                layer = static_cast<int>(l.layer);
                break;
            }
    }
    const bool changed = layer != selectedLayer_ || position != selectedToken_;
    selectedLayer_ = layer;
    selectedToken_ = position;
    strip_->setLayer(layer);
    strip_->selectToken(position);
    graph_->setLayer(layer);
    graph_->selectToken(position);
    attention_->setLayerAndToken(layer, position);
    chips_->setHighlightedToken(position);
    if (changed && autosave_) autosave_->markDirty();  // a result re-applying the same selection saves nothing
}

void MainWindow::showResult(QSharedPointer<const ReductionResponse> response) {
    busy_ = false;
    if (pending_) {
        ReductionRequest next = *pending_;
        pending_.reset();
        sendToWorker(next);
    }
    // The chips show the prompt, which a slider move does not change: lay them out only for a new prompt.
    if (!last_ || response->ids != last_->ids || response->tokenLabels != last_->tokenLabels)
        chips_->setTokens(response->ids, response->tokenLabels);
    last_ = response;
    const TokenTrace& t = response->run.trace;
    heatmap_->setTrace(t, response->tokenLabels);
    strip_->setTrace(t, response->tokenLabels, response->ids);
    graph_->setTrace(t, response->tokenLabels);
    attention_->showRun(response->id, t, response->tokenLabels);
    if (pendingSelection_) {  // restored from a session
        std::tie(selectedLayer_, selectedToken_) = *pendingSelection_;
        pendingSelection_.reset();
    }
    if (selectedToken_ >= t.length) selectedToken_ = -1;
    selectLayerAndToken(selectedLayer_, selectedToken_);
    editor_->setPromptLength(t.length);
    std::vector<int64_t> entering, anchors;
    for (const auto& l : t.layers) {
        entering.push_back(l.tokensIn);
        if (l.anchor) anchors.push_back(l.layer);
    }
    tokensPlot_->setData(static_cast<int>(t.length), entering, anchors, response->run.flops.flopsReductionPercent,
                         response->run.flops.tokenReductionPercent);
    showNextTokens(t, response->run);
    statusBar()->showMessage(response->run.denseFromCache
                                 ? tr("reduced pass %1 ms (dense pass of this prompt reused)")
                                       .arg(response->run.reducedMs, 0, 'f', 1)
                                 : tr("dense %1 ms, reduced %2 ms")
                                       .arg(response->run.denseMs, 0, 'f', 1)
                                       .arg(response->run.reducedMs, 0, 'f', 1));
    ++resultsShown_;
    Q_EMIT resultShown();
}

void MainWindow::showNextTokens(const TokenTrace& t, const ReductionRunResult& run) {
    figures_->setText(tr("<b>%1 → %2 tokens</b> after the last anchor · FLOPs −%3% · KL(dense‖reduced) = %4")
                          .arg(t.length)
                          .arg(t.survivorPositions.size())
                          .arg(run.flops.flopsReductionPercent, 0, 'f', 1)
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
}

void MainWindow::showError(quint64 id, const QString& message) {
    if (id != 0) {
        busy_ = false;
        if (pending_) {
            ReductionRequest next = *pending_;
            pending_.reset();
            sendToWorker(next);
        }
        continueButton_->setEnabled(true);
    }
    lastError_ = message;
    statusBar()->showMessage(message);
    if (id == 0) {  // loading failed: say so loudly, without blocking the event loop; the old model stays
        modelPanel_->showFacts(model_);
        auto* box = new QMessageBox(QMessageBox::Warning, tr("SSM Lens"), message, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
}

void MainWindow::showAttentionTab() { detailTabs_->setCurrentWidget(attention_); }

bool MainWindow::exportHeatmap(const QString& path, int width, int height, QString* error) {
    const QString e = exportPlot(heatmap_->plot(), path, width, height);
    if (error) *error = e;
    return e.isEmpty();
}

}  // namespace ssmlens
