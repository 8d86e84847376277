#pragma once
// GPT-2's byte-level alphabet: every byte is shown as a printable character so that a vocabulary of
// strings can hold arbitrary bytes. Printable bytes ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for
// themselves; the other 68 bytes take U+0100, U+0101, ... in byte order (so ' ' is 'Ġ', U+0120,
// and '\n' is 'Ċ', U+010A).
#include <cstdint>
#include <string>

namespace ssmlens::byte_level {

char32_t charForByte(uint8_t byte);

// The byte a character stands for, or -1 when it is not in the alphabet.
int byteForChar(char32_t c);

// The vocabulary spelling of raw bytes ("Ġworld" for " world").
std::string spell(const std::string& bytes);

// The bytes a vocabulary string stands for. HF's ByteLevel decoder rule: when any character is not in
// the alphabet (an added token such as "<|endoftext|>" is, "   " is not) the token's own UTF-8 is used.
std::string unspell(const std::string& token);

}  // namespace ssmlens::byte_level
