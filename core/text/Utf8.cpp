#include "core/text/Utf8.h"

#include <cstdio>

namespace ssmlens::utf8 {

Step decodeStep(std::string_view bytes) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const size_t n = bytes.size();
    const unsigned char lead = p[0];
    if (lead < 0x80) return {lead, 1};

    // Sequence length and the allowed range of the second byte (which excludes overlong forms,
    // surrogates and code points above U+10FFFF); later bytes are always 0x80..0xBF.
    size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;
    int32_t value = 0;
    if (lead >= 0xC2 && lead <= 0xDF) { length = 2; value = lead & 0x1F; }
    else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3; value = lead & 0x0F;
        if (lead == 0xE0) low = 0xA0;
        if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4; value = lead & 0x07;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;
    } else {
        return {-1, 1};
    }

    size_t used = 1;
    for (; used < length; ++used) {
        if (used >= n) return {-1, used};
        const unsigned char b = p[used];
        const unsigned char lo = used == 1 ? low : 0x80;
        const unsigned char hi = used == 1 ? high : 0xBF;
        if (b < lo || b > hi) return {-1, used};
        value = (value << 6) | (b & 0x3F);
    }
    return {value, length};
}

std::u32string decodeLossy(std::string_view bytes) {
    std::u32string out;
    out.reserve(bytes.size());
    for (size_t i = 0; i < bytes.size();) {
        const Step s = decodeStep(bytes.substr(i));
        out.push_back(s.codePoint < 0 ? U'\uFFFD' : char32_t(s.codePoint));
        i += s.length;
    }
    return out;
}

std::u32string decodeLossy(std::string_view bytes, std::vector<size_t>& byteStarts) {
    std::u32string out;
    out.reserve(bytes.size());
    byteStarts.clear();
    byteStarts.reserve(bytes.size() + 1);
    for (size_t i = 0; i < bytes.size();) {
        const Step s = decodeStep(bytes.substr(i));
        out.push_back(s.codePoint < 0 ? U'\uFFFD' : char32_t(s.codePoint));
        byteStarts.push_back(i);
        i += s.length;
    }
    byteStarts.push_back(bytes.size());
    return out;
}

void append(std::string& out, char32_t c) {
    if (c < 0x80) {
        out.push_back(char(c));
    } else if (c < 0x800) {
        out.push_back(char(0xC0 | (c >> 6)));
        out.push_back(char(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(char(0xE0 | (c >> 12)));
        out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(char(0x80 | (c & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (c >> 18)));
        out.push_back(char(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(char(0x80 | (c & 0x3F)));
    }
}

std::string encode(std::u32string_view codePoints) {
    std::string out;
    out.reserve(codePoints.size());
    for (char32_t c : codePoints) append(out, c);
    return out;
}

std::string toValidLossy(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (size_t i = 0; i < bytes.size();) {
        const Step s = decodeStep(bytes.substr(i));
        if (s.codePoint < 0) append(out, U'\uFFFD');
        else out.append(bytes.substr(i, s.length));
        i += s.length;
    }
    return out;
}

std::string toDisplayText(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (size_t i = 0; i < bytes.size();) {
        const Step s = decodeStep(bytes.substr(i));
        if (s.codePoint >= 0) {
            out.append(bytes.substr(i, s.length));
        } else {
            for (size_t k = 0; k < s.length; ++k) {
                char hex[8];
                std::snprintf(hex, sizeof hex, "<0x%02X>", unsigned(static_cast<unsigned char>(bytes[i + k])));
                out += hex;
            }
        }
        i += s.length;
    }
    return out;
}

}  // namespace ssmlens::utf8
