#!/usr/bin/env python3
"""Write core/text/UnicodeTables.cpp: the Unicode character data that the tokenizers need, taken from
Python's own `unicodedata` (standard library only, so the tables follow the Python that runs this:
Python 3.11 has Unicode 14.0.0).

    python3 tools/unicode/generate_unicode_tables.py            # rewrite core/text/UnicodeTables.cpp
    python3 tools/unicode/generate_unicode_tables.py --check    # exit 1 when the file is out of date

The API is declared in core/text/UnicodeTables.h (written by hand); this script writes the data and the
small lookup functions behind it. What is generated:

  - general categories, as ranges (every code point, unassigned ones as Cn), plus a table for U+0000..U+00FF;
  - canonical combining classes, as ranges;
  - canonical decomposition mappings (one level, as in UnicodeData.txt; Hangul syllables are left to
    the arithmetic of Unicode section 3.12);
  - primary composites: the pairs that canonical composition joins (two-character canonical
    decompositions whose character is not excluded from composition, i.e. survives NFC on its own);
  - the NFC quick-check property (No: excluded from composition; Maybe: can be the second of a pair).

The normalization data (the last four) is restricted to Unicode 9.0, the version of Hugging Face's NFC:
see ADDED_AFTER_9_0_WITH_NORMALIZATION_DATA.

unicodedata has no PropList.txt properties. The tokenizers need two: White_Space, which in Unicode 14
equals U+0009..U+000D, U+0085 and the categories Zs, Zl, Zp (written by hand in the lookup code below),
and, for the \\w of Rust's regex crate (Alphabetic + M + Nd + Pc + Join_Control), the Other_Alphabetic
characters that are not marks: OTHER_ALPHABETIC_NOT_MARKS below, copied from PropList.txt 14.0.0.
"""
import argparse
import difflib
import os
import sys
import unicodedata

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT_OUTPUT = os.path.join(REPO, "core", "text", "UnicodeTables.cpp")

MAX_CODE_POINT = 0x10FFFF

# The order of ssmlens::unicode::GeneralCategory in core/text/UnicodeTables.h.
CATEGORIES = ["Cn", "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No",
              "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So",
              "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co"]

# PropList.txt (14.0.0), Other_Alphabetic, the entries whose category is not M (all of them are So).
OTHER_ALPHABETIC_NOT_MARKS = [(0x24B6, 0x24E9), (0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189)]

# The NFC data is Unicode 9.0's, not this Python's: Hugging Face tokenizers' NFC normalizer
# (NormalizedString::nfc, from the crate unicode-normalization-alignments 0.1.12) embeds Unicode 9.0 tables,
# and token offsets must match it. Unicode's stability policy freezes the normalization data of assigned
# characters, so Unicode 9.0's data is this Python's without the characters added since 9.0. These are the
# ones among them (Unicode 10.0 to 14.0, from DerivedAge.txt) that have a non-zero combining class or a
# canonical decomposition; HF treats them as plain starters. A Python with a newer Unicode needs this list
# extended (the script refuses to run then).
NORMALIZATION_UNICODE_VERSION = "9.0.0"
ADDED_AFTER_9_0_WITH_NORMALIZATION_DATA = [
    (0x07FD, 0x07FD), (0x0898, 0x089F), (0x08CA, 0x08D3), (0x09FE, 0x09FE), (0x0C3C, 0x0C3C), (0x0D3B, 0x0D3C),
    (0x0EBA, 0x0EBA), (0x1715, 0x1715), (0x1ABF, 0x1ACE), (0x1DF6, 0x1DFA), (0xA82C, 0xA82C), (0x10D24, 0x10D27),
    (0x10EAB, 0x10EAC), (0x10F46, 0x10F50), (0x10F82, 0x10F85), (0x11070, 0x11070), (0x1133B, 0x1133B),
    (0x1145E, 0x1145E), (0x11839, 0x1183A), (0x11938, 0x11938), (0x1193D, 0x1193E), (0x11943, 0x11943),
    (0x119E0, 0x119E0), (0x11A34, 0x11A34), (0x11A47, 0x11A47), (0x11A99, 0x11A99), (0x11D42, 0x11D42),
    (0x11D44, 0x11D45), (0x11D97, 0x11D97), (0x16FF0, 0x16FF1), (0x1E130, 0x1E136), (0x1E2AE, 0x1E2AE),
    (0x1E2EC, 0x1E2EF)]
ADDED_LIST_UP_TO = (14, 0)

# Hangul syllables are decomposed and composed arithmetically (Unicode 3.12), not from tables.
HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
HANGUL_V = (0x1161, 0x1175)  # vowel jamo: second of an L+V composition
HANGUL_T = (0x11A8, 0x11C2)  # trailing consonants: second of an LV+T composition


def category(c):
    return unicodedata.category(chr(c))


def ranges(values):
    """[(start, value)] where value changes, over all code points (the last range runs to U+10FFFF)."""
    out = []
    previous = object()
    for c, v in enumerate(values):
        if v != previous:
            out.append((c, v))
            previous = v
    return out


def canonical_decompositions():
    """{code point: [parts]} for every canonical (untagged) decomposition mapping."""
    out = {}
    for c in range(MAX_CODE_POINT + 1):
        d = unicodedata.decomposition(chr(c))
        if d and not d.startswith("<"):
            out[c] = [int(part, 16) for part in d.split()]
    return out


def added_after_normalization_version():
    """The code points whose normalization data Unicode 9.0 does not have yet."""
    version = tuple(int(part) for part in unicodedata.unidata_version.split(".")[:2])
    if version > ADDED_LIST_UP_TO:
        sys.exit(f"Unicode {unicodedata.unidata_version} is newer than "
                 f"{'.'.join(map(str, ADDED_LIST_UP_TO))}: extend ADDED_AFTER_9_0_WITH_NORMALIZATION_DATA with "
                 "the characters added since (DerivedAge.txt) that have a combining class or a canonical "
                 "decomposition, or run this script with Python 3.11")
    added = set()
    for first, last in ADDED_AFTER_9_0_WITH_NORMALIZATION_DATA:
        for c in range(first, last + 1):
            d = unicodedata.decomposition(chr(c))
            assert unicodedata.combining(chr(c)) or (d and not d.startswith("<")) or category(c) == "Cn", \
                f"U+{c:04X} has no normalization data"
            added.add(c)
    return added


def collect():
    data = {"version": unicodedata.unidata_version, "normalization_version": NORMALIZATION_UNICODE_VERSION}
    all_points = range(MAX_CODE_POINT + 1)
    data["categories"] = ranges([CATEGORIES.index(category(c)) for c in all_points])
    data["latin1"] = [category(c) for c in range(256)]
    newer = added_after_normalization_version()
    data["combining"] = ranges([0 if c in newer else unicodedata.combining(chr(c)) for c in all_points])

    decompositions = {c: parts for c, parts in canonical_decompositions().items() if c not in newer}
    assert not any(HANGUL_FIRST <= c <= HANGUL_LAST for c in decompositions), "Hangul in UnicodeData?"
    assert all(1 <= len(p) <= 2 for p in decompositions.values()), "a decomposition of 3+ characters"
    data["decompositions"] = sorted((c, p[0], p[1] if len(p) == 2 else 0) for c, p in decompositions.items())

    # A character's own NFC only involves characters as old as it is, so this Python's answer is 9.0's too.
    composites, excluded = [], []
    for c, parts in sorted(decompositions.items()):
        if unicodedata.normalize("NFC", chr(c)) != chr(c):
            excluded.append(c)  # singleton, non-starter decomposition, or CompositionExclusions.txt
        else:
            assert len(parts) == 2, f"U+{c:04X} survives NFC but is a singleton"
            composites.append((parts[0], parts[1], c))
    composites.sort()
    data["composites"] = composites

    # NFC_QC: No for the characters excluded from composition, Maybe for every character that
    # composition can join to a preceding one.
    quick_check = ["Yes"] * (MAX_CODE_POINT + 1)
    for c in excluded:
        quick_check[c] = "No"
    seconds = {second for _, second, _ in composites}
    seconds.update(range(HANGUL_V[0], HANGUL_V[1] + 1))
    seconds.update(range(HANGUL_T[0], HANGUL_T[1] + 1))
    for c in seconds:
        assert quick_check[c] == "Yes", f"U+{c:04X} is both excluded and a second"
        quick_check[c] = "Maybe"
    assert all(q == "Yes" for q in quick_check[:0x300]), "isNfc's fast path assumes nothing below U+0300"
    data["quick_check"] = ranges(quick_check)

    for first, last in OTHER_ALPHABETIC_NOT_MARKS:
        assert all(category(c) == "So" for c in range(first, last + 1)), "OTHER_ALPHABETIC_NOT_MARKS"

    # Full case mappings as Python's str.lower() and str.title() give them for one character (SpecialCasing
    # included, so U+0130 lowers to two code points); what str.capitalize() needs for the evaluation tasks.
    def mappings(convert):
        table = []
        for c in all_points:
            if 0xD800 <= c <= 0xDFFF:
                continue
            mapped = [ord(x) for x in convert(chr(c))]
            if mapped != [c]:
                assert 1 <= len(mapped) <= 3, f"U+{c:04X} maps to {len(mapped)} characters"
                table.append((c, *(mapped + [0] * (3 - len(mapped)))))
        return table
    data["lowercase"] = mappings(str.lower)
    data["titlecase"] = mappings(str.title)
    return data


def rows(items, per_line, indent="    "):
    lines = []
    for i in range(0, len(items), per_line):
        lines.append(indent + " ".join(item + "," for item in items[i:i + per_line]))
    return "\n".join(lines)


LOOKUPS = r"""
template <typename T, size_t N>
constexpr size_t countOf(const T (&)[N]) { return N; }

// Index of the range that holds c in a table of packed (start << shift | value) entries, sorted by start.
template <size_t N>
size_t rangeIndex(const uint32_t (&table)[N], unsigned shift, char32_t c) {
    const uint32_t key = (uint32_t(c) << shift) | ((1u << shift) - 1);
    return size_t(std::upper_bound(table, table + N, key) - table) - 1;
}

constexpr char32_t kHangulS = 0xAC00, kHangulL = 0x1100, kHangulV = 0x1161, kHangulT = 0x11A7;
constexpr char32_t kHangulLCount = 19, kHangulVCount = 21, kHangulTCount = 28;
constexpr char32_t kHangulNCount = kHangulVCount * kHangulTCount, kHangulSCount = kHangulLCount * kHangulNCount;

}  // namespace

const char* version() { return kUnicodeVersion; }
const char* normalizationVersion() { return kNormalizationVersion; }

GeneralCategory generalCategory(char32_t c) {
    if (c < 0x100) return GeneralCategory(kLatin1Categories[c]);
    if (c > 0x10FFFF) return GeneralCategory::Cn;
    return GeneralCategory(kCategoryRanges[rangeIndex(kCategoryRanges, 5, c)] & 0x1F);
}

uint8_t canonicalCombiningClass(char32_t c) {
    if (c < 0x300 || c > 0x10FFFF) return 0;
    return uint8_t(kCombiningClassRanges[rangeIndex(kCombiningClassRanges, 8, c)] & 0xFF);
}

NfcQuickCheck nfcQuickCheck(char32_t c) {
    if (c < 0x300 || c > 0x10FFFF) return NfcQuickCheck::Yes;
    return NfcQuickCheck(kNfcQuickCheckRanges[rangeIndex(kNfcQuickCheckRanges, 2, c)] & 0x3);
}

Decomposition canonicalDecomposition(char32_t c) {
    if (c >= kHangulS && c < kHangulS + kHangulSCount) {
        const char32_t s = c - kHangulS;
        if (s % kHangulTCount == 0)  // LV -> L V
            return {kHangulL + s / kHangulNCount, kHangulV + (s % kHangulNCount) / kHangulTCount, 2};
        return {c - s % kHangulTCount, kHangulT + s % kHangulTCount, 2};  // LVT -> LV T
    }
    if (c < 0xC0) return {};
    const auto* end = kDecompositions + countOf(kDecompositions);
    const auto* it = std::lower_bound(kDecompositions, end, c,
                                      [](const DecompositionEntry& e, char32_t key) { return e.c < key; });
    if (it == end || it->c != c) return {};
    return {it->first, it->second, it->second ? 2 : 1};
}

char32_t composePair(char32_t first, char32_t second) {
    if (first >= kHangulL && first < kHangulL + kHangulLCount && second >= kHangulV &&
        second < kHangulV + kHangulVCount)
        return kHangulS + ((first - kHangulL) * kHangulVCount + (second - kHangulV)) * kHangulTCount;
    if (first >= kHangulS && first < kHangulS + kHangulSCount && (first - kHangulS) % kHangulTCount == 0 &&
        second > kHangulT && second < kHangulT + kHangulTCount)
        return first + (second - kHangulT);
    const auto* end = kComposites + countOf(kComposites);
    const auto* it = std::lower_bound(kComposites, end, std::make_pair(first, second),
                                      [](const CompositeEntry& e, const std::pair<char32_t, char32_t>& key) {
                                          return e.first != key.first ? e.first < key.first
                                                                      : e.second < key.second;
                                      });
    if (it == end || it->first != first || it->second != second) return 0;
    return it->composite;
}

// The full case mapping of c from a CaseMappingEntry table: writes 1 to 3 code points, returns how many.
template <size_t N>
int caseMapping(const CaseMappingEntry (&table)[N], char32_t c, char32_t out[3]) {
    const auto* it = std::lower_bound(table, table + N, c,
                                      [](const CaseMappingEntry& e, char32_t key) { return e.c < key; });
    if (it == table + N || it->c != c) {
        out[0] = c;
        return 1;
    }
    int n = 0;
    for (char32_t m : it->mapped)
        if (m) out[n++] = m;
    return n;
}

int toLowercase(char32_t c, char32_t out[3]) { return caseMapping(kLowercase, c, out); }
int toTitlecase(char32_t c, char32_t out[3]) { return caseMapping(kTitlecase, c, out); }

bool isWhiteSpace(char32_t c) {
    // White_Space (PropList.txt) is exactly these controls plus the separators in Unicode 14.
    if (c < 0x100) return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0;
    const GeneralCategory g = generalCategory(c);
    return g == GeneralCategory::Zs || g == GeneralCategory::Zl || g == GeneralCategory::Zp;
}

CategoryClass generalCategoryClass(char32_t c) {
    const GeneralCategory g = generalCategory(c);
    if (g >= GeneralCategory::Lu && g <= GeneralCategory::Lo) return CategoryClass::Letter;
    if (g >= GeneralCategory::Nd && g <= GeneralCategory::No) return CategoryClass::Number;
    if (isWhiteSpace(c)) return CategoryClass::Space;
    return CategoryClass::Other;
}

bool isLetter(char32_t c) { return generalCategoryClass(c) == CategoryClass::Letter; }
bool isNumber(char32_t c) { return generalCategoryClass(c) == CategoryClass::Number; }

bool isMark(char32_t c) {
    const GeneralCategory g = generalCategory(c);
    return g >= GeneralCategory::Mn && g <= GeneralCategory::Me;
}

bool isWordChar(char32_t c) {
    switch (generalCategory(c)) {
    case GeneralCategory::Lu: case GeneralCategory::Ll: case GeneralCategory::Lt: case GeneralCategory::Lm:
    case GeneralCategory::Lo: case GeneralCategory::Nl:  // Alphabetic, with Other_Alphabetic below
    case GeneralCategory::Mn: case GeneralCategory::Mc: case GeneralCategory::Me:
    case GeneralCategory::Nd: case GeneralCategory::Pc:
        return true;
    case GeneralCategory::So:
        for (const auto& [first, last] : kOtherAlphabeticNotMarks)
            if (c >= first && c <= last) return true;
        return false;
    default:
        return c == 0x200C || c == 0x200D;  // Join_Control
    }
}
"""


def render(data):
    out = []
    w = out.append
    w("// GENERATED FILE: do not edit by hand.")
    w(f"// Unicode {data['version']} character data for the tokenizers (normalization data as of Unicode")
    w(f"// {data['normalization_version']}, like Hugging Face's NFC), from Python's unicodedata, written by")
    w("// tools/unicode/generate_unicode_tables.py. To regenerate (standard library only):")
    w("//     python3 tools/unicode/generate_unicode_tables.py")
    w("// (the Unicode version is that of the Python that runs it). The API is core/text/UnicodeTables.h;")
    w("// the lookup functions at the end of this file are written out by the same script.")
    w('#include "core/text/UnicodeTables.h"')
    w("")
    w("#include <algorithm>")
    w("#include <cstddef>")
    w("#include <cstdint>")
    w("#include <utility>")
    w("")
    w("namespace ssmlens::unicode {")
    w("namespace {")
    w("")
    w(f'constexpr const char* kUnicodeVersion = "{data["version"]}";')
    w(f'constexpr const char* kNormalizationVersion = "{data["normalization_version"]}";  // HF\'s NFC')
    w("")
    w("using G = GeneralCategory;")
    w("")
    w("// General category of U+0000..U+00FF.")
    w("#define C(category) uint8_t(G::category)")
    w("constexpr uint8_t kLatin1Categories[256] = {")
    w(rows([f"C({c})" for c in data["latin1"]], 16))
    w("};")
    w("#undef C")
    w("")
    cats = data["categories"]
    w(f"// General categories: {len(cats)} ranges, each (first code point << 5 | category), up to the next range.")
    w("#define R(first, category) ((uint32_t(first) << 5) | uint32_t(G::category))")
    w("constexpr uint32_t kCategoryRanges[] = {")
    w(rows([f"R(0x{c:04X}, {CATEGORIES[v]})" for c, v in cats], 5))
    w("};")
    w("#undef R")
    w("")
    ccc = data["combining"]
    w(f"// Canonical combining classes (Unicode {data['normalization_version']}): {len(ccc)} ranges, each "
      "(first code point << 8 | class).")
    w("#define R(first, ccc) ((uint32_t(first) << 8) | uint32_t(ccc))")
    w("constexpr uint32_t kCombiningClassRanges[] = {")
    w(rows([f"R(0x{c:04X}, {v})" for c, v in ccc], 6))
    w("};")
    w("#undef R")
    w("")
    qc = data["quick_check"]
    w(f"// NFC_Quick_Check: {len(qc)} ranges, each (first code point << 2 | NfcQuickCheck).")
    w("#define R(first, qc) ((uint32_t(first) << 2) | uint32_t(NfcQuickCheck::qc))")
    w("constexpr uint32_t kNfcQuickCheckRanges[] = {")
    w(rows([f"R(0x{c:04X}, {v})" for c, v in qc], 5))
    w("};")
    w("#undef R")
    w("")
    decs = data["decompositions"]
    w("struct DecompositionEntry {")
    w("    char32_t c, first, second;  // second is 0 for a singleton")
    w("};")
    w(f"// Canonical decomposition mappings (Unicode {data['normalization_version']}), one level ({len(decs)}, "
      "by code point; Hangul syllables excluded).")
    w("constexpr DecompositionEntry kDecompositions[] = {")
    w(rows([f"{{0x{c:04X}, 0x{a:04X}, 0x{b:04X}}}" for c, a, b in decs], 4))
    w("};")
    w("")
    comps = data["composites"]
    w("struct CompositeEntry {")
    w("    char32_t first, second, composite;")
    w("};")
    w(f"// Primary composites ({len(comps)}, by pair; composition exclusions left out, Hangul excluded).")
    w("constexpr CompositeEntry kComposites[] = {")
    w(rows([f"{{0x{a:04X}, 0x{b:04X}, 0x{c:04X}}}" for a, b, c in comps], 4))
    w("};")
    w("")
    w("// Other_Alphabetic characters that are not marks (PropList.txt): part of Rust regex's \\w.")
    w("constexpr std::pair<char32_t, char32_t> kOtherAlphabeticNotMarks[] = {")
    w(rows([f"{{0x{a:04X}, 0x{b:04X}}}" for a, b in OTHER_ALPHABETIC_NOT_MARKS], 4))
    w("};")
    w("struct CaseMappingEntry {")
    w("    char32_t c, mapped[3];  // unused trailing code points are 0")
    w("};")
    for name, key in (("kLowercase", "lowercase"), ("kTitlecase", "titlecase")):
        table = data[key]
        w(f"// Full {key} mappings ({len(table)}, by code point; characters that map to themselves left out).")
        w(f"constexpr CaseMappingEntry {name}[] = {{")
        w(rows([f"{{0x{c:04X}, {{0x{a:04X}, 0x{b:04X}, 0x{d:04X}}}}}" for c, a, b, d in table], 3))
        w("};")
        w("")
    w(LOOKUPS.rstrip("\n"))
    w("")
    w("}  // namespace ssmlens::unicode")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", default=DEFAULT_OUTPUT, help="default: core/text/UnicodeTables.cpp")
    parser.add_argument("--check", action="store_true", help="compare with the file instead of writing it")
    args = parser.parse_args()

    text = render(collect())
    if args.check:
        try:
            with open(args.output, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = ""
        if current == text:
            print(f"{args.output} is up to date (Unicode {unicodedata.unidata_version})")
            return 0
        diff = difflib.unified_diff(current.splitlines(), text.splitlines(), "current", "generated", lineterm="")
        for i, line in enumerate(diff):
            if i >= 40:
                print("...")
                break
            print(line)
        print(f"{args.output} is out of date: run {os.path.relpath(__file__, REPO)}", file=sys.stderr)
        return 1
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {args.output} (Unicode {unicodedata.unidata_version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
