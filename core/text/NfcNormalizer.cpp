#include "core/text/NfcNormalizer.h"

#include <QChar>
#include <QList>
#include <QString>

#include <algorithm>
#include <unordered_map>

namespace ssmlens {
namespace {

// Hangul syllables decompose and compose arithmetically (Unicode 3.12).
constexpr char32_t kHangulS = 0xAC00, kHangulL = 0x1100, kHangulV = 0x1161, kHangulT = 0x11A7;
constexpr char32_t kHangulLCount = 19, kHangulVCount = 21, kHangulTCount = 28;
constexpr char32_t kHangulSCount = kHangulLCount * kHangulVCount * kHangulTCount;

bool isHangulSyllable(char32_t c) { return c >= kHangulS && c < kHangulS + kHangulSCount; }

int combiningClass(char32_t c) { return c < 0x300 ? 0 : QChar::combiningClass(c); }

// A code point paired with HF's "change" marker: 0 = replaces the next source character,
// +1 = newly inserted, -N = replaces the next source character and swallows N more after it.
struct Changed {
    char32_t c;
    int change;
};

void appendCanonicalDecomposition(char32_t c, std::vector<char32_t>& out) {
    if (isHangulSyllable(c)) {
        const char32_t s = c - kHangulS;
        out.push_back(kHangulL + s / (kHangulVCount * kHangulTCount));
        out.push_back(kHangulV + (s % (kHangulVCount * kHangulTCount)) / kHangulTCount);
        if (s % kHangulTCount != 0) out.push_back(kHangulT + s % kHangulTCount);
        return;
    }
    if (c < 0xC0 || QChar::decompositionTag(c) != QChar::Canonical) {
        out.push_back(c);
        return;
    }
    for (char32_t part : QChar::decomposition(c).toUcs4()) appendCanonicalDecomposition(part, out);
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

// Primary composites: (first, second) -> composed, for every canonical two-character decomposition
// whose character survives NFC (that test leaves out the composition exclusions). Built on first use.
const std::unordered_map<uint64_t, char32_t>& primaryComposites() {
    static const std::unordered_map<uint64_t, char32_t> table = [] {
        std::unordered_map<uint64_t, char32_t> t;
        for (char32_t c = 0xC0; c < 0x110000; ++c) {
            if ((c >= 0xD800 && c < 0xE000) || isHangulSyllable(c)) continue;
            if (QChar::decompositionTag(c) != QChar::Canonical) continue;
            const QList<uint> parts = QChar::decomposition(c).toUcs4();
            if (parts.size() != 2) continue;
            const QString alone = QString::fromUcs4(&c, 1);
            if (alone.normalized(QString::NormalizationForm_C) != alone) continue;
            t.emplace((uint64_t(parts[0]) << 32) | parts[1], c);
        }
        return t;
    }();
    return table;
}

// The composed character for (a, b), or 0 when they do not compose.
char32_t compose(char32_t a, char32_t b) {
    if (a >= kHangulL && a < kHangulL + kHangulLCount && b >= kHangulV && b < kHangulV + kHangulVCount)
        return kHangulS + ((a - kHangulL) * kHangulVCount + (b - kHangulV)) * kHangulTCount;
    if (isHangulSyllable(a) && (a - kHangulS) % kHangulTCount == 0 && b > kHangulT &&
        b < kHangulT + kHangulTCount)
        return a + (b - kHangulT);
    const auto& table = primaryComposites();
    const auto it = table.find((uint64_t(a) << 32) | b);
    return it == table.end() ? 0 : it->second;
}

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
    const QString q = QString::fromUcs4(text.data(), qsizetype(text.size()));
    return q.normalized(QString::NormalizationForm_C) == q;
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
