#pragma once
// A Hugging Face tokenizer.json with a BPE model and the ByteLevel pre-tokenizer (GPT-2, GPT-NeoX,
// and so the Mamba / Mamba-2 checkpoints). encode() gives the ids and offsets that the `tokenizers`
// library gives for `Tokenizer.from_file(path).encode(text)`:
//
//   1. added tokens with normalized = false (special tokens) are cut out of the raw text;
//   2. each remaining piece is normalized (NFC, when the file asks for it) and the added tokens with
//      normalized = true (GPT-NeoX's runs of spaces) are cut out of it;
//   3. the rest is split with the GPT-2 regex, each word's UTF-8 bytes go through BPE;
//   4. offsets are mapped back to the input (code points), then the ByteLevel post-processor's
//      trim_offsets removes leading/trailing spaces from each token's span (never past the token).
//
// Supported: normalizer null or NFC; pre_tokenizer ByteLevel (add_prefix_space, use_regex);
// post_processor null or ByteLevel; model BPE with merges as "a b" strings or ["a", "b"] pairs,
// unk_token / fuse_unk / ignore_merges. Anything else is refused with an ssmlens::Error rather than
// tokenized differently from HF. Input that is not valid UTF-8 is read with U+FFFD replacements.
#include "core/text/AddedTokenMatcher.h"
#include "core/text/AlignedText.h"
#include "core/text/BpeModel.h"
#include "core/text/Tokenizer.h"

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace ssmlens {

class ByteLevelBpeTokenizer : public Tokenizer {
public:
    // Throws ssmlens::Error naming the file and the problem.
    static std::unique_ptr<ByteLevelBpeTokenizer> fromFile(const std::string& path);
    // sourceName is used in error messages (a path, usually).
    static std::unique_ptr<ByteLevelBpeTokenizer> fromJson(const std::string& jsonText,
                                                           const std::string& sourceName);

    Encoding encode(const std::string& utf8Text) const override;
    // Bytes of every token joined, read as UTF-8 with U+FFFD for invalid sequences. Special tokens are
    // kept (HF's decode(ids, skip_special_tokens=False)); ids that do not exist are skipped, as in HF.
    std::string decode(const std::vector<int64_t>& ids) const override;
    int64_t vocabSize() const override;  // highest id + 1, added tokens included
    int64_t eosId() const override { return eosId_; }
    std::string kind() const override { return "byte-level-bpe"; }

    // The vocabulary spelling of an id ("Ġworld"), or the added token's content; empty when unknown.
    std::string idToToken(int64_t id) const;
    int64_t tokenToId(const std::string& token) const;  // -1 when unknown

private:
    struct Settings;
    struct TokenInfo {
        std::string token;    // vocabulary spelling, or an added token's content
        std::string bytes;    // what it decodes to
        std::string display;  // bytes as text, <0xXX> for partial UTF-8
        bool exists = false;
    };

    explicit ByteLevelBpeTokenizer(const Settings& settings);  // throws std::invalid_argument

    void encodePiece(const std::u32string& input, size_t begin, size_t end, Encoding& out) const;
    void encodeWords(const AlignedText& piece, size_t begin, size_t end, Encoding& out) const;
    void pushToken(Encoding& out, int64_t id, std::string display, CodePointSpan span,
                   size_t leadingSpaces, size_t trailingSpaces) const;

    BpeModel model_;
    AddedTokenMatcher rawAddedTokens_;         // normalized = false: matched on the input
    AddedTokenMatcher normalizedAddedTokens_;  // normalized = true: matched after NFC
    std::unordered_map<std::string, int64_t> addedTokenIds_;  // content -> id
    std::vector<TokenInfo> tokens_;            // by id
    std::vector<uint8_t> leadingSpaces_, trailingSpaces_;  // by id, for trim_offsets
    bool nfc_ = false;
    bool addPrefixSpace_ = false;
    bool useRegex_ = true;
    bool trimOffsets_ = false;
    bool trimKeepsPrefixSpace_ = false;  // the post-processor's own add_prefix_space
    int64_t eosId_ = -1;
};

}  // namespace ssmlens
