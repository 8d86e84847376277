#include "core/text/TokenizerFile.h"

#include "core/Error.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace ssmlens {

std::string readTokenizerFile(const std::string& path, const std::string& expected) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw Error(path + ": tokenizer file not found");
    if (std::filesystem::is_directory(path, ec)) throw Error(path + ": is a folder, expected " + expected);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot read the tokenizer file");
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) throw Error(path + ": cannot read the tokenizer file");
    return bytes;
}

}  // namespace ssmlens
