#include "core/text/Gpt2WordSplitter.h"

#include "core/text/UnicodeProperties.h"

namespace ssmlens {
namespace {

using Kind = unicode::CategoryClass;

Kind kindOf(char32_t c) { return unicode::generalCategoryClass(c); }

// Length of the contraction ('s 't 're 've 'm 'll 'd) starting at i, or 0.
size_t contractionAt(std::u32string_view s, size_t i) {
    if (s[i] != U'\'' || i + 1 >= s.size()) return 0;
    const char32_t a = s[i + 1];
    if (a == U's' || a == U't' || a == U'm' || a == U'd') return 2;
    if (i + 2 >= s.size()) return 0;
    const char32_t b = s[i + 2];
    if ((a == U'r' && b == U'e') || (a == U'v' && b == U'e') || (a == U'l' && b == U'l')) return 3;
    return 0;
}

size_t runEnd(std::u32string_view s, size_t i, Kind kind) {
    while (i < s.size() && kindOf(s[i]) == kind) ++i;
    return i;
}

// End of the match that the regex finds at position i (alternatives tried in order).
size_t matchEnd(std::u32string_view s, size_t i) {
    if (const size_t n = contractionAt(s, i)) return i + n;

    const Kind here = kindOf(s[i]);
    // " ?\p{L}+", " ?\p{N}+", " ?[^\s\p{L}\p{N}]+": an optional single ASCII space, then a run.
    if (s[i] == U' ' && i + 1 < s.size()) {
        const Kind next = kindOf(s[i + 1]);
        if (next != Kind::Space) return runEnd(s, i + 1, next);
    }
    if (here != Kind::Space) return runEnd(s, i, here);

    // "\s+(?!\S)": the whitespace run, minus its last character when a non-space follows
    // (backtracking leaves that character to start the next word, e.g. " world").
    // "\s+": a single whitespace character right before a non-space.
    const size_t end = runEnd(s, i, Kind::Space);
    if (end == s.size() || end - i == 1) return end;
    return end - 1;
}

}  // namespace

std::vector<WordRange> splitGpt2Words(std::u32string_view text) {
    std::vector<WordRange> words;
    words.reserve(text.size() / 4 + 1);
    for (size_t i = 0; i < text.size();) {
        const size_t end = matchEnd(text, i);
        words.emplace_back(i, end);
        i = end;
    }
    return words;
}

}  // namespace ssmlens
