#pragma once
// Shared by the eval tests: a tiny byte-level BPE tokenizer.json written by the test, a tiny random
// Mamba-2 model whose vocabulary covers it, file writing and error capture.
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/Error.h"
#include "core/model/Mamba2Model.h"
#include "core/text/ByteLevelAlphabet.h"
#include "core/text/Tokenizer.h"
#include "ErrorCapture.h"
#include "ModelTestSupport.h"

namespace ssmlens::testing {

// Ids 0..255 are the bytes, 256.. these merges (best first), then <|endoftext|>.
inline std::string tinyEvalTokenizerJson() {
    const std::vector<std::pair<std::string, std::string>> merges = {
        {"Ġ", "t"}, {"h", "e"}, {"Ġt", "he"}, {"Ġ", "a"}, {"i", "n"}, {"o", "n"}, {"e", "r"},
        {"Ġ", "s"}, {"Ġ", "w"}, {"a", "t"}, {"Ġ", "c"}, {"o", "u"}, {"e", "n"}, {"Ġ", "b"}};
    nlohmann::json vocab = nlohmann::json::object(), list = nlohmann::json::array();
    for (int b = 0; b < 256; ++b) vocab[byte_level::spell(std::string(1, char(b)))] = b;
    for (size_t i = 0; i < merges.size(); ++i) {
        vocab[merges[i].first + merges[i].second] = 256 + int(i);
        list.push_back(merges[i].first + " " + merges[i].second);
    }
    const int eos = 256 + int(merges.size());
    nlohmann::json added = nlohmann::json::array();
    added.push_back({{"id", eos}, {"content", "<|endoftext|>"}, {"special", true}, {"normalized", false},
                     {"single_word", false}, {"lstrip", false}, {"rstrip", false}});
    const nlohmann::json byteLevel = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}};
    return nlohmann::json{{"version", "1.0"}, {"added_tokens", added}, {"normalizer", nullptr},
                          {"pre_tokenizer", byteLevel}, {"post_processor", byteLevel}, {"decoder", byteLevel},
                          {"model", {{"type", "BPE"}, {"dropout", nullptr}, {"unk_token", nullptr},
                                     {"vocab", vocab}, {"merges", list}}}}
        .dump();
}

// tinyConfig with a vocabulary that covers the tiny tokenizer (271 ids).
inline Mamba2Config evalConfig() {
    Mamba2Config c = tinyConfig(1);
    c.vocabSize = 280;
    return c;
}

inline std::string writeText(const QTemporaryDir& dir, const QString& name, const std::string& content) {
    const std::string path = dir.filePath(name).toStdString();
    QDir().mkpath(QFileInfo(QString::fromStdString(path)).path());
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

inline std::unique_ptr<Tokenizer> tinyEvalTokenizer(const QTemporaryDir& dir) {
    return loadTokenizer(writeText(dir, "tokenizer.json", tinyEvalTokenizerJson()));
}

}  // namespace ssmlens::testing
