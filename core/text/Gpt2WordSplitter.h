#pragma once
// The GPT-2 pre-tokenization regex, written out by hand over code points:
//
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//
// This is the pattern of Hugging Face's ByteLevel pre-tokenizer (use_regex = true), which runs it with
// Oniguruma. \p{L}, \p{N} and \s come from UnicodeProperties.h (\s = White_Space, as in Oniguruma).
// Every code point belongs to some match, so the words cover the text without gaps.
#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

namespace ssmlens {

using WordRange = std::pair<size_t, size_t>;  // [begin, end) in code points

std::vector<WordRange> splitGpt2Words(std::u32string_view text);

}  // namespace ssmlens
