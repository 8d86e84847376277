#pragma once
// The main window: a model, a prompt, a schedule, and the views of what reduction does to that prompt —
// importance heatmap, token strip, similarity graph, tokens per layer, next-token effect — plus the accuracy
// panel. Every run goes to the ReductionWorker on its thread; while one runs, newer requests replace each
// other and only the latest is sent next (slider moves coalesce; the GUI thread never waits).
// Menus, dialogs, sessions and settings are in MainWindowMenus.cpp.
#include <QMainWindow>
#include <QSharedPointer>
#include <QThread>
#include <memory>
#include <optional>

#include "app/gui/ReductionWorker.h"
#include "app/gui/SessionFile.h"

class QCloseEvent;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
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
class ScheduleEditor;
class SimilarityGraph;
class TokenStrip;
class TokensPerLayerPlot;

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

    // For tests, benchmarks and scripted screenshots.
    int resultsShown() const { return resultsShown_; }
    QString lastError() const { return lastError_; }
    ImportanceHeatmap* heatmap() const { return heatmap_; }
    TokenStrip* tokenStrip() const { return strip_; }
    PromptTokenChips* promptChips() const { return chips_; }
    SimilarityGraph* similarityGraph() const { return graph_; }
    ScheduleEditor* scheduleEditor() const { return editor_; }
    AccuracyPanel* accuracyPanel() const { return accuracy_; }
    AttentionPanel* attentionPanel() const { return attention_; }
    void showAttentionTab();  // the Attention view in front (tests, benchmarks, screenshots)
    const ModelFacts& modelFacts() const { return model_; }
    int promptTokens() const { return last_ ? static_cast<int>(last_->ids.size()) : 0; }
    bool exportHeatmap(const QString& path, int width, int height, QString* error = nullptr);
    void runAccuracyCheck();
    int accuracyBarsShown() const;
    void selectLayerAndToken(int layer, int position);  // in every view
    void setTokenizerFile(const QString& path);
    void setReuseDensePass(bool reuse);  // the worker's dense-pass cache (on by default; for the benchmark)  // for the open model (tokenizer.json or sentencepiece .model)

    // Sessions (MainWindowSession.cpp): everything the user made — model, prompt, schedule, selection,
    // accuracy results — saved to one file and restored from it. The Autosaver keeps a copy for crashes.
    Session currentSession() const;
    void applySession(const Session& session);
    QString saveSessionTo(const QString& path);  // error message, empty on success
    bool openSession(const QString& path, QString* error = nullptr);
    Autosaver* autosaver() const { return autosave_; }
    void offerCrashRecovery();  // asks to restore the autosave when the last run did not exit cleanly

Q_SIGNALS:
    void resultShown();   // after the views have the new result
    void accuracyShown();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildUi();
    void buildMenus();  // MainWindowMenus.cpp
    QWidget* buildPromptPanel();
    QWidget* buildEffectPanel();
    void requestRun();
    void sendToWorker(const ReductionRequest& r);
    void showResult(QSharedPointer<const ReductionResponse> response);
    void showError(quint64 id, const QString& message);
    void showModel(const ModelFacts& facts);
    void showNextTokens(const TokenTrace& t, const ReductionRunResult& run);
    void requestContinuations();

    // MainWindowMenus.cpp
    void chooseModelFolder();
    void chooseTokenizerFile();
    void exportFigureDialog();
    void exportTraceDialog();
    void exportAccuracyDialog();
    void saveScheduleDialog();
    void loadScheduleDialog();
    void showAbout();
    // MainWindowSession.cpp
    void saveSessionDialog();
    void openSessionDialog();
    void rememberModel(const QString& folder);
    void restoreWindowLayout();
    void applySessionSchedule(const ReductionSchedule& schedule);

    QThread workerThread_;
    ReductionWorker* worker_;
    ModelFacts model_;
    bool busy_ = false;
    std::optional<ReductionRequest> pending_;
    quint64 nextId_ = 1;
    int resultsShown_ = 0;
    QString lastError_;
    QSharedPointer<const ReductionResponse> last_;
    int selectedLayer_ = -1, selectedToken_ = -1;

    ModelPanel* modelPanel_;
    QPlainTextEdit* prompt_;
    PromptTokenChips* chips_;
    QComboBox* samplePrompts_;
    QLabel* figures_;
    QTableWidget* topTokens_;
    QPushButton* continueButton_;
    QTextBrowser* continuations_;
    ImportanceHeatmap* heatmap_;
    QTabWidget* detailTabs_;
    TokenStrip* strip_;
    SimilarityGraph* graph_;
    TokensPerLayerPlot* tokensPlot_;
    AttentionPanel* attention_;
    ScheduleEditor* editor_;
    AccuracyPanel* accuracy_;
    QTimer* promptDebounce_;
    std::unique_ptr<AppSettings> ownedSettings_;
    AppSettings* settings_;
    Autosaver* autosave_ = nullptr;
    QString sessionPath_;
    // A tokenizer file the user chose for the model in chosenTokenizerFor_ (reloads of that folder, e.g. on
    // another device, keep it; another folder uses its own).
    QString chosenTokenizer_, chosenTokenizerFor_;
    // A session being restored: its schedule waits for the model (whose depth would lay anchors out anew),
    // its selection for the first result.
    std::optional<Session> pendingSession_;
    std::optional<std::pair<int, int>> pendingSelection_;  // layer, token  // the file the session was last saved to or opened from
};

}  // namespace ssmlens
