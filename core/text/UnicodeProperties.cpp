#include "core/text/UnicodeProperties.h"

#include <memory>
#include <string>

#include <unicode/casemap.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>

#include "core/Error.h"

namespace ssmlens::unicode {
namespace {

constexpr const char* kVersion = "14.0.0";              // Oniguruma 6.9.8 in HF tokenizers; Python 3.11
constexpr const char* kNormalizationVersion = "9.0.0";  // unicode-normalization-alignments (HF's NFC)

// The sets and objects every lookup uses, made once (thread-safe: a function-local static). UnicodeSets are
// frozen, which makes contains() a few table reads for the BMP.
struct IcuProperties {
    icu::UnicodeSet assigned;            // [:age=14.0:]: the code points of Unicode 14.0
    icu::UnicodeSet letter, number, mark, whiteSpace, word;
    const icu::Normalizer2* nfc = nullptr;
    std::unique_ptr<icu::FilteredNormalizer2> nfc9;  // NFC restricted to the characters of Unicode 9.0
    icu::UnicodeSet normalizationAssigned;           // [:age=9.0:]
    CategoryClass asciiClass[128] = {};               // generalCategoryClass below U+0080, from the sets above

    IcuProperties() {
        assigned = set("[:age=14.0:]");
        letter = set("[[:L:]&[:age=14.0:]]");
        number = set("[[:N:]&[:age=14.0:]]");
        mark = set("[[:M:]&[:age=14.0:]]");
        whiteSpace = set("[[:White_Space:]&[:age=14.0:]]");
        word = set("[[[:Alphabetic:][:M:][:Nd:][:Pc:][:Join_Control:]]&[:age=14.0:]]");
        normalizationAssigned = set("[:age=9.0:]");
        UErrorCode status = U_ZERO_ERROR;
        nfc = icu::Normalizer2::getNFCInstance(status);
        check(status, "the NFC data");
        nfc9 = std::make_unique<icu::FilteredNormalizer2>(*nfc, normalizationAssigned);
        for (char32_t c = 0; c < 128; ++c) asciiClass[c] = classOf(c);
    }

    static void check(UErrorCode status, const char* what) {
        if (U_FAILURE(status))
            throw Error(std::string("ICU could not load ") + what + " (" + u_errorName(status) + ")");
    }
    static icu::UnicodeSet set(const char* pattern) {
        UErrorCode status = U_ZERO_ERROR;
        icu::UnicodeSet s(icu::UnicodeString(pattern, -1, US_INV), status);
        check(status, pattern);
        s.freeze();
        return s;
    }
    CategoryClass classOf(char32_t c) const {
        if (letter.contains(UChar32(c))) return CategoryClass::Letter;
        if (number.contains(UChar32(c))) return CategoryClass::Number;
        if (whiteSpace.contains(UChar32(c))) return CategoryClass::Space;
        return CategoryClass::Other;
    }
};

const IcuProperties& icuProperties() {
    static const IcuProperties p;
    return p;
}

bool inUnicode14(char32_t c) { return c <= 0x10FFFF && icuProperties().assigned.contains(UChar32(c)); }

// ICU's UCharCategory (u_charType) as our GeneralCategory.
GeneralCategory fromIcu(int8_t t) {
    switch (t) {
        case U_UPPERCASE_LETTER: return GeneralCategory::Lu;
        case U_LOWERCASE_LETTER: return GeneralCategory::Ll;
        case U_TITLECASE_LETTER: return GeneralCategory::Lt;
        case U_MODIFIER_LETTER: return GeneralCategory::Lm;
        case U_OTHER_LETTER: return GeneralCategory::Lo;
        case U_NON_SPACING_MARK: return GeneralCategory::Mn;
        case U_COMBINING_SPACING_MARK: return GeneralCategory::Mc;
        case U_ENCLOSING_MARK: return GeneralCategory::Me;
        case U_DECIMAL_DIGIT_NUMBER: return GeneralCategory::Nd;
        case U_LETTER_NUMBER: return GeneralCategory::Nl;
        case U_OTHER_NUMBER: return GeneralCategory::No;
        case U_CONNECTOR_PUNCTUATION: return GeneralCategory::Pc;
        case U_DASH_PUNCTUATION: return GeneralCategory::Pd;
        case U_START_PUNCTUATION: return GeneralCategory::Ps;
        case U_END_PUNCTUATION: return GeneralCategory::Pe;
        case U_INITIAL_PUNCTUATION: return GeneralCategory::Pi;
        case U_FINAL_PUNCTUATION: return GeneralCategory::Pf;
        case U_OTHER_PUNCTUATION: return GeneralCategory::Po;
        case U_MATH_SYMBOL: return GeneralCategory::Sm;
        case U_CURRENCY_SYMBOL: return GeneralCategory::Sc;
        case U_MODIFIER_SYMBOL: return GeneralCategory::Sk;
        case U_OTHER_SYMBOL: return GeneralCategory::So;
        case U_SPACE_SEPARATOR: return GeneralCategory::Zs;
        case U_LINE_SEPARATOR: return GeneralCategory::Zl;
        case U_PARAGRAPH_SEPARATOR: return GeneralCategory::Zp;
        case U_CONTROL_CHAR: return GeneralCategory::Cc;
        case U_FORMAT_CHAR: return GeneralCategory::Cf;
        case U_SURROGATE: return GeneralCategory::Cs;
        case U_PRIVATE_USE_CHAR: return GeneralCategory::Co;
        default: return GeneralCategory::Cn;
    }
}

// A UTF-16 mapping result as 1 to 3 code points (full case mappings are at most 3).
int codePointsOf(const char16_t* s, int32_t length, char32_t out[3]) {
    int n = 0;
    for (int32_t i = 0; i < length && n < 3;) {
        UChar32 c;
        U16_NEXT(s, i, length, c);
        out[n++] = char32_t(c);
    }
    return n;
}

// The full case mapping of c by `map` (icu::CaseMap on the one character, root locale); c itself when it has
// none, is newer than Unicode 14.0, or is not a code point.
template <typename Map>
int caseMapping(char32_t c, char32_t out[3], Map map) {
    out[0] = c;
    if (!inUnicode14(c)) return 1;
    char16_t src[2], dst[8];
    int32_t srcLength = 0;
    U16_APPEND_UNSAFE(src, srcLength, UChar32(c));
    UErrorCode status = U_ZERO_ERROR;
    const int32_t length = map(src, srcLength, dst, 8, status);
    if (U_FAILURE(status) || length <= 0) return 1;
    return codePointsOf(dst, length, out);
}

}  // namespace

const char* version() { return kVersion; }
const char* normalizationVersion() { return kNormalizationVersion; }

GeneralCategory generalCategory(char32_t c) {
    if (!inUnicode14(c)) return GeneralCategory::Cn;
    return fromIcu(u_charType(UChar32(c)));
}

CategoryClass generalCategoryClass(char32_t c) {
    if (c < 128) return icuProperties().asciiClass[c];
    if (c > 0x10FFFF) return CategoryClass::Other;
    return icuProperties().classOf(c);
}

bool isLetter(char32_t c) { return c <= 0x10FFFF && icuProperties().letter.contains(UChar32(c)); }
bool isNumber(char32_t c) { return c <= 0x10FFFF && icuProperties().number.contains(UChar32(c)); }
bool isMark(char32_t c) { return c <= 0x10FFFF && icuProperties().mark.contains(UChar32(c)); }
bool isWhiteSpace(char32_t c) { return c <= 0x10FFFF && icuProperties().whiteSpace.contains(UChar32(c)); }
bool isWordChar(char32_t c) { return c <= 0x10FFFF && icuProperties().word.contains(UChar32(c)); }

uint8_t canonicalCombiningClass(char32_t c) {
    if (c < 0x300 || c > 0x10FFFF) return 0;  // nothing below U+0300 combines
    return icuProperties().nfc9->getCombiningClass(UChar32(c));
}

Decomposition canonicalDecomposition(char32_t c) {
    if (c < 0xC0 || c > 0x10FFFF) return {};  // nothing below U+00C0 decomposes
    icu::UnicodeString mapping;
    if (!icuProperties().nfc9->getRawDecomposition(UChar32(c), mapping)) return {};
    Decomposition d;
    d.first = char32_t(mapping.char32At(0));
    const int32_t next = mapping.moveIndex32(0, 1);
    d.length = next < mapping.length() ? 2 : 1;
    if (d.length == 2) d.second = char32_t(mapping.char32At(next));
    return d;
}

char32_t composePair(char32_t first, char32_t second) {
    if (first > 0x10FFFF || second > 0x10FFFF) return 0;
    const UChar32 composite = icuProperties().nfc9->composePair(UChar32(first), UChar32(second));
    return composite < 0 ? 0 : char32_t(composite);
}

NfcQuickCheck nfcQuickCheck(char32_t c) {
    if (c < 0x300 || c > 0x10FFFF || !icuProperties().normalizationAssigned.contains(UChar32(c)))
        return NfcQuickCheck::Yes;
    switch (u_getIntPropertyValue(UChar32(c), UCHAR_NFC_QUICK_CHECK)) {
        case UNORM_NO: return NfcQuickCheck::No;
        case UNORM_MAYBE: return NfcQuickCheck::Maybe;
        default: return NfcQuickCheck::Yes;
    }
}

int toLowercase(char32_t c, char32_t out[3]) {
    return caseMapping(c, out, [](const char16_t* src, int32_t n, char16_t* dst, int32_t cap, UErrorCode& status) {
        return icu::CaseMap::toLower("", 0, src, n, dst, cap, nullptr, status);
    });
}

int toTitlecase(char32_t c, char32_t out[3]) {
    // The one character as a whole word, titlecased as it is (no search for a cased letter to start at).
    return caseMapping(c, out, [](const char16_t* src, int32_t n, char16_t* dst, int32_t cap, UErrorCode& status) {
        return icu::CaseMap::toTitle("", U_TITLECASE_WHOLE_STRING | U_TITLECASE_NO_BREAK_ADJUSTMENT, nullptr, src, n,
                                     dst, cap, nullptr, status);
    });
}

}  // namespace ssmlens::unicode
