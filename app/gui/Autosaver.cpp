#include "app/gui/Autosaver.h"

#include <QFile>
#include <QTimer>
#include <exception>

#include <nlohmann/json.hpp>

namespace ssmlens {

Autosaver::Autosaver(std::function<Session()> snapshot, const QString& path, QObject* parent)
    : QObject(parent), snapshot_(std::move(snapshot)), path_(path), timer_(new QTimer(this)) {
    timer_->setSingleShot(true);
    timer_->setInterval(2000);
    connect(timer_, &QTimer::timeout, this, &Autosaver::flush);
}

bool Autosaver::previousRunCrashed(const QString& path) {
    nlohmann::json j;
    QString ignored;
    if (!QFile::exists(path) || !readSessionJson(path, &j, &ignored) || !j.is_object()) return false;
    const auto clean = j.find("clean_exit");
    // A session without the flag was not written by the Autosaver (or by an older build): nothing to offer.
    return clean != j.end() && clean->is_boolean() && !clean->get<bool>();
}

void Autosaver::setDebounceInterval(int ms) { timer_->setInterval(ms); }
int Autosaver::debounceInterval() const { return timer_->interval(); }
bool Autosaver::hasPendingChanges() const { return timer_->isActive(); }

void Autosaver::markDirty() {
    if (!finished_) timer_->start();
}

QString Autosaver::flush() {
    // After finish() the file must keep saying "clean": a late change on the way out is not a crash.
    return finished_ ? QString() : save(false);
}

QString Autosaver::finish() {
    if (finished_) return {};
    const QString error = save(true);
    finished_ = true;
    return error;
}

void Autosaver::discard() {
    timer_->stop();
    QFile::remove(path_);
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
