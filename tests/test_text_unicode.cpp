// The tokenizers' Unicode properties (core/text/UnicodeProperties: ICU, cut to Unicode 14.0 and, for NFC, 9.0)
// and the NFC and UTF-8 code built on them: sample code points, NFC of decomposed text (Hangul, reordering of
// combining marks, exclusions) with the spans Hugging Face tokenizers gives (checked with tokenizers
// 0.23.2), invalid UTF-8, and, where Qt's Unicode version is 14.0, every code point compared with Qt Core's
// own tables, an implementation independent of ICU (normalization data: Unicode 9.0's, as in HF, so
// characters Qt dates after 9.0 must have none).
#include "core/text/AlignedText.h"
#include "core/text/NfcNormalizer.h"
#include "core/text/UnicodeProperties.h"
#include "core/text/Utf8.h"

#include <QChar>
#include <QString>
#include <QtTest/QtTest>

#include <random>

using namespace ssmlens;
using unicode::CategoryClass;
using unicode::GeneralCategory;
using Spans = std::vector<CodePointSpan>;

Q_DECLARE_METATYPE(std::u32string)
Q_DECLARE_METATYPE(Spans)

namespace {

QString hex(const std::u32string& s) {
    QStringList parts;
    for (char32_t c : s) parts << QStringLiteral("%1").arg(uint(c), 4, 16, QLatin1Char('0')).toUpper();
    return parts.join(' ');
}

QString toQString(const std::u32string& s) { return QString::fromUcs4(s.data(), qsizetype(s.size())); }

AlignedText normalized(const std::u32string& s) {
    AlignedText t = AlignedText::identity(s, 0, s.size());
    normalizeNfc(t);
    return t;
}

// Qt's category enum, in our names.
GeneralCategory fromQt(QChar::Category c) {
    switch (c) {
    case QChar::Mark_NonSpacing: return GeneralCategory::Mn;
    case QChar::Mark_SpacingCombining: return GeneralCategory::Mc;
    case QChar::Mark_Enclosing: return GeneralCategory::Me;
    case QChar::Number_DecimalDigit: return GeneralCategory::Nd;
    case QChar::Number_Letter: return GeneralCategory::Nl;
    case QChar::Number_Other: return GeneralCategory::No;
    case QChar::Separator_Space: return GeneralCategory::Zs;
    case QChar::Separator_Line: return GeneralCategory::Zl;
    case QChar::Separator_Paragraph: return GeneralCategory::Zp;
    case QChar::Other_Control: return GeneralCategory::Cc;
    case QChar::Other_Format: return GeneralCategory::Cf;
    case QChar::Other_Surrogate: return GeneralCategory::Cs;
    case QChar::Other_PrivateUse: return GeneralCategory::Co;
    case QChar::Other_NotAssigned: return GeneralCategory::Cn;
    case QChar::Letter_Uppercase: return GeneralCategory::Lu;
    case QChar::Letter_Lowercase: return GeneralCategory::Ll;
    case QChar::Letter_Titlecase: return GeneralCategory::Lt;
    case QChar::Letter_Modifier: return GeneralCategory::Lm;
    case QChar::Letter_Other: return GeneralCategory::Lo;
    case QChar::Punctuation_Connector: return GeneralCategory::Pc;
    case QChar::Punctuation_Dash: return GeneralCategory::Pd;
    case QChar::Punctuation_Open: return GeneralCategory::Ps;
    case QChar::Punctuation_Close: return GeneralCategory::Pe;
    case QChar::Punctuation_InitialQuote: return GeneralCategory::Pi;
    case QChar::Punctuation_FinalQuote: return GeneralCategory::Pf;
    case QChar::Punctuation_Other: return GeneralCategory::Po;
    case QChar::Symbol_Math: return GeneralCategory::Sm;
    case QChar::Symbol_Currency: return GeneralCategory::Sc;
    case QChar::Symbol_Modifier: return GeneralCategory::Sk;
    case QChar::Symbol_Other: return GeneralCategory::So;
    }
    return GeneralCategory::Cn;
}

// Full canonical decomposition, recursively, from our properties (ICU) and from Qt's tables.
void decomposeOurs(char32_t c, std::u32string& out) {
    const unicode::Decomposition d = unicode::canonicalDecomposition(c);
    if (d.length == 0) return out.push_back(c);
    decomposeOurs(d.first, out);
    if (d.length == 2) decomposeOurs(d.second, out);
}
void decomposeQt(char32_t c, std::u32string& out) {
    if (QChar::decompositionTag(c) != QChar::Canonical) return out.push_back(c);
    for (uint part : QChar::decomposition(c).toUcs4()) decomposeQt(part, out);
}

// Qt's tables can be compared code point by code point only when they are of the same Unicode version.
bool sameUnicodeVersionAsQt() {
    return QChar::currentUnicodeVersion() == QChar::Unicode_14_0 && std::string(unicode::version()) == "14.0.0" &&
           std::string(unicode::normalizationVersion()) == "9.0.0";
}

// Assigned after Unicode 9.0, so without normalization data in HF's NFC (and ours).
bool newerThan9(char32_t c) {
    const QChar::UnicodeVersion v = QChar::unicodeVersion(c);
    return v != QChar::Unicode_Unassigned && v > QChar::Unicode_9_0;
}

}  // namespace

class TestTextUnicode : public QObject {
    Q_OBJECT

private slots:
    void generalCategories_data() {
        QTest::addColumn<uint>("c");
        QTest::addColumn<int>("category");
        const auto row = [](const char* name, char32_t c, GeneralCategory g) {
            QTest::newRow(name) << uint(c) << int(g);
        };
        row("A", 'A', GeneralCategory::Lu);
        row("a", 'a', GeneralCategory::Ll);
        row("sharp s", 0xDF, GeneralCategory::Ll);
        row("Dz digraph", 0x1C5, GeneralCategory::Lt);
        row("modifier h", 0x2B0, GeneralCategory::Lm);
        row("CJK", 0x4E2D, GeneralCategory::Lo);
        row("CJK ext B", 0x20000, GeneralCategory::Lo);
        row("Hangul syllable", 0xAC01, GeneralCategory::Lo);
        row("combining acute", 0x301, GeneralCategory::Mn);
        row("Devanagari visarga", 0x903, GeneralCategory::Mc);
        row("enclosing circle", 0x20DD, GeneralCategory::Me);
        row("5", '5', GeneralCategory::Nd);
        row("Arabic-Indic 3", 0x663, GeneralCategory::Nd);
        row("Roman eight", 0x2167, GeneralCategory::Nl);
        row("one half", 0xBD, GeneralCategory::No);
        row("superscript two", 0xB2, GeneralCategory::No);
        row("underscore", '_', GeneralCategory::Pc);
        row("hyphen-minus", '-', GeneralCategory::Pd);
        row("(", '(', GeneralCategory::Ps);
        row(")", ')', GeneralCategory::Pe);
        row("left guillemet", 0xAB, GeneralCategory::Pi);
        row("right guillemet", 0xBB, GeneralCategory::Pf);
        row("apostrophe", '\'', GeneralCategory::Po);
        row("right single quote", 0x2019, GeneralCategory::Pf);
        row("+", '+', GeneralCategory::Sm);
        row("euro", 0x20AC, GeneralCategory::Sc);
        row("^", '^', GeneralCategory::Sk);
        row("copyright", 0xA9, GeneralCategory::So);
        row("emoji", 0x1F642, GeneralCategory::So);
        row("replacement char", 0xFFFD, GeneralCategory::So);
        row("space", ' ', GeneralCategory::Zs);
        row("no-break space", 0xA0, GeneralCategory::Zs);
        row("ideographic space", 0x3000, GeneralCategory::Zs);
        row("line separator", 0x2028, GeneralCategory::Zl);
        row("paragraph separator", 0x2029, GeneralCategory::Zp);
        row("NUL", 0, GeneralCategory::Cc);
        row("NEL", 0x85, GeneralCategory::Cc);
        row("zero width space", 0x200B, GeneralCategory::Cf);
        row("BOM", 0xFEFF, GeneralCategory::Cf);
        row("Mongolian vowel separator", 0x180E, GeneralCategory::Cf);
        row("surrogate", 0xD800, GeneralCategory::Cs);
        row("private use", 0xE000, GeneralCategory::Co);
        row("plane 16 private use", 0x10FFFD, GeneralCategory::Co);
        row("unassigned U+0378", 0x378, GeneralCategory::Cn);
        row("noncharacter U+FFFF", 0xFFFF, GeneralCategory::Cn);
        row("noncharacter U+10FFFF", 0x10FFFF, GeneralCategory::Cn);
        row("beyond Unicode", 0x110000, GeneralCategory::Cn);
    }
    void generalCategories() {
        QFETCH(uint, c);
        QFETCH(int, category);
        QCOMPARE(int(unicode::generalCategory(c)), category);
    }

    void gpt2Classes() {
        // What the GPT-2 regex tells apart: \p{L}, \p{N}, \s, the rest.
        for (char32_t c : {U'a', U'Z', char32_t(0xE9), char32_t(0x4E2D), char32_t(0x1C5), char32_t(0x2B0)})
            QCOMPARE(unicode::generalCategoryClass(c), CategoryClass::Letter);
        for (char32_t c : {U'0', char32_t(0x663), char32_t(0xBD), char32_t(0xB2), char32_t(0x2167)})
            QCOMPARE(unicode::generalCategoryClass(c), CategoryClass::Number);
        // \s is White_Space (as Oniguruma and Rust define it), not Python's str.isspace: U+001C..U+001F
        // are not spaces; neither are U+200B and U+180E (no longer Zs).
        for (char32_t c : {U' ', U'\t', U'\n', U'\v', U'\f', U'\r', char32_t(0x85), char32_t(0xA0), char32_t(0x1680),
                           char32_t(0x2000), char32_t(0x200A), char32_t(0x2028), char32_t(0x2029),
                           char32_t(0x202F), char32_t(0x205F), char32_t(0x3000)}) {
            QCOMPARE(unicode::generalCategoryClass(c), CategoryClass::Space);
            QVERIFY(unicode::isWhiteSpace(c));
        }
        for (char32_t c : {char32_t(0), char32_t(0x1C), char32_t(0x1F), char32_t(0x200B), char32_t(0x180E),
                           char32_t(0xFEFF), U'_', U'\'', char32_t(0x301), char32_t(0xFFFD), char32_t(0x1F642)}) {
            QCOMPARE(unicode::generalCategoryClass(c), CategoryClass::Other);
            QVERIFY(!unicode::isWhiteSpace(c));
        }
        QVERIFY(unicode::isLetter(0x4E2D) && !unicode::isLetter('5') && !unicode::isLetter(0x301));
        QVERIFY(unicode::isNumber(0xBD) && !unicode::isNumber('a'));
        QVERIFY(unicode::isMark(0x301) && unicode::isMark(0x903) && unicode::isMark(0x20DD) && !unicode::isMark('a'));
    }

    void wordCharsAreRustRegexs() {
        // \w = Alphabetic + M + Nd + Pc + Join_Control (what HF's single_word check uses).
        for (char32_t c : {U'a', U'Z', U'_', U'7', char32_t(0x663), char32_t(0x301), char32_t(0x903),
                           char32_t(0x2167), char32_t(0x4E2D), char32_t(0x200C), char32_t(0x200D),
                           char32_t(0x203F), char32_t(0x24B6), char32_t(0x24E9), char32_t(0x1F130),
                           char32_t(0x1F189)})
            QVERIFY2(unicode::isWordChar(c), qPrintable(hex(std::u32string(1, c))));
        for (char32_t c : {U' ', U'-', U'\'', U'.', char32_t(0xBD), char32_t(0xB2), char32_t(0x2460),
                           char32_t(0x24EA), char32_t(0x200B), char32_t(0x1F642), char32_t(0x1F18A),
                           char32_t(0xA0)})
            QVERIFY2(!unicode::isWordChar(c), qPrintable(hex(std::u32string(1, c))));
    }

    void combiningClasses() {
        QCOMPARE(int(unicode::canonicalCombiningClass('a')), 0);
        QCOMPARE(int(unicode::canonicalCombiningClass(0x301)), 230);
        QCOMPARE(int(unicode::canonicalCombiningClass(0x323)), 220);
        QCOMPARE(int(unicode::canonicalCombiningClass(0x334)), 1);
        QCOMPARE(int(unicode::canonicalCombiningClass(0x345)), 240);
        QCOMPARE(int(unicode::canonicalCombiningClass(0x5B0)), 10);
        QCOMPARE(int(unicode::canonicalCombiningClass(0x93C)), 7);
        QCOMPARE(int(unicode::canonicalCombiningClass(0xE38)), 103);
        QCOMPARE(int(unicode::canonicalCombiningClass(0x1D165)), 216);
        QCOMPARE(int(unicode::canonicalCombiningClass(0x11A8)), 0);  // Hangul trailing consonant: a starter
        QCOMPARE(int(unicode::canonicalCombiningClass(0x110000)), 0);
    }

    void decompositionsAndCompositions() {
        auto decomposition = [](char32_t c) {
            const unicode::Decomposition d = unicode::canonicalDecomposition(c);
            std::u32string parts;
            if (d.length >= 1) parts.push_back(d.first);
            if (d.length == 2) parts.push_back(d.second);
            return parts;
        };
        QCOMPARE(decomposition(0xE9), (std::u32string{U'e', 0x301}));
        QCOMPARE(decomposition(0x1EA1), (std::u32string{U'a', 0x323}));
        QCOMPARE(decomposition(0x212B), std::u32string(1, 0xC5));  // singleton
        QCOMPARE(decomposition(0x344), (std::u32string{0x308, 0x301}));
        QCOMPARE(decomposition(0xAC00), (std::u32string{0x1100, 0x1161}));  // Hangul LV
        QCOMPARE(decomposition(0xAC01), (std::u32string{0xAC00, 0x11A8}));  // Hangul LVT -> LV T
        QCOMPARE(decomposition(0xD7A3), (std::u32string{0xD788, 0x11C2}));  // the last syllable
        QCOMPARE(decomposition(0xA0), std::u32string());   // <noBreak> is a compatibility mapping
        QCOMPARE(decomposition(0xFB01), std::u32string());  // so is the fi ligature
        QCOMPARE(decomposition('e'), std::u32string());
        QCOMPARE(decomposition(0xD7A4), std::u32string());  // just past the syllables

        QCOMPARE(uint(unicode::composePair('e', 0x301)), 0xE9u);
        QCOMPARE(uint(unicode::composePair('A', 0x30A)), 0xC5u);  // not U+212B, a singleton
        QCOMPARE(uint(unicode::composePair(0x1E0B, 0x323)), 0u);
        QCOMPARE(uint(unicode::composePair('d', 0x323)), 0x1E0Du);
        QCOMPARE(uint(unicode::composePair(0x1100, 0x1161)), 0xAC00u);
        QCOMPARE(uint(unicode::composePair(0x1112, 0x1175)), 0xD788u);
        QCOMPARE(uint(unicode::composePair(0xAC00, 0x11A8)), 0xAC01u);
        QCOMPARE(uint(unicode::composePair(0xAC00, 0x11A7)), 0u);  // U+11A7 is not a trailing consonant
        QCOMPARE(uint(unicode::composePair(0xAC01, 0x11A8)), 0u);  // LVT takes no second T
        QCOMPARE(uint(unicode::composePair(0x915, 0x93C)), 0u);    // U+0958 is a composition exclusion
        QCOMPARE(uint(unicode::composePair(0x928, 0x93C)), 0x929u);
        QCOMPARE(uint(unicode::composePair(0x5D9, 0x5B4)), 0u);    // U+FB1D: exclusion
        QCOMPARE(uint(unicode::composePair(0x308, 0x301)), 0u);    // U+0344: non-starter decomposition
        QCOMPARE(uint(unicode::composePair(0x11099, 0x110BA)), 0x1109Au);  // Kaithi, outside the BMP

        QCOMPARE(unicode::nfcQuickCheck('a'), unicode::NfcQuickCheck::Yes);
        QCOMPARE(unicode::nfcQuickCheck(0xE9), unicode::NfcQuickCheck::Yes);
        QCOMPARE(unicode::nfcQuickCheck(0x212B), unicode::NfcQuickCheck::No);
        QCOMPARE(unicode::nfcQuickCheck(0x958), unicode::NfcQuickCheck::No);
        QCOMPARE(unicode::nfcQuickCheck(0x301), unicode::NfcQuickCheck::Maybe);
        QCOMPARE(unicode::nfcQuickCheck(0x1161), unicode::NfcQuickCheck::Maybe);
        QCOMPARE(unicode::nfcQuickCheck(0x11A8), unicode::NfcQuickCheck::Maybe);
        QCOMPARE(unicode::nfcQuickCheck(0xAC01), unicode::NfcQuickCheck::Yes);
    }

    // NFC of decomposed text, and the spans of the input each character keeps (HF's rules: a composed
    // character keeps the span of its first source character; characters added by a decomposition share
    // the span of the one before them; reordered marks take the positions in order).
    void nfc_data() {
        QTest::addColumn<std::u32string>("input");
        QTest::addColumn<std::u32string>("expected");
        QTest::addColumn<Spans>("spans");
        QTest::newRow("e + acute") << std::u32string{U'e', 0x301} << std::u32string{0xE9} << Spans{{0, 1}};
        QTest::newRow("cafe + acute") << std::u32string{U'c', U'a', U'f', U'e', 0x301, U'!'}
                                      << std::u32string{U'c', U'a', U'f', 0xE9, U'!'}
                                      << Spans{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {5, 6}};
        QTest::newRow("precomposed stays") << std::u32string{0xE9, 0x301} << std::u32string{0xE9, 0x301}
                                           << Spans{{0, 1}, {1, 2}};
        QTest::newRow("two acutes") << std::u32string{U'e', 0x301, 0x301} << std::u32string{0xE9, 0x301}
                                    << Spans{{0, 1}, {2, 3}};
        QTest::newRow("mark first") << std::u32string{0x301, U's'} << std::u32string{0x301, U's'}
                                    << Spans{{0, 1}, {1, 2}};
        QTest::newRow("A + ring") << std::u32string{U'A', 0x30A} << std::u32string{0xC5} << Spans{{0, 1}};
        QTest::newRow("angstrom sign") << std::u32string{U'x', 0x212B} << std::u32string{U'x', 0xC5}
                                       << Spans{{0, 1}, {1, 2}};
        QTest::newRow("ohm sign") << std::u32string{0x2126} << std::u32string{0x3A9} << Spans{{0, 1}};
        QTest::newRow("A + ring + acute") << std::u32string{U'A', 0x30A, 0x301} << std::u32string{0x1FA}
                                          << Spans{{0, 1}};
        // Excluded from composition: decomposed, the nukta sharing the span of the letter.
        QTest::newRow("Devanagari qa") << std::u32string{0x958, U' '} << std::u32string{0x915, 0x93C, U' '}
                                       << Spans{{0, 1}, {0, 1}, {1, 2}};
        QTest::newRow("na + nukta") << std::u32string{0x928, 0x93C} << std::u32string{0x929} << Spans{{0, 1}};
        QTest::newRow("U+0344") << std::u32string{0x344} << std::u32string{0x308, 0x301} << Spans{{0, 1}, {0, 1}};
        // Canonical reordering: dot below (220) before dot above (230), then composition.
        QTest::newRow("a dot above, dot below") << std::u32string{U'a', 0x307, 0x323}
                                                << std::u32string{0x1EA1, 0x307} << Spans{{0, 1}, {2, 3}};
        QTest::newRow("q dot above, dot below") << std::u32string{U'q', 0x307, 0x323}
                                                << std::u32string{U'q', 0x323, 0x307}
                                                << Spans{{0, 1}, {1, 2}, {2, 3}};
        QTest::newRow("d-dot-above + dot below") << std::u32string{0x1E0B, 0x323}
                                                 << std::u32string{0x1E0D, 0x307} << Spans{{0, 1}, {1, 2}};
        QTest::newRow("Tibetan reorder") << std::u32string{0xF71, 0xF72, 0x334}
                                         << std::u32string{0x334, 0xF71, 0xF72} << Spans{{0, 1}, {1, 2}, {2, 3}};
        // Hangul: jamo compose arithmetically; a mark between blocks the trailing consonant.
        QTest::newRow("Hangul L V T") << std::u32string{0x1100, 0x1161, 0x11A8, U'!'}
                                      << std::u32string{0xAC01, U'!'} << Spans{{0, 1}, {3, 4}};
        QTest::newRow("Hangul LV + T") << std::u32string{0xAC00, 0x11A8} << std::u32string{0xAC01} << Spans{{0, 1}};
        QTest::newRow("Hangul LVT + T") << std::u32string{0xAC01, 0x11A8} << std::u32string{0xAC01, 0x11A8}
                                        << Spans{{0, 1}, {1, 2}};
        QTest::newRow("Hangul blocked T") << std::u32string{0x1100, 0x1161, 0x301, 0x11A8}
                                          << std::u32string{0xAC00, 0x301, 0x11A8} << Spans{{0, 1}, {2, 3}, {3, 4}};
        QTest::newRow("Hangul syllable") << std::u32string{0xD55C, 0xAD6D} << std::u32string{0xD55C, 0xAD6D}
                                         << Spans{{0, 1}, {1, 2}};
        // Outside the BMP.
        QTest::newRow("Kaithi") << std::u32string{0x11099, 0x110BA, 0x1E0B, 0x323}
                                << std::u32string{0x1109A, 0x1E0D, 0x307} << Spans{{0, 1}, {2, 3}, {3, 4}};
        QTest::newRow("musical half note") << std::u32string{0x1D15E, 0x1D165, U'e', 0x301}
                                           << std::u32string{0x1D157, 0x1D165, 0x1D165, 0xE9}
                                           << Spans{{0, 1}, {0, 1}, {1, 2}, {2, 3}};
        // Unicode 9.0's data, as HF's: U+0D3C (ccc 9 since Unicode 10.0) is not moved before U+2DED
        // (ccc 230), and U+11938 (Unicode 13.0) is not composed.
        QTest::newRow("mark newer than 9.0") << std::u32string{0x2DED, 0xD3C} << std::u32string{0x2DED, 0xD3C}
                                             << Spans{{0, 1}, {1, 2}};
        QTest::newRow("composite newer than 9.0") << std::u32string{0x11935, 0x11930}
                                                  << std::u32string{0x11935, 0x11930} << Spans{{0, 1}, {1, 2}};
        QTest::newRow("empty") << std::u32string() << std::u32string() << Spans{};
    }
    void nfc() {
        QFETCH(std::u32string, input);
        QFETCH(std::u32string, expected);
        QFETCH(Spans, spans);
        const AlignedText t = normalized(input);
        QCOMPARE(hex(t.text), hex(expected));
        QCOMPARE(t.origin, spans);
        QCOMPARE(isNfc(input), input == expected);
        QVERIFY(isNfc(t.text));
    }

    void isNfcQuickCheck() {
        QVERIFY(isNfc(U"plain ASCII and Latin-1 \u00e9\u00df"));
        QVERIFY(isNfc(std::u32string{0x4F60, 0x597D, 0xD55C}));
        QVERIFY(isNfc(std::u32string{0x915, 0x93C}));            // a Maybe that stays
        QVERIFY(!isNfc(std::u32string{0x928, 0x93C}));           // a Maybe that composes
        QVERIFY(isNfc(std::u32string{U'q', 0x323, 0x307}));      // marks in canonical order
        QVERIFY(!isNfc(std::u32string{U'q', 0x307, 0x323}));     // out of order
        QVERIFY(!isNfc(std::u32string{0x212B}));                 // a No
        QVERIFY(!isNfc(std::u32string{0x1100, 0x1161}));         // jamo that compose
        QVERIFY(isNfc(std::u32string{0x1100, U'a', 0x1161}));
    }

    // ---- Against Qt Core's tables (an implementation of the same properties independent of ICU). ----

    void everyCodePointMatchesQt() {
        if (!sameUnicodeVersionAsQt()) QSKIP("Qt's Unicode version is not ours (14.0)");
        int mismatches = 0;
        auto report = [&](char32_t c, const char* what) {
            if (++mismatches <= 20) qWarning("U+%04X: %s differs from Qt", uint(c), what);
        };
        for (char32_t c = 0; c <= 0x10FFFF; ++c) {
            const GeneralCategory g = unicode::generalCategory(c);
            if (g != fromQt(QChar::category(c))) report(c, "general category");
            if (unicode::isLetter(c) != QChar::isLetter(c)) report(c, "isLetter");
            if (unicode::isNumber(c) != QChar::isNumber(c)) report(c, "isNumber");
            if (unicode::isMark(c) != QChar::isMark(c)) report(c, "isMark");
            if (unicode::isWhiteSpace(c) != QChar::isSpace(c)) report(c, "White_Space");
            // \w: Qt's letter-or-number-or-mark-or-Pc, except for No, the joiners and Other_Alphabetic So.
            const bool otherAlphabetic = (c >= 0x24B6 && c <= 0x24E9) || (c >= 0x1F130 && c <= 0x1F149) ||
                                         (c >= 0x1F150 && c <= 0x1F169) || (c >= 0x1F170 && c <= 0x1F189);
            const bool word = ((QChar::isLetterOrNumber(c) && QChar::category(c) != QChar::Number_Other) ||
                               QChar::isMark(c) || QChar::category(c) == QChar::Punctuation_Connector ||
                               c == 0x200C || c == 0x200D || otherAlphabetic);
            if (unicode::isWordChar(c) != word) report(c, "\\w");
            if (c >= 0xD800 && c < 0xE000) continue;

            const unicode::Decomposition d = unicode::canonicalDecomposition(c);
            if (newerThan9(c)) {
                // No normalization data: a starter that neither decomposes nor composes.
                if (unicode::canonicalCombiningClass(c) != 0 || d.length != 0 ||
                    unicode::nfcQuickCheck(c) != unicode::NfcQuickCheck::Yes)
                    report(c, "normalization data of a character newer than Unicode 9.0");
                continue;
            }
            if (unicode::canonicalCombiningClass(c) != QChar::combiningClass(c)) report(c, "combining class");
            std::u32string ours, qt;
            decomposeOurs(c, ours);
            decomposeQt(c, qt);
            if (ours != qt) report(c, "canonical decomposition");
            if (d.length == 0 && unicode::nfcQuickCheck(c) == unicode::NfcQuickCheck::Yes) continue;
            // Everything that decomposes or may compose: NFC of the character alone, and composition of
            // its own two parts (which gives it back unless it is excluded).
            const QString alone = QString::fromUcs4(&c, 1);
            const QString qtNfc = alone.normalized(QString::NormalizationForm_C);
            const AlignedText t = normalized(std::u32string(1, c));
            if (toQString(t.text) != qtNfc) report(c, "NFC");
            if (isNfc(std::u32string(1, c)) != (qtNfc == alone)) report(c, "isNfc");
            if ((unicode::nfcQuickCheck(c) == unicode::NfcQuickCheck::No) != (qtNfc != alone)) report(c, "NFC_QC=No");
            if (d.length == 2) {
                const char32_t composed = unicode::composePair(d.first, d.second);
                if (composed != (qtNfc == alone ? c : 0)) report(c, "composition");
            }
        }
        // The one composite newer than 9.0 (Unicode 13.0): not composed.
        const std::u32string parts = {0x11935, 0x11930};
        if (toQString(parts).normalized(QString::NormalizationForm_C) != toQString({0x11938})) report(0x11938, "Qt");
        if (unicode::composePair(0x11935, 0x11930) != 0) report(0x11938, "composition");
        QCOMPARE(mismatches, 0);
    }

    // Random strings of characters that decompose, compose, reorder and block one another. Only from the
    // BMP: Qt 6.4 fails to compose after a composed pair outside it (U+11099 U+110BA U+1E0B U+0323 gives
    // ... U+0064 U+0307; the "Kaithi" row above has HF's answer).
    void randomTextNfcMatchesQt() {
        const std::vector<char32_t> pool = {
            U'a', U'e', U'A', U'q', U'd', U' ', 0xE9, 0xC5, 0x1EA1, 0x1E0B, 0x212B, 0x2126, 0x301, 0x300, 0x307,
            0x308, 0x30A, 0x323, 0x327, 0x334, 0x344, 0x345, 0x3B1, 0x1F00, 0x915, 0x928, 0x93C, 0x958, 0x5D9,
            0x5B4, 0xF71, 0xF72, 0xF80, 0x1100, 0x1112, 0x1161, 0x1175, 0x11A7, 0x11A8, 0x11C2, 0xAC00, 0xAC01,
            0xD788, 0x3099, 0x304B, 0x304C, 0x4E2D, 0xFB1D, 0x9C7, 0x9BE, 0x9D7, 0xB47, 0xB3E, 0x1B05, 0x1B35};
        std::mt19937 rng(20240607);
        std::uniform_int_distribution<size_t> pick(0, pool.size() - 1), length(1, 8);
        int mismatches = 0;
        for (int i = 0; i < 20000; ++i) {
            std::u32string s;
            for (size_t n = length(rng); n > 0; --n) s.push_back(pool[pick(rng)]);
            const AlignedText t = normalized(s);
            const QString expected = toQString(s).normalized(QString::NormalizationForm_C);
            bool ok = toQString(t.text) == expected && isNfc(s) == (expected == toQString(s)) &&
                      t.origin.size() == t.text.size();
            for (size_t k = 0; ok && k < t.origin.size(); ++k)
                ok = 0 <= t.origin[k].first && t.origin[k].first < t.origin[k].second &&
                     t.origin[k].second <= int64_t(s.size()) && (k == 0 || t.origin[k - 1].first <= t.origin[k].first);
            if (!ok && ++mismatches <= 10) qWarning("NFC of %s differs from Qt's", qPrintable(hex(s)));
        }
        QCOMPARE(mismatches, 0);
    }

    // ---- UTF-8: invalid input becomes U+FFFD, one per maximal invalid subpart (what the tokenizers read). ----

    void invalidUtf8_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<std::u32string>("codePoints");
        const char32_t R = 0xFFFD;
        QTest::newRow("valid") << QByteArray("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x99\x82")
                               << std::u32string{U'a', 0xE9, 0x20AC, 0x1F642};
        QTest::newRow("lone 0xFF") << QByteArray("a\xFF" "b") << std::u32string{U'a', R, U'b'};
        QTest::newRow("lone continuation") << QByteArray("\x80\xBF") << std::u32string{R, R};
        QTest::newRow("truncated 3-byte") << QByteArray("a\xE2\x82" "b") << std::u32string{U'a', R, U'b'};
        QTest::newRow("truncated at end") << QByteArray("\xF0\x9F\x99") << std::u32string{R};
        QTest::newRow("overlong 2-byte") << QByteArray("\xC0\xAF") << std::u32string{R, R};
        QTest::newRow("overlong 3-byte") << QByteArray("\xE0\x80\xAF") << std::u32string{R, R, R};
        QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << std::u32string{R, R, R};
        QTest::newRow("above U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << std::u32string{R, R, R, R};
        QTest::newRow("lead then ASCII") << QByteArray("\xC3" "A") << std::u32string{R, U'A'};
        QTest::newRow("NUL") << QByteArray("x\0y", 3) << std::u32string{U'x', 0, U'y'};
    }
    void invalidUtf8() {
        QFETCH(QByteArray, bytes);
        QFETCH(std::u32string, codePoints);
        const std::string_view view(bytes.constData(), size_t(bytes.size()));
        QCOMPARE(hex(utf8::decodeLossy(view)), hex(codePoints));
        std::vector<size_t> starts;
        QCOMPARE(hex(utf8::decodeLossy(view, starts)), hex(codePoints));
        QCOMPARE(starts.size(), codePoints.size() + 1);
        QCOMPARE(starts.back(), size_t(bytes.size()));
        QCOMPARE(utf8::toValidLossy(view), utf8::encode(codePoints));
    }

    void displayText() {
        QCOMPARE(utf8::toDisplayText("ok \xC3\xA9"), std::string("ok \xC3\xA9"));
        QCOMPARE(utf8::toDisplayText("\xE2\x82"), std::string("<0xE2><0x82>"));
        QCOMPARE(utf8::toDisplayText("a\xFF"), std::string("a<0xFF>"));
        std::string encoded;
        for (char32_t c : {char32_t(0x7F), char32_t(0x80), char32_t(0x7FF), char32_t(0x800), char32_t(0xFFFF),
                           char32_t(0x10000), char32_t(0x10FFFF)})
            utf8::append(encoded, c);
        QCOMPARE(utf8::decodeLossy(encoded), (std::u32string{0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF}));
    }
};

QTEST_GUILESS_MAIN(TestTextUnicode)
#include "test_text_unicode.moc"
