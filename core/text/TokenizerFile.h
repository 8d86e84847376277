#pragma once
// Reading a tokenizer file whole, with the errors every tokenizer reports the same way.
#include <string>

namespace ssmlens {

// The file's bytes. Throws ssmlens::Error "<path>: tokenizer file not found", "<path>: is a folder,
// expected <expected>", or "<path>: cannot read the tokenizer file".
std::string readTokenizerFile(const std::string& path, const std::string& expected);

}  // namespace ssmlens
