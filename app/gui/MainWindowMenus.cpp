// MainWindow's menus and the dialogs behind them: open a model, export figures / trace / schedule /
// accuracy results, import a schedule, undo and redo schedule edits, the About box.
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QSaveFile>
#include <QStatusBar>
#include <QUndoStack>
#include <nlohmann/json.hpp>

#include "app/gui/AboutDialog.h"
#include "app/gui/AccuracyPanel.h"
#include "app/gui/AppSettings.h"
#include "app/gui/AttentionPanel.h"
#include "app/gui/ExportFigureDialog.h"
#include "app/gui/MainWindow.h"
#include "core/Error.h"
#include "widgets/AccuracyBars.h"
#include "widgets/AccuracySweepPlot.h"
#include "widgets/AttentionView.h"
#include "widgets/AttributionPlot.h"
#include "widgets/ImportanceAttentionScatter.h"
#include "widgets/ImportanceHeatmap.h"
#include "widgets/PlotExport.h"
#include "widgets/ScheduleEditor.h"
#include "widgets/SimilarityGraph.h"
#include "widgets/TokenStrip.h"
#include "widgets/TokensPerLayerPlot.h"

namespace ssmlens {

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open model…"), this, &MainWindow::chooseModelFolder);
    open->setShortcut(QKeySequence::Open);
    open->setToolTip(tr("Open a Mamba-2 checkpoint folder (state-spaces or Hugging Face layout)"));
    QAction* openSession = file->addAction(tr("Open sessio&n…"), this, &MainWindow::openSessionDialog);
    openSession->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
    QAction* saveSession = file->addAction(tr("Sa&ve session…"), this, &MainWindow::saveSessionDialog);
    saveSession->setShortcut(QKeySequence::Save);
    file->addSeparator();
    QAction* exportFigure = file->addAction(tr("&Export figure…"), this, &MainWindow::exportFigureDialog);
    exportFigure->setShortcut(QKeySequence(tr("Ctrl+E")));
    file->addAction(tr("Export &trace (JSON)…"), this, &MainWindow::exportTraceDialog);
    file->addAction(tr("Export &accuracy results (CSV)…"), this, &MainWindow::exportAccuracyDialog);
    file->addSeparator();
    QAction* saveSchedule = file->addAction(tr("&Save schedule…"), this, &MainWindow::saveScheduleDialog);
    saveSchedule->setShortcut(QKeySequence(tr("Ctrl+Shift+S")));
    QAction* loadSchedule = file->addAction(tr("&Import schedule…"), this, &MainWindow::loadScheduleDialog);
    loadSchedule->setShortcut(QKeySequence(tr("Ctrl+I")));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = editor_->undoStack()->createUndoAction(this, tr("&Undo schedule edit"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = editor_->undoStack()->createRedoAction(this, tr("&Redo schedule edit"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : findChildren<QDockWidget*>()) view->addAction(dock->toggleViewAction());
    view->addSeparator();
    // The language: the system's or a fixed one, stored in the settings; Qt applies it at the next start.
    QMenu* language = view->addMenu(tr("&Language"));
    auto* languages = new QActionGroup(language);
    const QStringList names = {tr("System default"), QStringLiteral("English"), QStringLiteral("Deutsch"),
                               QStringLiteral("简体中文")};
    const QStringList codes = AppSettings::languages();
    for (int i = 0; i < codes.size() && i < names.size(); ++i) {
        QAction* a = language->addAction(names[i]);
        a->setCheckable(true);
        a->setChecked(settings_->language() == codes[i]);
        languages->addAction(a);
        connect(a, &QAction::triggered, this, [this, code = codes[i]] {
            if (code == settings_->language()) return;
            settings_->setLanguage(code);
            settings_->sync();
            QMessageBox::information(this, tr("SSM Lens"), tr("The language changes when SSM Lens starts again."));
        });
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About SSM Lens"), this, &MainWindow::showAbout);
}

void MainWindow::chooseModelFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a Mamba-2 checkpoint folder"));
    if (!dir.isEmpty()) openModel(dir);
}

void MainWindow::chooseTokenizerFile() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose a tokenizer"), model_.folder,
                                                      tr("Tokenizers (tokenizer.json *.json *.model)"));
    if (!path.isEmpty()) setTokenizerFile(path);
}

void MainWindow::exportFigureDialog() {
    static FigureChoice last;
    const QStringList names = {tr("Importance heatmap"), tr("Token strip"), tr("Similarity graph"),
                               tr("Tokens per layer"), tr("Accuracy bars"), tr("Accuracy vs FLOPs"),
                               tr("Attention matrices"), tr("Importance vs attention"),
                               tr("Next-token attribution")};
    ExportFigureDialog dialog(names, last, this);
    if (dialog.exec() != QDialog::Accepted) return;
    last = dialog.choice();
    const QStringList files = {"heatmap", "token-strip", "similarity-graph", "tokens-per-layer", "accuracy",
                               "accuracy-vs-flops", "attention", "importance-vs-attention", "attribution"};
    const QString path = QFileDialog::getSaveFileName(this, tr("Export %1").arg(names[last.view]),
                                                      files[last.view] + ".png", tr("Images (*.png *.pdf *.svg)"));
    if (path.isEmpty()) return;
    QString error;
    switch (last.view) {
        case 0: error = exportPlot(heatmap_->plot(), path, last.width, last.height, last.dpi); break;
        case 1: error = strip_->exportImage(path, last.width, last.height, last.dpi); break;
        case 2: error = graph_->exportImage(path, last.width, last.height, last.dpi); break;
        case 3: error = exportPlot(tokensPlot_->plot(), path, last.width, last.height, last.dpi); break;
        case 4: error = exportPlot(accuracy_->bars()->plot(), path, last.width, last.height, last.dpi); break;
        case 6: error = attention_->view()->exportMatrices(path, last.width, last.height, last.dpi); break;
        case 7: error = exportPlot(attention_->view()->scatter()->plot(), path, last.width, last.height, last.dpi); break;
        case 8:
            error = exportPlot(attention_->view()->attributionPlot()->plot(), path, last.width, last.height, last.dpi);
            break;
        default: error = exportPlot(accuracy_->sweepPlot()->plot(), path, last.width, last.height, last.dpi); break;
    }
    if (!error.isEmpty()) QMessageBox::warning(this, tr("SSM Lens"), error);
    else statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
}

void MainWindow::exportTraceDialog() {
    if (!last_) {
        QMessageBox::information(this, tr("SSM Lens"), tr("Run a prompt first: the trace is what the views show."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Export trace"), "trace.json", tr("JSON (*.json)"));
    if (path.isEmpty()) return;
    nlohmann::json j = last_->run.trace.toJson();
    j["schedule"] = currentSchedule().toJson();
    j["model"] = model_.folder.toStdString();
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(QByteArray::fromStdString(j.dump(2) + "\n")) < 0 || !f.commit())
        QMessageBox::warning(this, tr("SSM Lens"), tr("%1: cannot write (%2)").arg(path, f.errorString()));
}

void MainWindow::exportAccuracyDialog() {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export accuracy results"), "accuracy.csv", tr("CSV (*.csv)"));
    if (path.isEmpty()) return;
    const QString error = accuracy_->exportCsv(path);
    if (!error.isEmpty()) QMessageBox::warning(this, tr("SSM Lens"), error);
}

void MainWindow::saveScheduleDialog() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save schedule"), "schedule.json", tr("JSON (*.json)"));
    if (path.isEmpty()) return;
    try {
        currentSchedule().save(path.toStdString());
        statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
    } catch (const Error& e) {
        QMessageBox::warning(this, tr("SSM Lens"), QString::fromStdString(e.what()));
    }
}

void MainWindow::loadScheduleDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Import schedule"), QString(), tr("JSON (*.json)"));
    if (path.isEmpty()) return;
    try {
        ReductionSchedule s = ReductionSchedule::load(path.toStdString());
        s.validate(model_.layers, path.toStdString());
        editor_->applySchedule(s, tr("Import %1").arg(QFileInfo(path).fileName()));
    } catch (const Error& e) {
        QMessageBox::warning(this, tr("SSM Lens"), QString::fromStdString(e.what()));
    }
}

void MainWindow::showAbout() { showAboutDialog(this); }

}  // namespace ssmlens
