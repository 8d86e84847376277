#include "core/text/PieceLabels.h"

#include <algorithm>
#include <cstdio>

#include "core/text/Utf8.h"

namespace ssmlens {
namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// The piece's bytes with every "<0xHH>" turned back into the byte it stands for; *marked: it had one.
std::string rawBytes(const std::string& piece, bool* marked) {
    std::string out;
    *marked = false;
    for (size_t i = 0; i < piece.size();) {
        if (piece.size() - i >= 6 && piece.compare(i, 3, "<0x") == 0 && piece[i + 5] == '>' && hexValue(piece[i + 3]) >= 0 &&
            hexValue(piece[i + 4]) >= 0) {
            out.push_back(static_cast<char>(hexValue(piece[i + 3]) * 16 + hexValue(piece[i + 4])));
            *marked = true;
            i += 6;
        } else {
            out.push_back(piece[i++]);
        }
    }
    return out;
}

std::string hexByte(unsigned char b) {
    char text[8];
    std::snprintf(text, sizeof text, "<0x%02X>", unsigned(b));
    return text;
}

}  // namespace

std::vector<std::string> readablePieceLabels(const std::vector<std::string>& pieces) {
    const size_t n = pieces.size();
    std::vector<bool> marked(n);
    std::vector<size_t> begin(n), end(n);
    std::string stream;
    for (size_t t = 0; t < n; ++t) {
        bool m = false;
        begin[t] = stream.size();
        stream += rawBytes(pieces[t], &m);
        end[t] = stream.size();
        marked[t] = m;
    }
    // The characters of the whole stream: [start, stop) in bytes, valid or not.
    struct Char {
        size_t start, stop;
        bool valid;
    };
    std::vector<Char> chars;
    for (size_t i = 0; i < stream.size();) {
        const utf8::Step s = utf8::decodeStep(std::string_view(stream).substr(i));
        chars.push_back({i, i + s.length, s.codePoint >= 0});
        i += s.length;
    }

    std::vector<std::string> labels(pieces);
    size_t first = 0;  // the first character that may overlap token t (tokens come in stream order)
    for (size_t t = 0; t < n; ++t) {
        if (!marked[t]) continue;
        while (first < chars.size() && chars[first].stop <= begin[t]) ++first;
        std::string label;
        int partial = 0;
        std::string part;
        for (size_t c = first; c < chars.size() && chars[c].start < end[t]; ++c) {
            const Char& ch = chars[c];
            const size_t from = std::max(ch.start, begin[t]), to = std::min(ch.stop, end[t]);
            if (!ch.valid) {
                for (size_t b = from; b < to; ++b) label += hexByte(static_cast<unsigned char>(stream[b]));
                continue;
            }
            label.append(stream, ch.start, ch.stop - ch.start);
            if (from > ch.start || to < ch.stop) {
                ++partial;
                const size_t k0 = from - ch.start + 1, k1 = to - ch.start, size = ch.stop - ch.start;
                part = k0 == k1 ? std::to_string(k0) + "/" + std::to_string(size)
                                : std::to_string(k0) + "\xE2\x80\x93" + std::to_string(k1) + "/" + std::to_string(size);
            }
        }
        // One split character: which of its bytes this token holds. Several (rare): that it holds parts.
        if (partial == 1) label += " " + part;
        if (partial > 1) label += " \xE2\x80\xA6";
        labels[t] = label;
    }
    return labels;
}

}  // namespace ssmlens
