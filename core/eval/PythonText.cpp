#include "core/eval/PythonText.h"

#include <string_view>

#include "core/text/UnicodeProperties.h"

namespace ssmlens::python_text {
namespace {

// Minimal UTF-8 decoding of valid text (JSON parsing already rejected invalid UTF-8); a stray byte
// counts as one code point so that nothing is ever lost.
std::u32string decode(std::string_view s) {
    std::u32string out;
    for (size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        const size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
        if (n == 1 || i + n > s.size()) {
            out.push_back(c);
            ++i;
            continue;
        }
        char32_t cp = c & (0xFF >> (n + 1));
        for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += n;
    }
    return out;
}

std::string encode(const std::u32string& cps) {
    std::string out;
    for (char32_t c : cps) {
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else if (c < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (c >> 6)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else if (c < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (c >> 12)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (c >> 18)));
            out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
    return out;
}

}  // namespace

bool isSpace(char32_t c) {
    // Python: bidirectional class WS, B or S, or category Zs.
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

std::string strip(const std::string& s) {
    std::u32string cps = decode(s);
    size_t b = 0, e = cps.size();
    while (b < e && isSpace(cps[b])) ++b;
    while (e > b && isSpace(cps[e - 1])) --e;
    return encode(cps.substr(b, e - b));
}

std::string rstrip(const std::string& s) {
    std::u32string cps = decode(s);
    size_t e = cps.size();
    while (e > 0 && isSpace(cps[e - 1])) --e;
    return encode(cps.substr(0, e));
}

namespace {

// Cased and case-ignorable, approximated by general category, for Python's final-sigma rule.
bool isCased(char32_t c) {
    using unicode::GeneralCategory;
    const GeneralCategory g = unicode::generalCategory(c);
    return g == GeneralCategory::Lu || g == GeneralCategory::Ll || g == GeneralCategory::Lt;
}
bool isCaseIgnorable(char32_t c) {
    using unicode::GeneralCategory;
    const GeneralCategory g = unicode::generalCategory(c);
    return c == U'\'' || c == U'.' || c == U':' || c == 0x2019 || g == GeneralCategory::Mn ||
           g == GeneralCategory::Me || g == GeneralCategory::Cf || g == GeneralCategory::Lm ||
           g == GeneralCategory::Sk;
}

// Python lowers U+03A3 to final sigma (U+03C2) after a cased letter when no cased letter follows.
bool isFinalSigma(const std::u32string& cps, size_t i) {
    size_t j = i;
    while (j > 0 && isCaseIgnorable(cps[j - 1])) --j;
    if (j == 0 || !isCased(cps[j - 1])) return false;
    size_t k = i + 1;
    while (k < cps.size() && isCaseIgnorable(cps[k])) ++k;
    return k == cps.size() || !isCased(cps[k]);
}

}  // namespace

std::string capitalize(const std::string& s) {
    if (s.empty()) return s;
    const std::u32string cps = decode(s);
    std::u32string out;
    char32_t mapped[3];
    out.append(mapped, unicode::toTitlecase(cps[0], mapped));
    for (size_t i = 1; i < cps.size(); ++i) {
        if (cps[i] == 0x3A3 && isFinalSigma(cps, i))
            out.push_back(0x3C2);
        else
            out.append(mapped, unicode::toLowercase(cps[i], mapped));
    }
    return encode(out);
}

int64_t length(const std::string& s) { return static_cast<int64_t>(decode(s).size()); }

}  // namespace ssmlens::python_text
