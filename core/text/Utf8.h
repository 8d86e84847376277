#pragma once
// UTF-8 helpers shared by the tokenizers: decoding to code points, encoding back, and the two ways
// of showing bytes that may not be valid UTF-8 (replacement characters, or <0xXX> for display).
//
// Invalid input follows the Unicode "maximal subpart" rule (the one Rust's String::from_utf8_lossy and
// Hugging Face decoders use): each maximal prefix of a would-be sequence that cannot be completed
// counts as one error.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ssmlens::utf8 {

// One step of decoding: the code point at the front of `bytes` and how many bytes it used.
// codePoint is -1 for an invalid or truncated sequence; `length` is then the size of the maximal
// invalid subpart (at least 1).
struct Step {
    int32_t codePoint;
    size_t length;
};
Step decodeStep(std::string_view bytes);

// Code points of `bytes`; every invalid subpart becomes one U+FFFD.
std::u32string decodeLossy(std::string_view bytes);

// Same, and for every code point the byte where it starts (plus a final entry: bytes.size()).
std::u32string decodeLossy(std::string_view bytes, std::vector<size_t>& byteStarts);

void append(std::string& out, char32_t codePoint);
std::string encode(std::u32string_view codePoints);

// Valid UTF-8 with every invalid subpart replaced by U+FFFD.
std::string toValidLossy(std::string_view bytes);

// Text for showing a token: valid sequences as they are, each byte of an invalid or partial sequence
// as "<0xE2>".
std::string toDisplayText(std::string_view bytes);

}  // namespace ssmlens::utf8
