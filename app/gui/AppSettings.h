#pragma once
// AppSettings: what SSM Lens remembers between runs, over QSettings (organization and application
// "SSM Lens"): recent model folders, the interface language, the preferred device and dtype, the last
// export folder, and the window's geometry and dock layout. Writes go to QSettings at once (it syncs to
// disk on its own); tests pass an INI file or their own QSettings so the user's settings stay untouched.
#include <QByteArray>
#include <QLocale>
#include <QString>
#include <QStringList>
#include <memory>

class QSettings;

namespace ssmlens {

class AppSettings {
public:
    AppSettings();                                  // the user's settings
    explicit AppSettings(const QString& iniPath);   // an INI file (tests, portable setups)
    explicit AppSettings(QSettings* settings);      // not owned
    ~AppSettings();
    AppSettings(const AppSettings&) = delete;
    AppSettings& operator=(const AppSettings&) = delete;

    // Most recent first, no duplicates, at most kMaxRecentModels. Folders that no longer exist are left out
    // of what recentModels() returns, and dropped from the stored list at the next addRecentModel().
    static constexpr int kMaxRecentModels = 8;
    QStringList recentModels() const;
    void addRecentModel(const QString& folder);  // moves it to the front
    void removeRecentModel(const QString& folder);
    void clearRecentModels();

    // "system" (the default: follow the desktop's locale), "en", "de" or "zh_CN".
    static QStringList languages();
    QString language() const;               // "system" when unset or not one of languages()
    bool setLanguage(const QString& code);  // false (and nothing stored) for a code not in languages()
    static QLocale localeFor(const QString& language);  // "system" -> QLocale(), else QLocale(code)

    QString device() const;  // "cpu" by default; "cuda:0", ... as ModelPanel names them
    void setDevice(const QString& device);
    QString dtype() const;   // "fp32" by default
    void setDtype(const QString& dtype);

    QString lastExportFolder() const;  // empty when never set
    void setLastExportFolder(const QString& folder);

    QByteArray windowGeometry() const;  // QWidget::saveGeometry()
    void setWindowGeometry(const QByteArray& geometry);
    QByteArray windowState() const;     // QMainWindow::saveState()
    void setWindowState(const QByteArray& state);

    void sync();  // write to disk now (QSettings otherwise does it soon, and at exit)
    QSettings* settings() const { return settings_; }

private:
    std::unique_ptr<QSettings> owned_;
    QSettings* settings_;
};

}  // namespace ssmlens
