// loadTokenizer / loadTokenizerFromModelDir (declared in Tokenizer.h): pick the implementation from the
// file's content, not its name.
#include "core/Error.h"
#include "core/text/ByteLevelBpeTokenizer.h"
#include "core/text/SentencePieceTokenizer.h"
#include "core/text/Tokenizer.h"

#include "core/text/TokenizerFile.h"

#include <filesystem>

namespace ssmlens {
namespace {

// A tokenizer.json is a JSON object: its first non-whitespace byte is '{'. A sentencepiece .model is
// a binary protobuf and starts with field tag 0x0A.
bool looksLikeJsonObject(const std::string& bytes) {
    const size_t first = bytes.find_first_not_of(" \t\n\r");
    return first != std::string::npos && bytes[first] == '{';
}

}  // namespace

std::unique_ptr<Tokenizer> loadTokenizer(const std::string& path) {
    // Read once (regular files only), then decided by content, not by name.
    const std::string bytes = readTokenizerFile(path, "tokenizer.json or a sentencepiece .model file");
    if (looksLikeJsonObject(bytes)) return ByteLevelBpeTokenizer::fromJson(bytes, path);
    try {
        return SentencePieceTokenizer::fromBytes(bytes, path);
    } catch (const Error& e) {
        throw Error(std::string(e.what()) + "\n(it is not a tokenizer.json either: it does not start with '{')");
    }
}

std::string tokenizerFileInModelDir(const std::string& dir) {
    for (const char* name : {"tokenizer.json", "tokenizer.model"}) {
        const std::filesystem::path candidate = std::filesystem::path(dir) / name;
        std::error_code ec;
        if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
    }
    return {};
}

std::unique_ptr<Tokenizer> loadTokenizerFromModelDir(const std::string& dir) {
    const std::string file = tokenizerFileInModelDir(dir);
    return file.empty() ? nullptr : loadTokenizer(file);
}

}  // namespace ssmlens
