#pragma once
// Unicode character properties for the tokenizers: general categories, the classes of the GPT-2
// pre-tokenization regex, White_Space, \w, and the data of NFC (canonical combining classes,
// decompositions, compositions, quick check).
//
// The data is generated from Python's unicodedata (Unicode 14.0.0 with Python 3.11) into
// UnicodeTables.cpp by tools/unicode/generate_unicode_tables.py; regenerate it with that script, never
// by hand. Lookups are binary searches over sorted ranges (constant time below U+0100).
//
// The definitions follow what Hugging Face tokenizers uses, since tokenization must match it:
// Oniguruma for the ByteLevel split (\p{L}, \p{N}, \s = White_Space), Rust's regex crate for the
// single_word check of added tokens (\w), Rust's char::is_whitespace (White_Space) for lstrip, rstrip
// and trim_offsets, and the crate unicode-normalization-alignments for NFC, whose data is Unicode 9.0's:
// so the normalization functions below (combining classes, decompositions, composition, quick check)
// give Unicode 9.0's answers, i.e. characters added since 9.0 (such as U+0D3C, ccc 9 since Unicode
// 10.0) count as starters that never decompose or compose.
#include <cstdint>

namespace ssmlens::unicode {

// The Unicode version of the tables, e.g. "14.0.0", and that of the normalization data ("9.0.0").
const char* version();
const char* normalizationVersion();

// Unicode general categories (Cn: unassigned code points, noncharacters, and anything above U+10FFFF).
enum class GeneralCategory : uint8_t {
    Cn,
    Lu, Ll, Lt, Lm, Lo,
    Mn, Mc, Me,
    Nd, Nl, No,
    Pc, Pd, Ps, Pe, Pi, Pf, Po,
    Sm, Sc, Sk, So,
    Zs, Zl, Zp,
    Cc, Cf, Cs, Co,
};
GeneralCategory generalCategory(char32_t c);

// What the GPT-2 regex tells apart: \p{L}, \p{N}, \s (White_Space), and everything else.
enum class CategoryClass : uint8_t { Other, Letter, Number, Space };
CategoryClass generalCategoryClass(char32_t c);

bool isLetter(char32_t c);      // \p{L}: Lu Ll Lt Lm Lo
bool isNumber(char32_t c);      // \p{N}: Nd Nl No
bool isMark(char32_t c);        // \p{M}: Mn Mc Me
bool isWhiteSpace(char32_t c);  // White_Space: U+0009..U+000D, U+0085, Zs, Zl, Zp
// \w of Rust's regex crate: Alphabetic (L, Nl, Other_Alphabetic), M, Nd, Pc and Join_Control
// (U+200C, U+200D). Unlike "letter or number", No (such as '½' or '²') is not a word character.
bool isWordChar(char32_t c);

// Canonical_Combining_Class (0 for starters). Unicode 9.0, as all the normalization data below.
uint8_t canonicalCombiningClass(char32_t c);

// One level of the canonical decomposition mapping: length 0 (none), 1 (a singleton such as
// U+212B -> U+00C5) or 2. Hangul syllables included, arithmetically: LV -> L V, LVT -> LV T.
struct Decomposition {
    char32_t first = 0, second = 0;
    int length = 0;
};
Decomposition canonicalDecomposition(char32_t c);

// The primary composite that canonical composition makes of the pair, or 0 when there is none
// (composition exclusions never come out of it). Hangul L+V and LV+T included.
char32_t composePair(char32_t first, char32_t second);

// NFC_Quick_Check: No for characters that never occur in NFC text, Maybe for those that may combine
// with the character before them.
enum class NfcQuickCheck : uint8_t { Yes, No, Maybe };
NfcQuickCheck nfcQuickCheck(char32_t c);

// Full case mappings of one character, as Python's str.lower() and str.title() give them (SpecialCasing
// included: U+0130 lowers to "i" + U+0307, U+00DF titles to "Ss"). Write 1 to 3 code points to out and
// return how many; characters without a mapping come back unchanged. Context-dependent rules (the final
// sigma) are the caller's business.
int toLowercase(char32_t c, char32_t out[3]);
int toTitlecase(char32_t c, char32_t out[3]);

}  // namespace ssmlens::unicode
