#pragma once
// Reading a tokenizer file whole, with the errors every tokenizer reports the same way.
#include <cstdint>
#include <string>

namespace ssmlens {

inline constexpr uint64_t kMaxTokenizerFileBytes = uint64_t(512) << 20;

// The file's bytes. Throws ssmlens::Error "<path>: tokenizer file not found", "<path>: is a folder,
// expected <expected>", "<path>: is a FIFO ...", or the reason it cannot be read (InputFile).
std::string readTokenizerFile(const std::string& path, const std::string& expected);

}  // namespace ssmlens
