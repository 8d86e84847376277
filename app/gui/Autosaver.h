#pragma once
// Autosaver keeps autosavePath() at the latest state of the user's work, so a crash loses at most the last
// couple of seconds. Changes call markDirty(); the save happens once they have stopped for the debounce
// interval (2 s), on the GUI thread, from a snapshot the owner provides. The file also says whether the run
// that wrote it ended cleanly: "clean_exit" is false in every save while the app runs and true only in the
// one finish() writes on the way out. At the next start, previousRunCrashed() is true when the last writer
// never got there — the moment to offer the restore. Keeping the flag inside the file (not in QSettings)
// makes it change together with the state it describes, in one atomic write.
#include <QObject>
#include <QString>
#include <functional>

#include "app/gui/SessionFile.h"

class QTimer;

namespace ssmlens {

class Autosaver : public QObject {
    Q_OBJECT
public:
    // snapshot: the current state; called on this object's thread, only from markDirty's timer, flush() and
    // finish() — never from the destructor, so the window it reads may be half torn down by then.
    explicit Autosaver(std::function<Session()> snapshot, const QString& path = autosavePath(),
                       QObject* parent = nullptr);

    // True when `path` holds a session whose writer did not finish() — the previous run crashed or was
    // killed after its last change. False when there is no file or it cannot be read.
    static bool previousRunCrashed(const QString& path = autosavePath());

    QString path() const { return path_; }
    void setDebounceInterval(int ms);  // 2000 by default; tests use a few ms
    int debounceInterval() const;
    bool hasPendingChanges() const;    // marked dirty, not saved yet
    QString lastError() const { return lastError_; }

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
    bool finished_ = false;
    QString lastError_;
};

}  // namespace ssmlens
