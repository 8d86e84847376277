#include "app/gui/Autosaver.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QTimer>
#include <exception>

#include <nlohmann/json.hpp>

namespace ssmlens {
namespace {

constexpr int kBackupsKept = 5;

QString lockPath(const QString& path) { return path + ".lock"; }

}  // namespace

Autosaver::Autosaver(std::function<Session()> snapshot, const QString& path, QObject* parent)
    : QObject(parent), snapshot_(std::move(snapshot)), path_(path), timer_(new QTimer(this)),
      lock_(std::make_unique<QLockFile>(lockPath(path))) {
    timer_->setSingleShot(true);
    timer_->setInterval(2000);
    connect(timer_, &QTimer::timeout, this, &Autosaver::flush);
    // A lock left by a process that died is stale (QLockFile checks its pid) and taken over.
    QDir().mkpath(QFileInfo(path).absolutePath());
    // Only a live lock of another process makes this one stand back; a lock that cannot be made at all (no
    // folder) leaves the saves to report their own error.
    owner_ = lock_->tryLock(0) || lock_->error() != QLockFile::LockFailedError;
}

Autosaver::~Autosaver() = default;

bool Autosaver::previousRunCrashed(const QString& path) {
    nlohmann::json j;
    QString ignored;
    if (!QFile::exists(path) || !readSessionJson(path, &j, &ignored) || !j.is_object()) return false;
    // Held by a running SSM Lens: its work in progress, not a crash.
    QLockFile probe(lockPath(path));
    if (!probe.tryLock(0)) {
        qint64 pid = 0;
        QString host, app;
        if (probe.getLockInfo(&pid, &host, &app) && pid != QCoreApplication::applicationPid()) return false;
    }
    const auto clean = j.find("clean_exit");
    // A session without the flag was not written by the Autosaver (or by an older build): nothing to offer.
    return clean != j.end() && clean->is_boolean() && !clean->get<bool>();
}

void Autosaver::setDebounceInterval(int ms) { timer_->setInterval(ms); }
int Autosaver::debounceInterval() const { return timer_->interval(); }
bool Autosaver::hasPendingChanges() const { return timer_->isActive(); }

void Autosaver::setSuspended(bool suspended) {
    suspended_ = suspended;
    if (suspended) timer_->stop();
}

void Autosaver::markDirty() {
    if (!finished_ && !isSuspended()) timer_->start();
}

QString Autosaver::flush() {
    // After finish() the file must keep saying "clean": a late change on the way out is not a crash.
    return finished_ || isSuspended() ? QString() : save(false);
}

QString Autosaver::finish() {
    if (finished_) return {};
    finished_ = true;
    timer_->stop();
    // Suspended: the file holds a crashed session the user has not answered about; it stays for next time.
    return isSuspended() ? QString() : save(true);
}

void Autosaver::discard() {
    timer_->stop();
    if (owner_) QFile::remove(path_);
}

QString Autosaver::keepAsBackup(QString* error) {
    timer_->stop();
    const QFileInfo info(path_);
    // Names that sort by age: the time to the millisecond and a counter for backups made within one.
    const QString stamp = QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss-zzz");
    QString backup;
    for (int i = 1; backup.isEmpty() || QFile::exists(backup); ++i)
        backup = info.dir().filePath(QStringLiteral("%1-crashed-%2-%3.%4")
                                         .arg(info.completeBaseName(), stamp)
                                         .arg(i, 2, 10, QLatin1Char('0'))
                                         .arg(info.suffix()));
    if (!QFile::rename(path_, backup)) {
        if (error) *error = tr("%1: could not keep the previous session as %2").arg(path_, backup);
        return {};
    }
    // The oldest backups go, so they never pile up.
    const QStringList old = info.dir().entryList({info.completeBaseName() + "-crashed-*." + info.suffix()}, QDir::Files,
                                                 QDir::Name | QDir::Reversed);
    for (int i = kBackupsKept; i < old.size(); ++i) QFile::remove(info.dir().filePath(old[i]));
    return backup;
}

QString Autosaver::save(bool cleanExit) {
    timer_->stop();
    QString error;
    try {
        nlohmann::json j = sessionToJson(snapshot_());
        j["clean_exit"] = cleanExit;
        error = writeSessionJson(j, path_);
    } catch (const std::exception& e) {  // from the snapshot or building the JSON: report, keep running
        error = tr("%1: cannot autosave (%2)").arg(path_, QString::fromUtf8(e.what()));
    }
    lastError_ = error;
    if (error.isEmpty()) Q_EMIT saved(path_);
    else Q_EMIT saveFailed(error);
    return error;
}

}  // namespace ssmlens
