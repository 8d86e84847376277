#include "app/gui/MainWindow.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QEvent>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <functional>
#include <tuple>

#include "app/gui/AccuracyPanel.h"
#include "app/gui/AppSettings.h"
#include "app/gui/AttentionPanel.h"
#include "app/gui/Autosaver.h"
#include "app/gui/ModelPanel.h"
#include "app/gui/ReductionWorker.h"
#include "app/gui/RunDescription.h"
#include "app/gui/SamplePrompts.h"
#include "app/gui/TunePanel.h"
#include "core/Error.h"
#include "core/text/Tokenizer.h"
#include "widgets/AccuracyBars.h"
#include "widgets/AccuracySweepPlot.h"
#include "widgets/AttentionView.h"
#include "widgets/AttributionPlot.h"
#include "widgets/ImportanceAttentionScatter.h"
#include "widgets/ImportanceHeatmap.h"
#include "widgets/PlotExport.h"
#include "widgets/PromptTokenChips.h"
#include "widgets/ScheduleEditor.h"
#include "widgets/SimilarityGraph.h"
#include "widgets/TokenStrip.h"
#include "widgets/TokensPerLayerPlot.h"

namespace ssmlens {

namespace {

// The caption's look when the views are current, and when they wait for a newer result or failed.
const char kCurrentStyle[] = "QLabel { padding: 3px 6px; }";
const char kStaleStyle[] = "QLabel { padding: 3px 6px; background: #fff3cd; border: 1px solid #e6b800; }";

// A scroll area that asks for all of its page's height (QScrollArea caps its wish at 24 lines) and says when
// the page's wish changed: a splitter can then show the whole page when the window is tall enough and let it
// scroll only when the window is short.
class WholePageScrollArea : public QScrollArea {
public:
    explicit WholePageScrollArea(std::function<void()> pageChanged) : pageChanged_(std::move(pageChanged)) {}

    QSize sizeHint() const override {
        if (!widget()) return QScrollArea::sizeHint();
        const int frame = 2 * frameWidth();
        QSize page = widget()->sizeHint();
        // Wrapped labels make the page taller than its hint at the width it has.
        if (widget()->hasHeightForWidth() && viewport()->width() > 0)
            page.setHeight(std::max(page.height(), widget()->heightForWidth(viewport()->width())));
        return page + QSize(frame + verticalScrollBar()->sizeHint().width(), frame);
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        // QScrollArea watches its page already; a LayoutRequest there means the page's wish may have changed.
        if (watched == widget() && event->type() == QEvent::LayoutRequest && pageChanged_)
            QTimer::singleShot(0, this, pageChanged_);
        return QScrollArea::eventFilter(watched, event);
    }

private:
    std::function<void()> pageChanged_;
};

// The prompt editor asks for six lines (QPlainTextEdit asks for about twelve): on a short window the token chips
// under it stay in view; a longer prompt scrolls in the editor.
class PromptEdit : public QPlainTextEdit {
public:
    QSize sizeHint() const override {
        const int frame = 2 * frameWidth() + int(2 * document()->documentMargin());
        return {QPlainTextEdit::sizeHint().width(), 6 * fontMetrics().lineSpacing() + frame};
    }
};

}  // namespace

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
    qRegisterMetaType<QSharedPointer<const ssmlens::ContinuationResult>>();
    worker_->moveToThread(&workerThread_);
    connect(&workerThread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &ReductionWorker::modelLoaded, this, &MainWindow::showModel);
    connect(worker_, &ReductionWorker::finished, this, &MainWindow::showResult);
    connect(worker_, &ReductionWorker::failed, this, &MainWindow::showError);
    connect(worker_, &ReductionWorker::continuationsReady, this, &MainWindow::showContinuations);
    workerThread_.start();
    buildUi();
    buildMenus();
    registerExports();

    // Autosave: every change the user makes marks the session dirty; the Autosaver writes it a little later.
    autosave_ = new Autosaver([this] { return currentSession(); }, autosave.isEmpty() ? autosavePath() : autosave, this);
    connect(autosave_, &Autosaver::saveFailed, this, [this](const QString& m) { statusBar()->showMessage(m, 10000); });
    connect(prompt_, &QPlainTextEdit::textChanged, autosave_, &Autosaver::markDirty);
    connect(editor_, &ScheduleEditor::scheduleChanged, autosave_, &Autosaver::markDirty);
    connect(accuracy_, &AccuracyPanel::resultsChanged, autosave_, &Autosaver::markDirty);
    connect(graph_, &SimilarityGraph::thresholdChanged, autosave_, &Autosaver::markDirty);
    // The file of a run that crashed stays as it is until the user has said whether to restore it.
    recoveryPending_ = Autosaver::previousRunCrashed(autosave_->path());
    if (recoveryPending_) autosave_->setSuspended(true);
    modelPanel_->setRecentModels(settings_->recentModels());
    modelPanel_->setDevice(settings_->device());
    modelPanel_->setDtype(settings_->dtype());
    restoreWindowLayout();
    markSaved();
}

MainWindow::~MainWindow() {
    workerThread_.quit();
    workerThread_.wait();
}

// ---- building --------------------------------------------------------------------------------------

QWidget* MainWindow::buildPromptPanel() {
    auto* panel = new QWidget;
    auto* form = new QFormLayout(panel);
    modelPanel_ = new ModelPanel;
    form->addRow(modelPanel_);
    samplePrompts_ = new QComboBox;
    promptLabel_ = new QLabel;
    form->addRow(promptLabel_, samplePrompts_);
    prompt_ = new PromptEdit;
    prompt_->setMinimumHeight(70);
    form->addRow(prompt_);
    // The prompt as the model sees it: one chip per token (id and piece on hover); a click selects the token.
    chips_ = new PromptTokenChips;
    auto* chipsScroll = new QScrollArea;
    chipsScroll->setWidget(chips_);
    chipsScroll->setWidgetResizable(true);
    chipsScroll->setFrameShape(QFrame::NoFrame);
    chipsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    chipsScroll->setMinimumHeight(60);
    chipsScroll->setMaximumHeight(130);
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
    figures_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(figures_);
    // What the FLOPs figure is (a newcomer meets three: this prompt, the editor's, the accuracy task's).
    figuresNote_ = new QLabel;
    figuresNote_->setWordWrap(true);
    figuresNote_->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(figuresNote_);
    topTokens_ = new QTableWidget(0, 4);
    topTokens_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    topTokens_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    topTokens_->horizontalHeader()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    topTokens_->setWordWrap(false);
    topTokens_->setTextElideMode(Qt::ElideMiddle);
    topTokens_->verticalHeader()->setVisible(false);
    topTokens_->verticalHeader()->setDefaultSectionSize(topTokens_->fontMetrics().height() + 6);
    topTokens_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    topTokens_->setMinimumHeight(100);
    layout->addWidget(topTokens_, 1);
    continueButton_ = new QPushButton;
    continueButton_->setShortcut(QKeySequence(QStringLiteral("Ctrl+G")));
    layout->addWidget(continueButton_);
    continuations_ = new QTextBrowser;
    continuations_->setMinimumHeight(48);
    continuations_->setMaximumHeight(110);
    layout->addWidget(continuations_);
    connect(continueButton_, &QPushButton::clicked, this, &MainWindow::requestContinuations);
    return panel;
}

void MainWindow::buildViews() {
    heatmap_ = new ImportanceHeatmap;
    strip_ = new TokenStrip;
    graph_ = new SimilarityGraph;
    tokensPlot_ = new TokensPerLayerPlot;
    detailTabs_ = new QTabWidget;
    detailTabs_->addTab(strip_, QString());
    detailTabs_->addTab(graph_, QString());
    detailTabs_->addTab(tokensPlot_, QString());
    // The implicit attention of the selected layer (docs/implicit-attention.md), linked like the other views.
    // In a scroll area: its controls and two matrices need more height than a 1000-pixel screen leaves the tabs
    // when the heatmap keeps a readable size; the page scrolls instead of pushing the window off the screen.
    attention_ = new AttentionPanel(worker_);
    auto* attentionScroll = new QScrollArea;
    attentionScroll->setWidget(attention_);
    attentionScroll->setWidgetResizable(true);
    attentionScroll->setFrameShape(QFrame::NoFrame);
    attentionScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    attentionPage_ = attentionScroll;
    detailTabs_->addTab(attentionPage_, QString());
    connect(attention_, &AttentionPanel::layerSelected, this, [this](int l) { selectLayerAndToken(l, selectedToken_); });
    connect(attention_, &AttentionPanel::tokenSelected, this, [this](int p) { selectLayerAndToken(selectedLayer_, p); });
    // More views of one result: add a tab here, feed it in showResult, clear it in clearResultViews and
    // register its figure in registerExports.
    connect(heatmap_, &ImportanceHeatmap::cellSelected, this, &MainWindow::selectLayerAndToken);
    connect(strip_, &TokenStrip::layerSelected, this, [this](int l) { selectLayerAndToken(l, selectedToken_); });
    connect(strip_, &TokenStrip::tokenSelected, this, [this](int p) { selectLayerAndToken(selectedLayer_, p); });
    connect(graph_, &SimilarityGraph::tokenSelected, this, [this](int p) { selectLayerAndToken(selectedLayer_, p); });
    connect(tokensPlot_, &TokensPerLayerPlot::layerSelected, this, [this](int l) { selectLayerAndToken(l, selectedToken_); });
}

void MainWindow::buildDocks() {
    editor_ = new ScheduleEditor;
    scheduleDock_ = new QDockWidget(this);
    scheduleDock_->setObjectName("scheduleDock");
    auto* scroll = new QScrollArea;
    scroll->setWidget(editor_);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // the editor fits its width (tested)
    scheduleDock_->setWidget(scroll);
    addDockWidget(Qt::RightDockWidgetArea, scheduleDock_);

    accuracy_ = new AccuracyPanel(worker_, [this] { return currentSchedule(); });
    accuracyDock_ = new QDockWidget(this);
    accuracyDock_->setObjectName("accuracyDock");
    accuracyDock_->setWidget(accuracy_);
    addDockWidget(Qt::BottomDockWidgetArea, accuracyDock_);
    connect(accuracy_, &AccuracyPanel::resultsChanged, this, &MainWindow::accuracyShown);
    connect(accuracy_, &AccuracyPanel::resultsChanged, this, &MainWindow::updateExportActions);
    connect(accuracy_, &AccuracyPanel::failed, this, [this](const QString& m) { lastError_ = m; });

    // The schedule search, in a tab beside the accuracy panel; "apply" is one undoable edit of the editor.
    tune_ = new TunePanel;
    tuneDock_ = new QDockWidget(this);
    tuneDock_->setObjectName("tuneDock");
    tuneDock_->setWidget(tune_);
    addDockWidget(Qt::BottomDockWidgetArea, tuneDock_);
    tabifyDockWidget(accuracyDock_, tuneDock_);
    accuracyDock_->raise();
    connect(tune_, &TunePanel::applyRequested, this,
            [this](const ReductionSchedule& s) { editor_->applySchedule(s, tr("Apply tuned schedule")); });
    connect(editor_, &ScheduleEditor::scheduleChanged, tune_, &TunePanel::setEditorSchedule);
    // More docks: create them here, with an object name (the saved layout finds them by it).
}

void MainWindow::buildUi() {
    auto* left = leftColumn_ = new QSplitter(Qt::Vertical);
    // The model and prompt panel scrolls when the window is short: the window then still fits a 1000-pixel
    // screen in every language (its minimum height does not grow with the texts of the panel).
    auto* promptScroll = new WholePageScrollArea([this] { fitLeftColumn(); });
    promptScroll->setWidget(buildPromptPanel());
    promptScroll->setWidgetResizable(true);
    promptScroll->setFrameShape(QFrame::NoFrame);
    promptScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    promptScroll->setMinimumHeight(120);
    left->addWidget(promptScroll);
    effectPanel_ = buildEffectPanel();
    left->addWidget(effectPanel_);
    left->setStretchFactor(0, 0);  // height beyond the prompt panel's wish goes to the next-token table
    left->setStretchFactor(1, 1);
    connect(left, &QSplitter::splitterMoved, this, [this] { leftColumnMoved_ = true; });

    buildViews();
    auto* viewsPanel = new QWidget;
    auto* viewsLayout = new QVBoxLayout(viewsPanel);
    viewsLayout->setContentsMargins(0, 0, 0, 0);
    viewsLayout->setSpacing(2);
    caption_ = new QLabel;
    caption_->setWordWrap(true);
    caption_->setTextFormat(Qt::RichText);
    viewsLayout->addWidget(caption_);
    auto* views = new QSplitter(Qt::Vertical);
    views->addWidget(heatmap_);
    views->addWidget(detailTabs_);
    views->setStretchFactor(0, 1);
    views->setStretchFactor(1, 1);
    heatmap_->setMinimumHeight(300);  // its cells stay readable at 1600x1000 (tested)
    viewsLayout->addWidget(views, 1);

    auto* main = new QSplitter(Qt::Horizontal);
    main->addWidget(left);
    main->addWidget(viewsPanel);
    main->setStretchFactor(0, 1);
    main->setStretchFactor(1, 3);
    setCentralWidget(main);
    buildDocks();
    // The schedule dock runs the full height on the right; the accuracy dock sits under the views only.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    main->setSizes({380, 820});

    promptDebounce_ = new QTimer(this);
    promptDebounce_->setSingleShot(true);
    promptDebounce_->setInterval(300);
    connect(promptDebounce_, &QTimer::timeout, this, &MainWindow::requestRun);
    connect(prompt_, &QPlainTextEdit::textChanged, this, [this] {
        inputsChanged(tr("the prompt changed"));
        promptDebounce_->start();
    });
    connect(editor_, &ScheduleEditor::scheduleChanged, this, [this] {
        inputsChanged(tr("the schedule changed"));
        accuracy_->setCurrentContext(model_, currentSchedule());
        requestRun();
    });
    retranslateUi();
    resize(1600, 1000);
    // The views get most of the height; the docks start compact (the saved layout wins from the second run).
    resizeDocks({accuracyDock_}, {180}, Qt::Vertical);
    resizeDocks({scheduleDock_}, {std::max(430, scheduleDock_->widget()->minimumWidth())}, Qt::Horizontal);
    clearResultViews();
    statusBar()->showMessage(tr("Open a model folder to begin"));
}

// Every text of the window that is not made from data; called again when the language changes.
void MainWindow::retranslateUi() {
    setWindowTitle(tr("SSM Lens"));
    promptLabel_->setText(tr("Prompt:"));
    samplePrompts_->clear();
    samplePrompts_->addItem(tr("Sample prompts…"));
    for (const auto& s : samplePrompts()) samplePrompts_->addItem(s.title, s.text);
    samplePrompts_->setToolTip(tr("Replace the prompt with a sample"));
    prompt_->setPlaceholderText(tr("Type or paste a prompt"));
    topTokens_->setHorizontalHeaderLabels({tr("dense"), tr("p"), tr("reduced"), tr("p")});
    topTokens_->setToolTip(tr("The ten most likely next tokens, dense and with the schedule"));
    continueButton_->setText(tr("Generate continuations"));
    continueButton_->setToolTip(tr("32 greedy tokens from the dense model and after the reduced prefill (Ctrl+G)"));
    continuations_->setPlaceholderText(tr("Dense and reduced continuations appear here"));
    detailTabs_->setTabText(0, tr("Token strip"));
    detailTabs_->setTabText(1, tr("Similarity graph"));
    detailTabs_->setTabText(2, tr("Tokens per layer"));
    detailTabs_->setTabText(detailTabs_->indexOf(attentionPage_), tr("Attention"));
    scheduleDock_->setWindowTitle(tr("Schedule"));
    // The editor is never narrower than its controls need (no clipped fields in any language).
    auto* scheduleScroll = static_cast<QScrollArea*>(scheduleDock_->widget());
    scheduleScroll->setMinimumWidth(editor_->minimumSizeHint().width() +
                                    scheduleScroll->verticalScrollBar()->sizeHint().width() + 4);
    accuracyDock_->setWindowTitle(tr("Accuracy"));
    tuneDock_->setWindowTitle(tr("Tune"));
    figuresNote_->setText(tr("Accuracy checks report the mean FLOPs of their task's examples: another number."));
    figuresNote_->setToolTip(tr("FLOPs here: this prompt, measured pass. The schedule editor counts the same prompt "
                                "analytically; an accuracy check averages over its task's examples, whose lengths "
                                "differ, so its FLOPs figure differs too."));
    if (last_) showNextTokens(last_->run.trace, last_->run);
    updateCaption();
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    fitLeftColumn();
}

void MainWindow::fitLeftColumn() {
    // Until the user drags the handle, the model and prompt panel gets all the height it asks for (its page is
    // laid out at its preferred height, so less means scrolling) as long as the effect panel keeps its minimum
    // with six rows of its table in view; the rest goes to the effect panel. (The table's own minimum is part of
    // the panel's: six rows replace it, they do not come on top of it, or the prompt's token chips scroll out of
    // view at 1600x1000.)
    if (leftColumnMoved_ || !leftColumn_->isVisible()) return;
    const int total = leftColumn_->height() - leftColumn_->handleWidth();
    const int tableWithSixRows = topTokens_->horizontalHeader()->sizeHint().height() + 2 * topTokens_->frameWidth() +
                                 6 * topTokens_->verticalHeader()->defaultSectionSize();
    const int effectWants = effectPanel_->minimumSizeHint().height() - topTokens_->minimumHeight() +
                            std::max(topTokens_->minimumHeight(), tableWithSixRows);
    const QWidget* prompt = leftColumn_->widget(0);
    const int promptHeight = std::clamp(total - effectWants, prompt->minimumHeight(),
                                        std::max(prompt->minimumHeight(), prompt->sizeHint().height()));
    if (leftColumn_->sizes().value(0) != promptHeight) leftColumn_->setSizes({promptHeight, std::max(0, total - promptHeight)});
}

void MainWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange && caption_) {
        retranslateUi();
        menuBar()->clear();
        buildMenus();
        updateExportActions();
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::registerExports() {
    // Figures by the names `ssmlens --export NAME=FILE` takes; a new view registers its own here.
    exports_["heatmap"] = [this](const QString& path, const FigureSize& size) { return heatmap_->exportImage(path, size); };
    exports_["strip"] = [this](const QString& path, const FigureSize& size) { return strip_->exportImage(path, size); };
    exports_["graph"] = [this](const QString& path, const FigureSize& size) { return graph_->exportImage(path, size); };
    exports_["tokens-per-layer"] = [this](const QString& path, const FigureSize& size) {
        return exportPlot(tokensPlot_->plot(), path, size);
    };
    exports_["attention"] = [this](const QString& path, const FigureSize& size) {
        return attention_->view()->exportMatrices(path, size);
    };
    exports_["importance-vs-attention"] = [this](const QString& path, const FigureSize& size) {
        return exportPlot(attention_->view()->scatter()->plot(), path, size);
    };
    exports_["attribution"] = [this](const QString& path, const FigureSize& size) {
        return exportPlot(attention_->view()->attributionPlot()->plot(), path, size);
    };
    exports_["accuracy"] = [this](const QString& path, const FigureSize& size) {
        return exportPlot(accuracy_->bars()->plot(), path, size);
    };
    exports_["accuracy-vs-flops"] = [this](const QString& path, const FigureSize& size) {
        return exportPlot(accuracy_->sweepPlot()->plot(), path, size);
    };
}

QStringList MainWindow::exportViewNames() const {
    QStringList names;
    for (const auto& [name, f] : exports_) names << name;
    return names;
}

QString MainWindow::exportView(const QString& name, const QString& path, const FigureSize& size) {
    const auto it = exports_.find(name);
    if (it == exports_.end())
        return tr("%1: no view called \"%2\" (views: %3)").arg(path, name, exportViewNames().join(", "));
    return it->second(path, size);
}

bool MainWindow::exportHeatmap(const QString& path, int width, int height, QString* error) {
    FigureSize size;
    size.widthPx = width;
    size.heightPx = height;
    const QString e = exportView("heatmap", path, size);
    if (error) *error = e;
    return e.isEmpty();
}

// ---- requests --------------------------------------------------------------------------------------

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

void MainWindow::inputsChanged(const QString& why) {
    if (last_ && !resultIsCurrent()) staleReason_ = why;
    // Continuations belong to the prompt and schedule they were generated for: gone with them.
    if (continuationId_ != 0 || !continuations_->toPlainText().isEmpty()) {
        continuationId_ = 0;
        continuations_->clear();
        continuations_->setPlaceholderText(tr("Continuations cleared: %1. Generate them again (Ctrl+G).").arg(why));
        continueButton_->setEnabled(true);
    }
    updateCaption();
}

void MainWindow::requestRun() {
    if (model_.layers == 0 || prompt_->toPlainText().trimmed().isEmpty()) return;
    ReductionRequest r;
    r.id = nextId_++;
    r.prompt = prompt_->toPlainText();
    r.schedule = currentSchedule();
    lastRequestId_ = r.id;
    runError_.clear();
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
    continuationId_ = r.id;
    continueButton_->setEnabled(false);
    continuations_->setPlainText(tr("Generating…"));
    QMetaObject::invokeMethod(worker_, [w = worker_, r] { w->continueText(r); }, Qt::QueuedConnection);
}

// ---- results ---------------------------------------------------------------------------------------

bool MainWindow::resultIsCurrent() const {
    return last_ && last_->modelGeneration == model_.generation && last_->request.prompt == prompt_->toPlainText() &&
           last_->request.schedule == currentSchedule();
}

void MainWindow::clearResultViews() {
    last_.reset();
    heatmap_->clear();
    strip_->clear();
    graph_->clear();
    tokensPlot_->clear();
    attention_->clear();
    chips_->clear();
    topTokens_->setRowCount(0);
    figures_->setText(tr("No result yet."));
    continuationId_ = 0;
    continuations_->clear();
    continueButton_->setEnabled(true);
    staleReason_.clear();
    updateCaption();
}

void MainWindow::updateCaption() {
    const QString busyNote = busy_ || pending_ ? tr("computing…") : QString();
    if (!last_) {
        caption_->setStyleSheet(kCurrentStyle);
        if (!runError_.isEmpty())
            caption_->setText(tr("<b>No result:</b> %1").arg(runError_.toHtmlEscaped()));
        else if (model_.layers == 0)
            caption_->setText(tr("No result yet: open a model and type a prompt."));
        else
            caption_->setText(busyNote.isEmpty() ? tr("No result yet: type a prompt.") : tr("Running the prompt…"));
        return;
    }
    const QString what = tr("%1 · %2 tokens · %3")
                             .arg(RunDescription::model(model_).toHtmlEscaped())
                             .arg(last_->ids.size())
                             .arg(RunDescription::schedule(last_->request.schedule).toHtmlEscaped());
    if (resultIsCurrent() && runError_.isEmpty()) {
        caption_->setStyleSheet(kCurrentStyle);
        caption_->setText(tr("Computed for %1").arg(what));
        return;
    }
    caption_->setStyleSheet(kStaleStyle);
    QString text;
    if (!runError_.isEmpty())
        text = tr("<b>Out of date:</b> the new input failed (%1). Shown: the result for %2.").arg(runError_.toHtmlEscaped(), what);
    else
        text = tr("<b>Out of date</b> (%1), %2 Shown: the result for %3.")
                   .arg(staleReason_.isEmpty() ? tr("the input changed") : staleReason_.toHtmlEscaped(),
                        busyNote.isEmpty() ? tr("waiting for the new result.") : busyNote, what);
    caption_->setText(text);
}

QString MainWindow::resultCaption() const { return caption_->text().remove(QRegularExpression("<[^>]*>")); }

void MainWindow::showModel(const ModelFacts& facts) {
    if (!facts.tokenizer.isEmpty() &&
        facts.tokenizer != QString::fromStdString(tokenizerFileInModelDir(facts.folder.toStdString()))) {
        chosenTokenizer_ = facts.tokenizer;  // not the folder's own: the user chose it
        chosenTokenizerFor_ = facts.folder;
    }
    const bool wasSaved = !hasUnsavedChanges();
    model_ = facts;
    modelPanel_->showFacts(facts);
    // Results of the previous model (or tokenizer) must not stay on screen as if they were this one's.
    clearResultViews();
    editor_->setModelConfig(facts.config);  // a new depth lays the anchors out again (depth-scaled)
    if (pendingSession_) {  // a session being restored: its schedule, now that the depth is known
        const ReductionSchedule schedule = pendingSession_->schedule;
        pendingSession_.reset();
        applySessionSchedule(schedule);
        if (pendingSessionFromFile_) markSaved();  // as on disk; a restored crash is unsaved work
    } else if (wasSaved) {
        markSaved();  // laying the anchors out for the new depth is not the user's work
    }
    rememberModel(facts.folder);
    autosave_->markDirty();
    accuracy_->setModelReady(true);
    accuracy_->setCurrentContext(model_, currentSchedule());
    tune_->setModel(facts);
    tune_->setEditorSchedule(editor_->schedule());
    statusBar()->showMessage(tr("Model loaded"), 5000);
    Q_EMIT modelShown();
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
    if (position >= last_->run.trace.length) position = -1;
    const bool changed = layer != selectedLayer_ || position != selectedToken_;
    selectedLayer_ = layer;
    selectedToken_ = position;
    heatmap_->setSelection(layer, position);
    strip_->setLayer(layer);
    strip_->selectToken(position);
    graph_->setLayer(layer);
    graph_->selectToken(position);
    attention_->setLayerAndToken(layer, position);
    tokensPlot_->setSelectedLayer(layer);
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
    if (response->modelGeneration != model_.generation) {  // made with a model that has been replaced
        updateCaption();
        return;
    }
    // The chips show the prompt, which a slider move does not change: lay them out only for a new prompt.
    if (!last_ || response->ids != last_->ids || response->tokenLabels != last_->tokenLabels)
        chips_->setTokens(response->ids, response->tokenLabels);
    last_ = response;
    if (response->id == lastRequestId_) runError_.clear();
    staleReason_.clear();
    const TokenTrace& t = response->run.trace;
    heatmap_->setTrace(t, response->tokenLabels);
    strip_->setTrace(t, response->tokenLabels, response->ids);
    graph_->setTrace(t, response->tokenLabels);
    attention_->showRun(response->id, t, response->tokenLabels);
    std::vector<int64_t> entering, anchors;
    for (const auto& l : t.layers) {
        entering.push_back(l.tokensIn);
        if (l.anchor) anchors.push_back(l.layer);
    }
    tokensPlot_->setData(static_cast<int>(t.length), entering, anchors, response->run.flops.flopsReductionPercent,
                         response->run.flops.tokenReductionPercent);
    if (pendingSelection_) {  // restored from a session
        std::tie(selectedLayer_, selectedToken_) = *pendingSelection_;
        pendingSelection_.reset();
    }
    if (selectedToken_ >= t.length) selectedToken_ = -1;
    selectLayerAndToken(selectedLayer_, selectedToken_);
    editor_->setPromptLength(t.length);
    showNextTokens(t, response->run);
    statusBar()->showMessage(response->run.denseFromCache
                                 ? tr("reduced pass %1 ms (dense pass of this prompt reused)")
                                       .arg(RunDescription::number(response->run.reducedMs, 1))
                                 : tr("dense %1 ms, reduced %2 ms")
                                       .arg(RunDescription::number(response->run.denseMs, 1),
                                            RunDescription::number(response->run.reducedMs, 1)));
    updateCaption();
    ++resultsShown_;
    Q_EMIT resultShown();
}

void MainWindow::showNextTokens(const TokenTrace& t, const ReductionRunSummary& run) {
    figures_->setText(tr("<b>%1 → %2 tokens</b> after the last anchor · FLOPs −%3% for this prompt · "
                         "KL(dense‖reduced) = %4")
                          .arg(t.length)
                          .arg(t.survivorPositions.size())
                          .arg(RunDescription::number(run.flops.flopsReductionPercent, 1))
                          .arg(QLocale().toString(t.klDivergence, 'g', 3)));
    const int rows = static_cast<int>(std::min(t.denseTopK.size(), t.reducedTopK.size()));
    topTokens_->setRowCount(rows);
    for (int i = 0; i < rows; ++i) {
        auto token = [](const NextTokenProbability& p) {
            const QString piece = QString::fromStdString(p.piece);
            const QString shown = piece.trimmed().isEmpty() ? TokenStrip::visibleText(piece) : piece;
            auto* item = new QTableWidgetItem(QStringLiteral("\"%1\"").arg(shown));
            item->setToolTip(tr("\"%1\", token id %2").arg(shown).arg(p.id));
            return item;
        };
        auto prob = [](float p) {
            return new QTableWidgetItem(p >= 0.01f ? QLocale().toString(p, 'f', 2) : QLocale().toString(p, 'e', 1));
        };
        topTokens_->setItem(i, 0, token(t.denseTopK[i]));
        topTokens_->setItem(i, 1, prob(t.denseTopK[i].probability));
        topTokens_->setItem(i, 2, token(t.reducedTopK[i]));
        topTokens_->setItem(i, 3, prob(t.reducedTopK[i].probability));
    }
}

QString MainWindow::continuationsHtml(const ContinuationResult& result) {
    const QString end = QStringLiteral(" <span style=\"color:#777; font-style:italic\">%1</span>")
                            .arg(tr("⟨end of text⟩").toHtmlEscaped());
    auto body = [&](const QString& text, bool ended) {
        QString html = text.toHtmlEscaped();
        html.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
        if (ended) html += end;
        if (text.isEmpty() && !ended) html = tr("(nothing)");
        return html;
    };
    return tr("<p><b>Dense:</b> %1</p><p><b>Reduced:</b> %2</p><p style=\"color:#777\">For this prompt with %3.</p>")
        .arg(body(result.dense, result.denseEnded), body(result.reduced, result.reducedEnded),
             RunDescription::schedule(result.request.schedule).toHtmlEscaped());
}

void MainWindow::showContinuations(QSharedPointer<const ContinuationResult> result) {
    if (result->id != continuationId_) return;  // asked for an earlier prompt or schedule
    continueButton_->setEnabled(true);
    continuations_->setHtml(continuationsHtml(*result));
}

void MainWindow::showError(quint64 id, const QString& message) {
    if (id != 0) {
        busy_ = false;
        if (pending_) {
            ReductionRequest next = *pending_;
            pending_.reset();
            sendToWorker(next);
        }
        if (id == continuationId_) {
            continueButton_->setEnabled(true);
            continuations_->setPlainText(message);
        }
        if (id == lastRequestId_) runError_ = message;
        updateCaption();
        if (id == lastRequestId_) Q_EMIT failed(message);
    }
    lastError_ = message;
    statusBar()->showMessage(message);
    if (id == 0) {  // loading failed: say so loudly, without blocking the event loop; the old model stays
        modelPanel_->showFacts(model_);
        auto* box = new QMessageBox(QMessageBox::Warning, tr("SSM Lens"), message, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        Q_EMIT failed(message);
    }
}

void MainWindow::showAttentionTab() { detailTabs_->setCurrentWidget(attentionPage_); }

void MainWindow::updateExportActions() {
    if (!exportAccuracy_) return;
    const bool any = !accuracy_->results().empty() || accuracy_->sweepSeriesCount() > 0;
    exportAccuracy_->setEnabled(any);
    exportAccuracy_->setToolTip(any ? tr("Save the accuracy results shown as CSV")
                                    : tr("No accuracy results yet: run an accuracy check first"));
}

}  // namespace ssmlens
