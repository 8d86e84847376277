// MainWindow's menus and the dialogs behind them: open a model, export figures / trace / schedule /
// accuracy results, import a schedule, undo and redo schedule edits, the language, the About box.
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QSaveFile>
#include <QStatusBar>
#include <QUndoStack>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "app/gui/AboutDialog.h"
#include "app/gui/AccuracyPanel.h"
#include "app/gui/AppSettings.h"
#include "app/gui/ExportFigureDialog.h"
#include "app/gui/MainWindow.h"
#include "app/gui/Translations.h"
#include "core/Error.h"
#include "widgets/ScheduleEditor.h"
#include "widgets/WidgetExport.h"

namespace ssmlens {

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open model…"), this, &MainWindow::chooseModelFolder);
    open->setShortcut(QKeySequence::Open);
    open->setToolTip(tr("Open a Mamba-2 checkpoint folder (state-spaces or Hugging Face layout)"));
    QAction* openSession = file->addAction(tr("Open sessio&n…"), this, &MainWindow::openSessionDialog);
    openSession->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    QAction* saveSession = file->addAction(tr("Sa&ve session…"), this, &MainWindow::saveSessionDialog);
    saveSession->setShortcut(QKeySequence::Save);
    file->addSeparator();
    QAction* exportFigure = file->addAction(tr("&Export figure…"), this, &MainWindow::exportFigureDialog);
    exportFigure->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    file->addAction(tr("Export &trace (JSON)…"), this, &MainWindow::exportTraceDialog);
    exportAccuracy_ = file->addAction(tr("Export &accuracy results (CSV)…"), this, &MainWindow::exportAccuracyDialog);
    file->addSeparator();
    QAction* saveSchedule = file->addAction(tr("&Save schedule…"), this, &MainWindow::saveScheduleDialog);
    saveSchedule->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    QAction* loadSchedule = file->addAction(tr("&Import schedule…"), this, &MainWindow::loadScheduleDialog);
    loadSchedule->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    file->setToolTipsVisible(true);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = editor_->undoStack()->createUndoAction(edit, tr("&Undo schedule edit"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = editor_->undoStack()->createRedoAction(edit, tr("&Redo schedule edit"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : findChildren<QDockWidget*>()) view->addAction(dock->toggleViewAction());
    view->addSeparator();
    // The language: the system's or a fixed one, stored in the settings and applied at once.
    QMenu* language = view->addMenu(tr("&Language"));
    auto* languages = new QActionGroup(language);
    const QStringList names = {tr("System default"), QStringLiteral("English"), QStringLiteral("Deutsch"),
                               QStringLiteral("简体中文")};
    const QStringList codes = AppSettings::languages();
    for (int i = 0; i < codes.size() && i < names.size(); ++i) {
        QAction* a = language->addAction(names[i]);
        a->setCheckable(true);
        a->setChecked(settings_->language() == codes[i]);
        a->setObjectName("language-" + codes[i]);
        languages->addAction(a);
        connect(a, &QAction::triggered, this, [this, code = codes[i]] { chooseLanguage(code); });
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About SSM Lens"), this, &MainWindow::showAbout);
    updateExportActions();
}

void MainWindow::chooseLanguage(const QString& code) {
    settings_->setLanguage(code);
    settings_->sync();
    const QLocale locale = AppSettings::localeFor(code);
    if (Translations* t = Translations::current()) t->apply(locale);  // every widget retranslates itself
    setLocale(locale);  // spin boxes and other number fields follow (the window's children inherit it)
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
    // The dialog's entries, by the names `ssmlens --export` takes.
    const std::vector<std::pair<QString, QString>> views = {
        {"heatmap", tr("Importance heatmap")},    {"strip", tr("Token strip")},
        {"graph", tr("Similarity graph")},        {"tokens-per-layer", tr("Tokens per layer")},
        {"accuracy", tr("Accuracy bars")},        {"accuracy-vs-flops", tr("Accuracy vs FLOPs")},
        {"attention", tr("Attention matrices")},  {"importance-vs-attention", tr("Importance vs attention")},
        {"attribution", tr("Next-token attribution")}};
    QStringList names;
    for (const auto& v : views) names << v.second;
    ExportFigureDialog dialog(names, last, this);
    if (dialog.exec() != QDialog::Accepted) return;
    last = dialog.choice();
    const auto& [key, name] = views[std::clamp(last.view, 0, int(views.size()) - 1)];
    QString folder = settings_->lastExportFolder();
    const QString path = QFileDialog::getSaveFileName(this, tr("Export %1").arg(name),
                                                      QDir(folder).filePath(key + "." + last.format),
                                                      tr("Figures (*.png *.pdf *.svg)"));
    if (path.isEmpty()) return;
    settings_->setLastExportFolder(QFileInfo(path).absolutePath());
    const QString error = exportView(key, path, last.size);
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
    // The trace with what it was computed for: the request's schedule and the model of its run.
    nlohmann::json j = last_->run.trace.toJson();
    j["schedule"] = last_->request.schedule.toJson();
    j["model"] = model_.folder.toStdString();
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(QByteArray::fromStdString(j.dump(2) + "\n")) < 0 || !f.commit())
        QMessageBox::warning(this, tr("SSM Lens"), tr("%1: cannot write (%2)").arg(path, f.errorString()));
}

void MainWindow::exportAccuracyDialog() {
    if (accuracy_->csv().isEmpty()) {
        QMessageBox::information(this, tr("SSM Lens"),
                                 tr("There are no accuracy results to export yet: run an accuracy check or a sweep "
                                    "in the Accuracy panel first."));
        return;
    }
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
