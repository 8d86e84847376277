#include "app/gui/AppSettings.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace ssmlens {
namespace {

const char kRecentModels[] = "models/recent";
const char kLanguage[] = "ui/language";
const char kDevice[] = "models/device";
const char kDtype[] = "models/dtype";
const char kExportFolder[] = "export/last_folder";
const char kGeometry[] = "window/geometry";
const char kState[] = "window/state";

// One spelling per folder, so "/a/model/" and "/a/./model" are the same entry.
QString normalFolder(const QString& folder) { return QDir::cleanPath(QFileInfo(folder).absoluteFilePath()); }

}  // namespace

AppSettings::AppSettings()
    : owned_(std::make_unique<QSettings>("SSM Lens", "SSM Lens")), settings_(owned_.get()) {}

AppSettings::AppSettings(const QString& iniPath)
    : owned_(std::make_unique<QSettings>(iniPath, QSettings::IniFormat)), settings_(owned_.get()) {}

AppSettings::AppSettings(QSettings* settings) : settings_(settings) {}

AppSettings::~AppSettings() = default;

QStringList AppSettings::recentModels() const {
    QStringList out;
    for (const QString& folder : settings_->value(kRecentModels).toStringList())
        if (QFileInfo(folder).isDir() && !out.contains(folder) && out.size() < kMaxRecentModels) out << folder;
    return out;
}

void AppSettings::addRecentModel(const QString& folder) {
    if (folder.isEmpty()) return;
    const QString f = normalFolder(folder);
    QStringList list = recentModels();
    list.removeAll(f);
    list.prepend(f);
    while (list.size() > kMaxRecentModels) list.removeLast();
    settings_->setValue(kRecentModels, list);
}

void AppSettings::removeRecentModel(const QString& folder) {
    QStringList list = settings_->value(kRecentModels).toStringList();
    list.removeAll(normalFolder(folder));
    settings_->setValue(kRecentModels, list);
}

void AppSettings::clearRecentModels() { settings_->remove(kRecentModels); }

QStringList AppSettings::languages() { return {"system", "en", "de", "zh_CN"}; }

QString AppSettings::language() const {
    const QString code = settings_->value(kLanguage, "system").toString();
    return languages().contains(code) ? code : QString("system");
}

bool AppSettings::setLanguage(const QString& code) {
    if (!languages().contains(code)) return false;
    settings_->setValue(kLanguage, code);
    return true;
}

QLocale AppSettings::localeFor(const QString& language) {
    return language.isEmpty() || language == "system" ? QLocale() : QLocale(language);
}

QString AppSettings::device() const { return settings_->value(kDevice, "cpu").toString(); }
void AppSettings::setDevice(const QString& device) { settings_->setValue(kDevice, device); }
QString AppSettings::dtype() const { return settings_->value(kDtype, "fp32").toString(); }
void AppSettings::setDtype(const QString& dtype) { settings_->setValue(kDtype, dtype); }

QString AppSettings::lastExportFolder() const { return settings_->value(kExportFolder).toString(); }
void AppSettings::setLastExportFolder(const QString& folder) { settings_->setValue(kExportFolder, folder); }

QByteArray AppSettings::windowGeometry() const { return settings_->value(kGeometry).toByteArray(); }
void AppSettings::setWindowGeometry(const QByteArray& geometry) { settings_->setValue(kGeometry, geometry); }
QByteArray AppSettings::windowState() const { return settings_->value(kState).toByteArray(); }
void AppSettings::setWindowState(const QByteArray& state) { settings_->setValue(kState, state); }

void AppSettings::sync() { settings_->sync(); }

}  // namespace ssmlens
