#include "core/text/NfcNormalizer.h"

#include "core/text/UnicodeProperties.h"

#include <algorithm>
#include <vector>

namespace ssmlens {
namespace {

int combiningClass(char32_t c) { return unicode::canonicalCombiningClass(c); }

// A code point paired with HF's "change" marker: 0 = replaces the next source character,
// +1 = newly inserted, -N = replaces the next source character and swallows N more after it.
struct Changed {
    char32_t c;
    int change;
};

// The full canonical decomposition of c (Hangul syllables included), appended to out.
void appendCanonicalDecomposition(char32_t c, std::vector<char32_t>& out) {
    const unicode::Decomposition d = unicode::canonicalDecomposition(c);
    if (d.length == 0) {
        out.push_back(c);
        return;
    }
    appendCanonicalDecomposition(d.first, out);
    if (d.length == 2) appendCanonicalDecomposition(d.second, out);
}

// Canonical decomposition followed by canonical ordering: each run of non-starters is sorted by
// combining class (stable), and the change markers travel with their characters.
std::vector<Changed> decompose(const std::u32string& text) {
    std::vector<Changed> out;
    out.reserve(text.size() + 8);
    std::vector<char32_t> parts;
    for (char32_t c : text) {
        parts.clear();
        appendCanonicalDecomposition(c, parts);
        for (size_t i = 0; i < parts.size(); ++i) out.push_back({parts[i], i == 0 ? 0 : 1});
    }
    for (size_t i = 0; i < out.size();) {
        if (combiningClass(out[i].c) == 0) { ++i; continue; }
        size_t j = i;
        while (j < out.size() && combiningClass(out[j].c) != 0) ++j;
        std::stable_sort(out.begin() + i, out.begin() + j, [](const Changed& a, const Changed& b) {
            return combiningClass(a.c) < combiningClass(b.c);
        });
        i = j;
    }
    return out;
}

// The composed character for (a, b), or 0 when they do not compose.
char32_t compose(char32_t a, char32_t b) { return unicode::composePair(a, b); }

// Canonical composition of the decomposed stream. A composed character's marker is
// first.change + second.change - 1, as in HF's alignment-tracking recomposition.
std::vector<Changed> recompose(const std::vector<Changed>& decomposed) {
    std::vector<Changed> out;
    out.reserve(decomposed.size());
    std::vector<Changed> blocked;  // non-starters after the starter that did not compose with it
    bool haveStarter = false;
    Changed starter{0, 0};
    int lastClass = -1;  // class of the last character in `blocked`, -1 when it is empty

    auto flush = [&] {
        if (haveStarter) out.push_back(starter);
        out.insert(out.end(), blocked.begin(), blocked.end());
        blocked.clear();
        lastClass = -1;
    };

    for (const Changed& ch : decomposed) {
        const int cls = combiningClass(ch.c);
        if (!haveStarter) {
            if (cls != 0) { out.push_back(ch); continue; }
            haveStarter = true;
            starter = ch;
            continue;
        }
        const bool isBlocked = lastClass >= 0 && lastClass >= cls;
        if (!isBlocked) {
            if (const char32_t composed = compose(starter.c, ch.c)) {
                starter = {composed, starter.change + ch.change - 1};
                continue;
            }
        }
        if (cls == 0) {
            flush();
            starter = ch;
            continue;
        }
        blocked.push_back(ch);
        lastClass = cls;
    }
    flush();
    return out;
}

}  // namespace

bool isNfc(const std::u32string& text) {
    // Below U+0300 nothing decomposes into something that recomposes differently and nothing composes
    // with a preceding character, so pure Latin-1 / ASCII text is always NFC.
    if (std::all_of(text.begin(), text.end(), [](char32_t c) { return c < 0x300; })) return true;
    // The quick check of UAX #15: No when a character never occurs in NFC or the marks are out of
    // canonical order; Yes when no character is a "maybe"; otherwise only normalizing can tell.
    bool maybe = false;
    int lastClass = 0;
    for (char32_t c : text) {
        const int cls = combiningClass(c);
        if (cls != 0 && lastClass > cls) return false;
        lastClass = cls;
        const unicode::NfcQuickCheck check = unicode::nfcQuickCheck(c);
        if (check == unicode::NfcQuickCheck::No) return false;
        if (check == unicode::NfcQuickCheck::Maybe) maybe = true;
    }
    if (!maybe) return true;
    std::u32string composed;
    composed.reserve(text.size());
    for (const Changed& ch : recompose(decompose(text))) composed.push_back(ch.c);
    return composed == text;
}

void normalizeNfc(AlignedText& text) {
    if (isNfc(text.text)) return;

    const std::vector<Changed> result = recompose(decompose(text.text));

    // Replay the markers over the old text, like NormalizedString::transform: `source` walks the old
    // code points; a new character (+1) shares the span of the source character just before it.
    AlignedText out;
    out.text.reserve(result.size());
    out.origin.reserve(result.size());
    size_t source = 0;
    const size_t n = text.text.size();
    for (const Changed& r : result) {
        CodePointSpan span;
        if (r.change > 0) {
            span = source > 0 ? text.origin[std::min(source, n) - 1] : text.span(0, 0);
        } else {
            span = source < n ? text.origin[source] : text.origin.back();
            source += 1 + size_t(-r.change);
        }
        out.text.push_back(r.c);
        out.origin.push_back(span);
    }
    text = std::move(out);
}

}  // namespace ssmlens
