// The Unicode properties in an engine-only build without ICU (see core/CMakeLists.txt; the GPU machine's image
// may have no libicu-dev): it replaces UnicodeProperties.cpp. Byte-level BPE tokenizers load, but tokenizing text
// throws an ssmlens::Error saying why, which is better than a link error or wrong tokens; everything that takes
// token ids works as usual. tools/device/carry_icu.sh prepares a copy of ICU to carry to such a machine.
#include "core/Error.h"
#include "core/text/UnicodeProperties.h"

namespace ssmlens::unicode {
namespace {

[[noreturn]] void unavailable() {
    throw Error("text needs Unicode properties from ICU, and this SSM Lens was built without it (libicu-dev was not "
                "found); install libicu-dev (or carry it: tools/device/carry_icu.sh) and rebuild, or give token ids");
}

}  // namespace

const char* version() { return "none (built without ICU)"; }
const char* normalizationVersion() { return "none (built without ICU)"; }
GeneralCategory generalCategory(char32_t) { unavailable(); }
CategoryClass generalCategoryClass(char32_t) { unavailable(); }
bool isLetter(char32_t) { unavailable(); }
bool isNumber(char32_t) { unavailable(); }
bool isMark(char32_t) { unavailable(); }
bool isWhiteSpace(char32_t) { unavailable(); }
bool isWordChar(char32_t) { unavailable(); }
uint8_t canonicalCombiningClass(char32_t) { unavailable(); }
Decomposition canonicalDecomposition(char32_t) { unavailable(); }
char32_t composePair(char32_t, char32_t) { unavailable(); }
NfcQuickCheck nfcQuickCheck(char32_t) { unavailable(); }
int toLowercase(char32_t, char32_t[3]) { unavailable(); }
int toTitlecase(char32_t, char32_t[3]) { unavailable(); }

}  // namespace ssmlens::unicode
