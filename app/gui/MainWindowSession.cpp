// MainWindow's sessions and settings: save and open .ssmlens-session files, restore one after a crash, ask
// to save unsaved work on quitting, keep recent models, device, dtype and the window layout between runs.
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>

#include <nlohmann/json.hpp>

#include "app/gui/AccuracyPanel.h"
#include "app/gui/AppSettings.h"
#include "app/gui/Autosaver.h"
#include "app/gui/MainWindow.h"
#include "app/gui/ModelPanel.h"
#include "app/gui/RunDescription.h"
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
    accuracy_->setResults(session.results, RunDescription::model(session.modelFolder, session.dtype, session.device));
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
        markSaved();
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
    pendingSessionFromFile_ = true;
    applySession(*session);
    if (!pendingSession_) markSaved();  // applied at once (the same model): what is on screen is on disk
    return true;
}

bool MainWindow::saveSessionDialog() {
    const QString start = sessionPath_.isEmpty() ? QStringLiteral("session") + kSessionSuffix : sessionPath_;
    const QString path = QFileDialog::getSaveFileName(this, tr("Save session"), start, sessionFileFilter());
    if (path.isEmpty()) return false;
    const QString error = saveSessionTo(path);
    if (!error.isEmpty()) QMessageBox::warning(this, tr("SSM Lens"), error);
    return error.isEmpty();
}

void MainWindow::openSessionDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open session"), QString(), sessionFileFilter());
    if (path.isEmpty()) return;
    QString error;
    if (!openSession(path, &error)) QMessageBox::warning(this, tr("SSM Lens"), error);
}

// ---- crash recovery ----------------------------------------------------------------------------------

void MainWindow::disableAutosave() {
    autosave_->setSuspended(true);
    recoveryPending_ = false;  // a scripted run neither offers nor touches the crashed session
}

void MainWindow::offerCrashRecovery() {
    if (!recoveryPending_) return;
    // Not modal-blocking: the window keeps loading and running while the question is open, and the
    // autosave stays suspended (so the crashed session's file is untouched) until it is answered.
    auto* box = new QMessageBox(QMessageBox::Question, tr("SSM Lens"),
                                tr("SSM Lens did not exit cleanly last time. Restore the session it was working on "
                                   "(model, prompt, schedule, accuracy results)?"),
                                QMessageBox::Yes | QMessageBox::No, this);
    box->setObjectName("crashRecoveryQuestion");
    box->setDefaultButton(QMessageBox::Yes);
    box->setInformativeText(tr("If you choose No, the session is kept as a backup file."));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this,
            [this, box](int) { answerCrashRecovery(box->clickedButton() == box->button(QMessageBox::Yes)); });
    box->open();
}

void MainWindow::answerCrashRecovery(bool restore) {
    if (!recoveryPending_) return;
    recoveryPending_ = false;
    const QString path = autosave_->path();
    if (restore) {
        QString error;
        const std::optional<Session> session = loadSession(path, &error);
        if (!session) {
            QMessageBox::warning(this, tr("SSM Lens"), error);
        } else {
            pendingSessionFromFile_ = false;  // restored work is not saved anywhere yet
            applySession(*session);
        }
    } else {
        QString error;
        crashBackup_ = autosave_->keepAsBackup(&error);
        statusBar()->showMessage(crashBackup_.isEmpty() ? error : tr("The previous session was kept as %1").arg(crashBackup_),
                                 15000);
    }
    autosave_->setSuspended(false);
    autosave_->markDirty();
}

// ---- unsaved work and quitting -----------------------------------------------------------------------

QString MainWindow::documentState() const {
    // What the user made: not where they looked (selection) nor which model file is open (reopened in a
    // second), but the prompt, the schedule, the threshold and the accuracy results.
    nlohmann::json j = sessionToJson(currentSession());
    j.erase("view");
    j.erase("model");
    j["threshold"] = graph_->threshold();
    return QString::fromStdString(j.dump());
}

bool MainWindow::hasUnsavedChanges() const { return documentState() != savedState_; }

void MainWindow::markSaved() { savedState_ = documentState(); }

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
    if (hasUnsavedChanges()) {
        QMessageBox box(QMessageBox::Warning, tr("SSM Lens"), tr("Save the changes to this session before quitting?"),
                        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
        box.setObjectName("unsavedChangesQuestion");
        box.setInformativeText(sessionPath_.isEmpty()
                                   ? tr("The prompt, schedule or accuracy results were changed and never saved.")
                                   : tr("The prompt, schedule or accuracy results changed since %1 was saved.")
                                         .arg(QFileInfo(sessionPath_).fileName()));
        box.setDefaultButton(QMessageBox::Save);
        const int answer = box.exec();
        if (answer == QMessageBox::Cancel) {
            event->ignore();
            return;
        }
        if (answer == QMessageBox::Save) {
            bool saved = false;
            if (sessionPath_.isEmpty()) {
                saved = saveSessionDialog();  // warns itself when writing fails
            } else {
                const QString error = saveSessionTo(sessionPath_);
                if (!error.isEmpty()) QMessageBox::warning(this, tr("SSM Lens"), error);
                saved = error.isEmpty();
            }
            if (!saved) {  // cancelled or failed: nothing is lost, the window stays
                event->ignore();
                return;
            }
        }
    }
    settings_->setWindowGeometry(saveGeometry());
    settings_->setWindowState(saveState());
    settings_->sync();
    const QString error = autosave_->finish();
    if (!error.isEmpty()) statusBar()->showMessage(error);
    accuracy_->cancel();
    event->accept();
}

}  // namespace ssmlens
