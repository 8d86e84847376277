#include "core/text/TokenizerFile.h"

#include "core/Error.h"
#include "core/io/InputFile.h"

#include <filesystem>

namespace ssmlens {

std::string readTokenizerFile(const std::string& path, const std::string& expected) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw Error(path + ": tokenizer file not found");
    // Regular files only (a FIFO would block), no larger than a tokenizer can sensibly be (the largest
    // tokenizer.json files are a few tens of MB).
    return readInputFile(path, expected, kMaxTokenizerFileBytes);
}

}  // namespace ssmlens
