#pragma once
// Unicode character properties for the tokenizers, from ICU (libicuuc): general categories, the classes of the
// GPT-2 pre-tokenization regex, White_Space, \w, the data of NFC (canonical combining classes, decompositions,
// compositions, quick check) and full case mappings. docs/hand-written.md says why ICU and what stays ours.
//
// Tokenization must match Hugging Face tokenizers, so the properties are those of the Unicode versions it uses,
// whatever version the ICU at hand implements (ICU 72, Debian 12: Unicode 15.0):
// - categories, \p{L} \p{N} \s of the ByteLevel split (Oniguruma 6.9.8 in tokenizers: Unicode 14.0), \w of the
//   single_word check of added tokens, and the case mappings (Python's str methods in lm-eval's preprocessing,
//   as checked against Python 3.11, Unicode 14.0): Unicode 14.0's. A code point assigned later is unassigned here
//   (Cn, no mapping).
// - the NFC data (the crate unicode-normalization-alignments, Unicode 9.0): Unicode 9.0's, i.e. characters added
//   since 9.0 (such as U+0D3C, ccc 9 since Unicode 10.0) are starters that never decompose or compose.
// The version cut is ICU's own: its Age property, through UnicodeSets such as [:age=14.0:].
#include <cstdint>

namespace ssmlens::unicode {

// The Unicode version of the properties, "14.0.0", and that of the normalization data, "9.0.0".
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
