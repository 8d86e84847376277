#pragma once
// Autosaver keeps autosavePath() at the latest state of the user's work, so a crash loses at most the last
// couple of seconds. Changes call markDirty(); the save happens once they have stopped for the debounce
// interval (2 s), on the GUI thread, from a snapshot the owner provides. The file also says whether the run
// that wrote it ended cleanly: "clean_exit" is false in every save while the app runs and true only in the
// one finish() writes on the way out. At the next start, previousRunCrashed() is true when the last writer
// never got there — the moment to offer the restore. Keeping the flag inside the file (not in QSettings)
// makes it change together with the state it describes, in one atomic write.
//
// While suspended it writes nothing, not even on finish(): the window suspends it while the user has not
// yet answered whether to restore a crashed session (whose file must stay as it is until then), and for
// scripted runs. A second SSM Lens running at the same time finds the file locked (a lock file next to it,
// released when the first exits or dies) and leaves it alone: it neither writes it nor calls it crashed.
#include <QObject>
#include <QString>
#include <functional>
#include <memory>

#include "app/gui/SessionFile.h"

class QLockFile;
class QTimer;

namespace ssmlens {

class Autosaver : public QObject {
    Q_OBJECT
public:
    // snapshot: the current state; called on this object's thread, only from markDirty's timer, flush() and
    // finish() — never from the destructor, so the window it reads may be half torn down by then.
    explicit Autosaver(std::function<Session()> snapshot, const QString& path = autosavePath(),
                       QObject* parent = nullptr);
    ~Autosaver() override;

    // True when `path` holds a session whose writer did not finish() — the previous run crashed or was
    // killed after its last change — and no running SSM Lens holds it. False when there is no file or it
    // cannot be read.
    static bool previousRunCrashed(const QString& path = autosavePath());

    QString path() const { return path_; }
    void setDebounceInterval(int ms);  // 2000 by default; tests use a few ms
    int debounceInterval() const;
    bool hasPendingChanges() const;    // marked dirty, not saved yet
    QString lastError() const { return lastError_; }
    void setSuspended(bool suspended);
    bool isSuspended() const { return suspended_ || !owner_; }
    bool ownsFile() const { return owner_; }  // false: another running SSM Lens autosaves there

    // Moves the file out of the way to a backup beside it ("autosave-crashed-<time>-01.ssmlens-session") and
    // returns its path; empty (and *error set) when it cannot. Keeps the five newest backups.
    QString keepAsBackup(QString* error);

public Q_SLOTS:
    void markDirty();   // (re)starts the debounce timer
    QString flush();    // saves now (clean_exit false); error message, empty on success
    QString finish();   // on a clean exit: saves the final state with clean_exit true; later calls do nothing
    void discard();     // removes the file (the user declined to restore it and it should not be offered again)

Q_SIGNALS:
    void saved(const QString& path);
    void saveFailed(const QString& message);  // for the status bar; the next change tries again

private:
    QString save(bool cleanExit);

    std::function<Session()> snapshot_;
    QString path_;
    QTimer* timer_;
    std::unique_ptr<QLockFile> lock_;
    bool owner_ = false;
    bool suspended_ = false;
    bool finished_ = false;
    QString lastError_;
};

}  // namespace ssmlens
