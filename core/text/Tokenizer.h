#pragma once
// The one interface the model, the CLI and the GUI use to turn text into token ids and back.
// Every implementation reports, for each token, its piece (display text) and the character span it covers
// in the input, counted in Unicode code points, exactly as Hugging Face tokenizers reports offsets.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ssmlens {

struct Encoding {
    std::vector<int64_t> ids;
    std::vector<std::string> pieces;                 // UTF-8 display text of each token
    std::vector<std::pair<int64_t, int64_t>> offsets;  // [start, end) in code points of the input text
};

class Tokenizer {
public:
    virtual ~Tokenizer() = default;
    // Special tokens written literally in the text (like <|endoftext|>) become their ids.
    virtual Encoding encode(const std::string& utf8Text) const = 0;
    virtual std::string decode(const std::vector<int64_t>& ids) const = 0;
    virtual int64_t vocabSize() const = 0;
    virtual int64_t eosId() const = 0;  // -1 when the tokenizer has none
    virtual std::string kind() const = 0;  // "byte-level-bpe" or "sentencepiece"
};

// Opens tokenizer.json (byte-level BPE) or a sentencepiece .model, by content. Throws ssmlens::Error
// naming the file and the problem.
std::unique_ptr<Tokenizer> loadTokenizer(const std::string& path);

// Looks in a model folder for tokenizer.json, then tokenizer.model; returns nullptr when neither exists.
std::unique_ptr<Tokenizer> loadTokenizerFromModelDir(const std::string& dir);
// The file loadTokenizerFromModelDir would open, or "" when there is none.
std::string tokenizerFileInModelDir(const std::string& dir);

}  // namespace ssmlens
