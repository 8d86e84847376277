#pragma once
// Translations: the language of the running app — SSM Lens's own strings (compiled in as
// :/i18n/ssmlens_<lang>.qm), Qt's own (qtbase_<lang>.qm from Qt's translations folder: the Yes/No/Cancel
// buttons, "Strg+E" in German menus) and the locale's number format (QLocale::setDefault: "0,905").
// Applied at start and switched while the app runs: installing a translator sends every widget
// QEvent::LanguageChange, on which each retranslates itself (changeEvent).
#include <QLocale>
#include <QString>
#include <memory>

class QTranslator;

namespace ssmlens {

class Translations {
public:
    Translations();
    ~Translations();
    Translations(const Translations&) = delete;
    Translations& operator=(const Translations&) = delete;

    // Replaces the installed translators by those of `locale` (English: none). Returns false when SSM Lens
    // has no translation for it (the strings stay English; Qt's and the number format still follow it).
    bool apply(const QLocale& locale);
    QLocale locale() const { return locale_; }
    bool hasQtTranslation() const;  // Qt's own strings were found for the locale (qt6-translations-l10n)

    // The one instance of the running app, when there is one.
    static Translations* current();

private:
    std::unique_ptr<QTranslator> app_, qt_;
    bool appInstalled_ = false, qtInstalled_ = false;
    QLocale locale_;
};

}  // namespace ssmlens
