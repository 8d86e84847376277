// MainWindow's sessions and settings: save and open .ssmlens-session files, restore one after a crash, keep
// recent models, device, dtype and the window layout between runs.
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QStatusBar>

#include "app/gui/AccuracyPanel.h"
#include "app/gui/AppSettings.h"
#include "app/gui/Autosaver.h"
#include "app/gui/MainWindow.h"
#include "app/gui/ModelPanel.h"
#include "widgets/ScheduleEditor.h"
#include "widgets/SimilarityGraph.h"

namespace ssmlens {

Session MainWindow::currentSession() const {
    if (pendingSession_) return *pendingSession_;  // not applied yet: what the user will get back
    Session s;
    s.modelFolder = model_.folder;
    if (model_.folder == chosenTokenizerFor_) s.tokenizer = chosenTokenizer_;
    s.dtype = model_.dtype.isEmpty() ? settings_->dtype() : model_.dtype;
    s.device = model_.device.isEmpty() ? settings_->device() : model_.device;
    s.prompt = prompt();
    s.schedule = currentSchedule();
    s.selectedLayer = selectedLayer_;
    s.selectedToken = selectedToken_;
    s.similarityThreshold = graph_->threshold();
    s.results = accuracy_->results();
    return s;
}

void MainWindow::applySession(const Session& session) {
    setPrompt(session.prompt);
    graph_->setThreshold(session.similarityThreshold);
    accuracy_->setResults(session.results);
    pendingSelection_ = std::make_pair(session.selectedLayer, session.selectedToken);
    const bool sameModel = model_.layers > 0 && QFileInfo(session.modelFolder) == QFileInfo(model_.folder) &&
                           session.dtype == model_.dtype && session.device == model_.device &&
                           (session.tokenizer.isEmpty() || session.tokenizer == model_.tokenizer);
    if (session.modelFolder.isEmpty() || sameModel) {
        pendingSession_.reset();
        applySessionSchedule(session.schedule);
        requestRun();
        return;
    }
    chosenTokenizer_ = session.tokenizer;
    chosenTokenizerFor_ = session.tokenizer.isEmpty() ? QString() : session.modelFolder;
    pendingSession_ = session;  // showModel applies the schedule once the model's depth is known
    openModel(session.modelFolder, session.dtype, session.device);
}

void MainWindow::applySessionSchedule(const ReductionSchedule& schedule) {
    QString error;
    if (!editor_->setSchedule(schedule, &error))
        QMessageBox::warning(this, tr("SSM Lens"), tr("The session's schedule does not fit this model: %1").arg(error));
}

QString MainWindow::saveSessionTo(const QString& path) {
    const QString error = saveSession(currentSession(), path);
    if (error.isEmpty()) {
        sessionPath_ = path;
        statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
    }
    return error;
}

bool MainWindow::openSession(const QString& path, QString* error) {
    QString message;
    const std::optional<Session> session = loadSession(path, &message);
    if (!session) {
        if (error) *error = message;
        return false;
    }
    sessionPath_ = path;
    applySession(*session);
    return true;
}

void MainWindow::saveSessionDialog() {
    const QString start = sessionPath_.isEmpty() ? QStringLiteral("session") + kSessionSuffix : sessionPath_;
    const QString path = QFileDialog::getSaveFileName(this, tr("Save session"), start, sessionFileFilter());
    if (path.isEmpty()) return;
    const QString error = saveSessionTo(path);
    if (!error.isEmpty()) QMessageBox::warning(this, tr("SSM Lens"), error);
}

void MainWindow::openSessionDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open session"), QString(), sessionFileFilter());
    if (path.isEmpty()) return;
    QString error;
    if (!openSession(path, &error)) QMessageBox::warning(this, tr("SSM Lens"), error);
}

void MainWindow::offerCrashRecovery() {
    const QString path = autosave_->path();
    if (!Autosaver::previousRunCrashed(path)) return;
    const auto answer = QMessageBox::question(
        this, tr("SSM Lens"),
        tr("SSM Lens did not exit cleanly last time. Restore the session it was working on (model, prompt, "
           "schedule, accuracy results)?"),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes);
    if (answer != QMessageBox::Yes) {
        autosave_->discard();
        return;
    }
    QString error;
    const std::optional<Session> session = loadSession(path, &error);
    if (!session) {
        QMessageBox::warning(this, tr("SSM Lens"), error);
        return;
    }
    applySession(*session);
}

void MainWindow::rememberModel(const QString& folder) {
    settings_->addRecentModel(folder);
    settings_->setDevice(model_.device);
    settings_->setDtype(model_.dtype);
    modelPanel_->setRecentModels(settings_->recentModels());
}

void MainWindow::restoreWindowLayout() {
    const QByteArray geometry = settings_->windowGeometry();
    if (!geometry.isEmpty()) restoreGeometry(geometry);
    const QByteArray state = settings_->windowState();
    if (!state.isEmpty()) restoreState(state);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    settings_->setWindowGeometry(saveGeometry());
    settings_->setWindowState(saveState());
    settings_->sync();
    const QString error = autosave_->finish();
    if (!error.isEmpty()) statusBar()->showMessage(error);
    event->accept();
}

}  // namespace ssmlens
