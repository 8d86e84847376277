#pragma once
// Finding a tokenizer's "added tokens" (special tokens such as <|endoftext|>, and extra vocabulary
// such as GPT-NeoX's runs of spaces) in text, the way Hugging Face's AddedVocabulary does it:
// leftmost-longest matches, scanning left to right without overlaps, honouring the single_word,
// lstrip and rstrip options.
//
// HF keeps two matchers: tokens with normalized = false are found in the raw input first; tokens
// with normalized = true are then found in the normalized remainder. The tokenizer builds one
// AddedTokenMatcher for each set.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace ssmlens {

struct AddedToken {
    int64_t id = -1;
    std::string content;        // as written in tokenizer.json
    std::u32string pattern;     // what is searched for: content, or its normalized form
    bool special = false;
    bool normalized = false;
    bool singleWord = false;
    bool lstrip = false;
    bool rstrip = false;
};

struct AddedTokenMatch {
    size_t begin, end;  // code points of the searched text, including stripped whitespace
    const AddedToken* token;
};

class AddedTokenMatcher {
public:
    AddedTokenMatcher() = default;
    explicit AddedTokenMatcher(std::vector<AddedToken> tokens);

    bool empty() const { return tokens_.empty(); }
    // Matches in text order; the text between them is left for the model.
    std::vector<AddedTokenMatch> find(const std::u32string& text) const;

private:
    const AddedToken* longestAt(const std::u32string& text, size_t pos) const;

    std::vector<AddedToken> tokens_;
    // First code point -> indices into tokens_, longest pattern first.
    std::unordered_map<char32_t, std::vector<size_t>> byFirstChar_;
};

}  // namespace ssmlens
