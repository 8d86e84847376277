#include "core/text/ByteLevelAlphabet.h"

#include "core/text/Utf8.h"

#include <array>

namespace ssmlens::byte_level {
namespace {

bool standsForItself(int b) {
    return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
}

const std::array<char32_t, 256>& table() {
    static const std::array<char32_t, 256> t = [] {
        std::array<char32_t, 256> chars{};
        char32_t next = 0x100;
        for (int b = 0; b < 256; ++b) chars[b] = standsForItself(b) ? char32_t(b) : next++;
        return chars;
    }();
    return t;
}

}  // namespace

char32_t charForByte(uint8_t byte) { return table()[byte]; }

int byteForChar(char32_t c) {
    if (c < 0x100) return standsForItself(int(c)) ? int(c) : -1;
    if (c >= 0x100 + 68) return -1;
    for (int b = 0; b < 256; ++b)
        if (table()[b] == c) return b;
    return -1;
}

std::string spell(const std::string& bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) utf8::append(out, charForByte(b));
    return out;
}

std::string unspell(const std::string& token) {
    std::string bytes;
    bytes.reserve(token.size());
    for (char32_t c : utf8::decodeLossy(token)) {
        const int b = byteForChar(c);
        if (b < 0) return token;
        bytes.push_back(char(b));
    }
    return bytes;
}

}  // namespace ssmlens::byte_level
