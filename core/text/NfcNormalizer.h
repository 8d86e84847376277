#pragma once
// Unicode NFC that keeps track of where each resulting code point came from, the way Hugging Face's
// `normalizers.NFC` does (NormalizedString::nfc, built on the unicode-normalization-alignments crate).
//
// HF's alignment rules, reproduced here on purpose because token offsets depend on them:
//   - a character that decomposes and recomposes to itself keeps its own span;
//   - a character composed from several (e + U+0301 -> é) gets the span of its FIRST source character
//     only (the combining mark's position is then covered by no token);
//   - characters added by a decomposition share the span of the character before them.
// Unicode data (decompositions, combining classes, composition) comes from UnicodeProperties.h, and is
// Unicode 9.0's like HF's: marks added to Unicode since then are not reordered.
#include "core/text/AlignedText.h"

namespace ssmlens {

// Applies NFC to text.text and rewrites text.origin accordingly.
void normalizeNfc(AlignedText& text);

// True when NFC would leave the text unchanged (the common case; checked first, cheaply).
bool isNfc(const std::u32string& text);

}  // namespace ssmlens
