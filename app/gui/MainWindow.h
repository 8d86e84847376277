#pragma once
// The main window: a prompt, a schedule (method and keep ratio), and the views of what reduction does.
// Every run goes to the ReductionWorker on its thread; while one runs, newer requests replace each other
// and only the latest is sent next (slider moves coalesce, the GUI thread never waits).
#include <QMainWindow>
#include <QSharedPointer>
#include <QThread>
#include <optional>

#include "app/gui/ReductionWorker.h"

class QComboBox;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QLabel;
class QPlainTextEdit;
class QSlider;
class QTableWidget;
class QTimer;

namespace ssmlens {

class AccuracyBars;
class ImportanceHeatmap;
class TokensPerLayerPlot;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    void openModel(const QString& folder);
    void setPrompt(const QString& text);
    void setKeepRatio(double q);  // moves the slider
    // For tests and scripted screenshots: the number of results shown so far, and the last error.
    int resultsShown() const { return resultsShown_; }
    QString lastError() const { return lastError_; }
    ImportanceHeatmap* heatmap() const { return heatmap_; }
    bool exportHeatmap(const QString& path, int width, int height, QString* error = nullptr);
    // Accuracy panel: runs the selected bundled sample task (or the chosen file) dense and reduced.
    void runAccuracyCheck();
    int accuracyBarsShown() const;

Q_SIGNALS:
    void accuracyShown();

    void resultShown();

private:
    void buildUi();
    ReductionSchedule currentSchedule() const;
    void requestRun();
    void sendToWorker(const ReductionRequest& r);
    void showResult(QSharedPointer<const ReductionResponse> response);
    void showError(quint64 id, const QString& message);
    void showModel(const ModelFacts& facts);
    QWidget* buildAccuracyPanel();
    void showAccuracy(quint64 id, QSharedPointer<const EvalResult> result);
    void accuracyFailed(quint64 id, const QString& message);
    void chooseModelFolder();
    void exportHeatmapDialog();
    void saveScheduleDialog();
    void loadScheduleDialog();

    QThread workerThread_;
    ReductionWorker* worker_;
    ModelFacts model_;
    bool busy_ = false;
    std::optional<ReductionRequest> pending_;
    quint64 nextId_ = 1;
    int resultsShown_ = 0;
    QString lastError_;
    std::optional<ReductionSchedule> loadedSchedule_;  // anchors from a file; the slider sets their ratio

    QLabel* modelLabel_;
    QPlainTextEdit* prompt_;
    QComboBox* method_;
    QSlider* keepRatio_;
    QLabel* keepRatioLabel_;
    QLabel* figuresLabel_;
    QTableWidget* topTokens_;
    ImportanceHeatmap* heatmap_;
    TokensPerLayerPlot* tokensPlot_;
    QTimer* promptDebounce_;

    // Accuracy panel
    QComboBox* evalTask_;
    QSpinBox* evalLimit_;
    QPushButton* evalRun_;
    QPushButton* evalCancel_;
    QProgressBar* evalProgress_;
    QLabel* evalStatus_;
    AccuracyBars* accuracyBars_;
    std::vector<QSharedPointer<const EvalResult>> evalResults_;  // latest per task
    std::shared_ptr<std::atomic<bool>> evalCancelFlag_;
    quint64 evalId_ = 0;
};

}  // namespace ssmlens
