#pragma once
// Text being normalized, with, for every code point, the span of the ORIGINAL input it came from.
// This is the role of Hugging Face's NormalizedString "alignments", kept per code point (HF keeps
// them per byte, but every byte of a character always shares its character's alignment, so the two
// are equivalent once offsets are reported in code points).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ssmlens {

using CodePointSpan = std::pair<int64_t, int64_t>;  // [start, end) in code points of the input text

struct AlignedText {
    std::u32string text;
    std::vector<CodePointSpan> origin;  // origin[i]: where text[i] came from

    // A slice [begin, end) of `input` that has not been changed yet: each code point maps to itself.
    static AlignedText identity(const std::u32string& input, size_t begin, size_t end) {
        AlignedText t;
        t.text = input.substr(begin, end - begin);
        t.origin.reserve(end - begin);
        for (size_t i = begin; i < end; ++i) t.origin.emplace_back(int64_t(i), int64_t(i + 1));
        return t;
    }

    // Original span covered by text[begin, end): from the first code point's start to the last one's
    // end (HF's expand_alignments).
    CodePointSpan span(size_t begin, size_t end) const {
        if (begin >= end) {
            const int64_t at = begin < origin.size() ? origin[begin].first
                               : origin.empty()      ? 0
                                                     : origin.back().second;
            return {at, at};
        }
        return {origin[begin].first, origin[end - 1].second};
    }
};

}  // namespace ssmlens
