#pragma once
// The BPE model of a byte-level tokenizer: vocabulary, merge ranks, and the merge loop that turns
// one pre-tokenized word (its UTF-8 bytes) into tokens.
//
// The merge loop follows Hugging Face's BPE (models/bpe/word.rs): a priority queue of adjacent pairs
// ordered by (merge rank, position); the best pair is merged, its new neighbours are queued, stale
// entries are skipped. Results are cached per word, since running text repeats words constantly.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ssmlens {

struct BpeToken {
    int64_t id;
    uint32_t byteBegin, byteEnd;  // which bytes of the word it covers
};

class BpeModel {
public:
    struct Options {
        std::optional<std::string> unkToken;  // used for bytes whose symbol is missing from the vocab
        bool fuseUnk = false;
        bool ignoreMerges = false;  // a word that is itself in the vocab becomes that one token
    };

    // vocab: token string (byte-level alphabet) -> id. merges: pairs of token strings, best first.
    // Throws std::invalid_argument naming the offending merge when a pair or its result is not in
    // the vocab.
    BpeModel(std::unordered_map<std::string, int64_t> vocab,
             const std::vector<std::pair<std::string, std::string>>& merges, Options options);

    std::vector<BpeToken> tokenizeWord(std::string_view wordBytes) const;

    const std::unordered_map<std::string, int64_t>& vocab() const { return vocab_; }
    size_t mergeCount() const { return merges_.size(); }

private:
    struct Merge {
        uint32_t rank;
        int64_t newId;
    };
    static uint64_t pairKey(int64_t a, int64_t b) { return (uint64_t(a) << 32) | uint64_t(uint32_t(b)); }

    std::vector<BpeToken> mergeWord(std::string_view wordBytes) const;

    std::unordered_map<std::string, int64_t> vocab_;
    std::unordered_map<uint64_t, Merge> merges_;
    int64_t byteSymbol_[256];  // id of each byte's alphabet character, -1 when not in the vocab
    int64_t unkId_ = -1;
    Options options_;

    static constexpr size_t kCacheCapacity = 100000;
    static constexpr size_t kMaxCachedWordBytes = 256;
    mutable std::mutex cacheMutex_;
    mutable std::unordered_map<std::string, std::vector<BpeToken>> cache_;
};

}  // namespace ssmlens
