#pragma once
// The main window: a model, a prompt, a schedule, and the views of what reduction does to that prompt —
// importance heatmap, token strip, similarity graph, tokens per layer, next-token effect — plus the accuracy
// panel. Every run goes to the ReductionWorker on its thread; while one runs, newer requests replace each
// other and only the latest is sent next (slider moves coalesce; the GUI thread never waits).
//
// Nothing on screen is stale without saying so: the caption above the views names what they were computed
// for (model, prompt length, schedule) and turns into an "out of date" note the moment an input changes
// until the new result is in; opening another model clears the views; continuations are cleared when the
// prompt or schedule changes; the accuracy panel marks results of another schedule or model.
//
// Where things live: the views and docks are built in MainWindow.cpp (buildViews, buildDocks — add a new
// view or dock there and register its figure export in registerExports); menus and dialogs in
// MainWindowMenus.cpp; sessions, crash recovery and the quit prompt in MainWindowSession.cpp.
#include <QMainWindow>
#include <QSharedPointer>
#include <QThread>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "app/gui/SessionFile.h"
#include "app/gui/WorkerMessages.h"

class QAction;
class QCloseEvent;
class QComboBox;
class QDockWidget;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QShowEvent;
class QSplitter;
class QTabWidget;
class QTableWidget;
class QTextBrowser;
class QTimer;

namespace ssmlens {

class AccuracyPanel;
class AppSettings;
class AttentionPanel;
class Autosaver;
class ImportanceHeatmap;
class ModelPanel;
class PromptTokenChips;
class ReductionWorker;
class ScheduleEditor;
class SimilarityGraph;
class TokenStrip;
class TunePanel;
class TokensPerLayerPlot;
struct FigureSize;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // settings: where recent models, device, dtype and the window layout are kept (the user's settings when
    // null); autosave: the crash-recovery file (autosavePath() when empty; tests pass a temporary one).
    explicit MainWindow(QWidget* parent = nullptr, AppSettings* settings = nullptr,
                        const QString& autosave = QString());
    ~MainWindow() override;

    // Empty dtype or device: the model panel's choice (the last one used, when this machine has that device).
    void openModel(const QString& folder, const QString& dtype = QString(), const QString& device = QString());
    void setPrompt(const QString& text);
    QString prompt() const;
    void setKeepRatio(double q);  // every anchor's ratio, through the schedule editor (undoable)
    ReductionSchedule currentSchedule() const;
    void setSchedule(const ReductionSchedule& schedule);

    // Figures: every view that exports, by the name `ssmlens --export NAME=FILE` uses (heatmap, strip, graph,
    // tokens-per-layer, accuracy, accuracy-vs-flops, ...). Returns an error message naming the file, empty
    // on success.
    QStringList exportViewNames() const;
    QString exportView(const QString& name, const QString& path, const FigureSize& size);
    bool exportHeatmap(const QString& path, int width, int height, QString* error = nullptr);

    // For tests, benchmarks and scripted runs.
    int resultsShown() const { return resultsShown_; }
    QString lastError() const { return lastError_; }
    ImportanceHeatmap* heatmap() const { return heatmap_; }
    TokenStrip* tokenStrip() const { return strip_; }
    PromptTokenChips* promptChips() const { return chips_; }
    SimilarityGraph* similarityGraph() const { return graph_; }
    TokensPerLayerPlot* tokensPerLayerPlot() const { return tokensPlot_; }
    ScheduleEditor* scheduleEditor() const { return editor_; }
    AccuracyPanel* accuracyPanel() const { return accuracy_; }
    AttentionPanel* attentionPanel() const { return attention_; }
    void showAttentionTab();  // the Attention view in front (tests, benchmarks, screenshots)
    ModelPanel* modelPanel() const { return modelPanel_; }
    QTextBrowser* continuationsView() const { return continuations_; }
    QTableWidget* nextTokenTable() const { return topTokens_; }
    QAction* exportAccuracyAction() const { return exportAccuracy_; }
    TunePanel* tunePanel() const { return tune_; }
    const ModelFacts& modelFacts() const { return model_; }
    int promptTokens() const { return last_ ? static_cast<int>(last_->ids.size()) : 0; }
    // The views show the result of the current prompt, schedule and model (no newer input is waiting).
    bool resultIsCurrent() const;
    QString resultCaption() const;  // what the caption above the views says now (plain text)
    int selectedLayer() const { return selectedLayer_; }
    int selectedToken() const { return selectedToken_; }
    void runAccuracyCheck();
    int accuracyBarsShown() const;
    void selectLayerAndToken(int layer, int position);  // in every view
    void setTokenizerFile(const QString& path);  // for the open model (tokenizer.json or sentencepiece .model)
    void setReuseDensePass(bool reuse);          // the worker's dense-pass cache (on by default; for the benchmark)
    void requestContinuations();
    // The continuations view's text for a result: each continuation, an end-of-text marker where the model
    // ended (so an empty continuation is never just blank), and what it was generated for.
    static QString continuationsHtml(const ContinuationResult& result);

    // Sessions (MainWindowSession.cpp): everything the user made — model, prompt, schedule, selection,
    // accuracy results — saved to one file and restored from it. The Autosaver keeps a copy for crashes.
    Session currentSession() const;
    void applySession(const Session& session);
    QString saveSessionTo(const QString& path);  // error message, empty on success
    bool openSession(const QString& path, QString* error = nullptr);
    Autosaver* autosaver() const { return autosave_; }
    // Scripted runs (screenshots, exports, benchmarks) never touch the user's autosave.
    void disableAutosave();
    // Asks, without blocking, whether to restore the autosave when the last run did not exit cleanly; the
    // crashed session's file stays untouched until the answer (and is kept as a backup after "No").
    void offerCrashRecovery();
    QString crashBackupPath() const { return crashBackup_; }  // where "No" put the crashed session
    // Unsaved work: the prompt, schedule, similarity threshold or accuracy results differ from the last
    // session saved or opened (or from the start). Quitting with unsaved work asks to save it.
    bool hasUnsavedChanges() const;
    void markSaved();  // the current state is the one on disk (or the start state)

Q_SIGNALS:
    void resultShown();   // after the views have the new result
    void accuracyShown();
    void modelShown();    // after a model (or tokenizer) loaded and the views were cleared for it
    void failed(const QString& message);  // a model or tokenizer did not load, or the newest run failed

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void buildUi();
    void fitLeftColumn();
    void buildViews();   // the views of one result; add new ones here
    void buildDocks();   // schedule, accuracy; add new docks here
    void registerExports();
    void buildMenus();   // MainWindowMenus.cpp
    void retranslateUi();
    QWidget* buildPromptPanel();
    QWidget* buildEffectPanel();
    void inputsChanged(const QString& why);  // mark results out of date, clear what no longer applies
    void requestRun();
    void sendToWorker(const ReductionRequest& r);
    void showResult(QSharedPointer<const ReductionResponse> response);
    void showError(quint64 id, const QString& message);
    void showModel(const ModelFacts& facts);
    void showNextTokens(const TokenTrace& t, const ReductionRunSummary& run);
    void showContinuations(QSharedPointer<const ContinuationResult> result);
    void clearResultViews();
    void updateCaption();
    void updateExportActions();

    // MainWindowMenus.cpp
    void chooseModelFolder();
    void chooseTokenizerFile();
    void exportFigureDialog();
    void exportTraceDialog();
    void exportAccuracyDialog();
    void saveScheduleDialog();
    void loadScheduleDialog();
    void chooseLanguage(const QString& code);
    void showAbout();
    // MainWindowSession.cpp
    bool saveSessionDialog();  // false when the user cancelled or saving failed
    void openSessionDialog();
    void rememberModel(const QString& folder);
    void restoreWindowLayout();
    void applySessionSchedule(const ReductionSchedule& schedule);
    void answerCrashRecovery(bool restore);
    QString documentState() const;  // what counts for hasUnsavedChanges()

    QThread workerThread_;
    ReductionWorker* worker_;
    ModelFacts model_;
    bool busy_ = false;
    std::optional<ReductionRequest> pending_;
    quint64 nextId_ = 1;
    quint64 lastRequestId_ = 0;       // the newest run asked for
    quint64 continuationId_ = 0;      // the newest continuation asked for
    int resultsShown_ = 0;
    QString lastError_;
    QString runError_;                // the newest run failed: why (shown in the caption)
    QString staleReason_;             // why the views are out of date, until the next result
    QSharedPointer<const ReductionResponse> last_;
    int selectedLayer_ = -1, selectedToken_ = -1;
    std::map<QString, std::function<QString(const QString&, const FigureSize&)>> exports_;

    ModelPanel* modelPanel_;
    QLabel* promptLabel_;
    QPlainTextEdit* prompt_;
    PromptTokenChips* chips_;
    QComboBox* samplePrompts_;
    QLabel* figures_;
    QLabel* figuresNote_;
    QTableWidget* topTokens_;
    QPushButton* continueButton_;
    QTextBrowser* continuations_;
    QLabel* caption_;
    ImportanceHeatmap* heatmap_;
    QTabWidget* detailTabs_;
    TokenStrip* strip_;
    SimilarityGraph* graph_;
    TokensPerLayerPlot* tokensPlot_;
    AttentionPanel* attention_;
    QWidget* attentionPage_;  // the tab that holds attention_ (a scroll area around it)
    QSplitter* leftColumn_;   // the model and prompt panel over the effect panel
    QWidget* effectPanel_;
    bool leftColumnMoved_ = false;  // the user dragged its handle: their sizes stay
    ScheduleEditor* editor_;
    AccuracyPanel* accuracy_;
    QDockWidget* scheduleDock_;
    QDockWidget* accuracyDock_;
    QAction* exportAccuracy_ = nullptr;
    QDockWidget* tuneDock_;
    TunePanel* tune_;
    QTimer* promptDebounce_;
    std::unique_ptr<AppSettings> ownedSettings_;
    AppSettings* settings_;
    Autosaver* autosave_ = nullptr;
    QString sessionPath_;       // the file the session was last saved to or opened from
    QString savedState_;        // documentState() at the last save, open or start
    bool recoveryPending_ = false;
    QString crashBackup_;
    // A tokenizer file the user chose for the model in chosenTokenizerFor_ (reloads of that folder, e.g. on
    // another device, keep it; another folder uses its own).
    QString chosenTokenizer_, chosenTokenizerFor_;
    // A session being restored: its schedule waits for the model (whose depth would lay anchors out anew),
    // its selection for the first result.
    std::optional<Session> pendingSession_;
    bool pendingSessionFromFile_ = false;  // opened from a file (saved), not restored after a crash
    std::optional<std::pair<int, int>> pendingSelection_;  // layer, token
};

}  // namespace ssmlens
