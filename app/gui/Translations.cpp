#include "app/gui/Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace ssmlens {
namespace {

Translations* instance = nullptr;

}  // namespace

Translations::Translations() : app_(std::make_unique<QTranslator>()), qt_(std::make_unique<QTranslator>()) {
    instance = this;
}

Translations::~Translations() {
    if (appInstalled_) QCoreApplication::removeTranslator(app_.get());
    if (qtInstalled_) QCoreApplication::removeTranslator(qt_.get());
    if (instance == this) instance = nullptr;
}

Translations* Translations::current() { return instance; }

bool Translations::apply(const QLocale& locale) {
    locale_ = locale;
    QLocale::setDefault(locale);
    if (appInstalled_) QCoreApplication::removeTranslator(app_.get());
    if (qtInstalled_) QCoreApplication::removeTranslator(qt_.get());
    appInstalled_ = qtInstalled_ = false;
    const bool english = locale.language() == QLocale::English || locale.language() == QLocale::C;
    if (!english && qt_->load(locale, "qtbase", "_", QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        qtInstalled_ = QCoreApplication::installTranslator(qt_.get());
    if (!english && app_->load(locale, "ssmlens", "_", ":/i18n")) appInstalled_ = QCoreApplication::installTranslator(app_.get());
    // English installs nothing; removing the translators above already sent the LanguageChange event.
    return english || appInstalled_;
}

bool Translations::hasQtTranslation() const { return qtInstalled_; }

}  // namespace ssmlens
