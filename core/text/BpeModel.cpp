#include "core/text/BpeModel.h"

#include "core/text/ByteLevelAlphabet.h"

#include <queue>
#include <stdexcept>

namespace ssmlens {

BpeModel::BpeModel(std::unordered_map<std::string, int64_t> vocab,
                   const std::vector<std::pair<std::string, std::string>>& merges, Options options)
    : vocab_(std::move(vocab)), options_(std::move(options)) {
    auto idOf = [this](const std::string& token, size_t rank) {
        const auto it = vocab_.find(token);
        if (it == vocab_.end())
            throw std::invalid_argument("merge #" + std::to_string(rank) + " uses \"" + token +
                                        "\", which is not in the vocab");
        return it->second;
    };
    merges_.reserve(merges.size());
    for (size_t rank = 0; rank < merges.size(); ++rank) {
        const auto& [left, right] = merges[rank];
        const int64_t a = idOf(left, rank), b = idOf(right, rank);
        const int64_t merged = idOf(left + right, rank);
        merges_[pairKey(a, b)] = {uint32_t(rank), merged};  // a repeated pair keeps its last rank, as in HF
    }
    for (int b = 0; b < 256; ++b) {
        const auto it = vocab_.find(byte_level::spell(std::string(1, char(b))));
        byteSymbol_[b] = it == vocab_.end() ? -1 : it->second;
    }
    if (options_.unkToken) {
        const auto it = vocab_.find(*options_.unkToken);
        if (it == vocab_.end())
            throw std::invalid_argument("unk_token \"" + *options_.unkToken + "\" is not in the vocab");
        unkId_ = it->second;
    }
}

std::vector<BpeToken> BpeModel::tokenizeWord(std::string_view wordBytes) const {
    if (wordBytes.empty()) return {};
    if (options_.ignoreMerges) {
        const auto it = vocab_.find(byte_level::spell(std::string(wordBytes)));
        if (it != vocab_.end()) return {{it->second, 0, uint32_t(wordBytes.size())}};
    }
    const bool cacheable = wordBytes.size() <= kMaxCachedWordBytes;
    std::string key;
    if (cacheable) {
        key.assign(wordBytes);
        std::lock_guard<std::mutex> lock(cacheMutex_);
        const auto it = cache_.find(key);
        if (it != cache_.end()) return it->second;
    }
    std::vector<BpeToken> tokens = mergeWord(wordBytes);
    if (cacheable) {
        std::lock_guard<std::mutex> lock(cacheMutex_);
        if (cache_.size() < kCacheCapacity) cache_.emplace(std::move(key), tokens);
    }
    return tokens;
}

std::vector<BpeToken> BpeModel::mergeWord(std::string_view wordBytes) const {
    // One symbol per byte (bytes missing from the vocab become unk, fused when fuse_unk is set,
    // or are dropped when there is no unk token: HF does the same).
    struct Symbol {
        int64_t id;
        int32_t prev, next;
        uint32_t begin, length;  // length 0: merged into the symbol on its left
    };
    std::vector<Symbol> symbols;
    symbols.reserve(wordBytes.size());
    auto add = [&symbols](int64_t id, uint32_t begin, uint32_t length) {
        const int32_t index = int32_t(symbols.size());
        if (index > 0) symbols.back().next = index;
        symbols.push_back({id, index - 1, -1, begin, length});
    };
    bool pendingUnk = false;
    uint32_t unkBegin = 0, unkLength = 0;
    for (uint32_t i = 0; i < wordBytes.size(); ++i) {
        const int64_t id = byteSymbol_[static_cast<unsigned char>(wordBytes[i])];
        if (id >= 0) {
            if (pendingUnk) add(unkId_, unkBegin, unkLength), pendingUnk = false;
            add(id, i, 1);
        } else if (unkId_ >= 0) {
            if (pendingUnk && options_.fuseUnk) {
                unkLength += 1;
            } else {
                if (pendingUnk) add(unkId_, unkBegin, unkLength);
                pendingUnk = true, unkBegin = i, unkLength = 1;
            }
        }
    }
    if (pendingUnk) add(unkId_, unkBegin, unkLength);

    // Merge the best-ranked adjacent pair first; among equal ranks, the leftmost.
    struct Candidate {
        uint32_t rank;
        int32_t pos;
        int64_t newId;
    };
    auto lowerPriority = [](const Candidate& a, const Candidate& b) {
        return a.rank != b.rank ? a.rank > b.rank : a.pos > b.pos;
    };
    std::priority_queue<Candidate, std::vector<Candidate>, decltype(lowerPriority)> queue(lowerPriority);
    auto consider = [&](int32_t left, int32_t right) {
        const auto it = merges_.find(pairKey(symbols[left].id, symbols[right].id));
        if (it != merges_.end()) queue.push({it->second.rank, left, it->second.newId});
    };
    for (int32_t i = 0; i + 1 < int32_t(symbols.size()); ++i) consider(i, i + 1);

    while (!queue.empty()) {
        const Candidate top = queue.top();
        queue.pop();
        Symbol& left = symbols[top.pos];
        if (left.length == 0 || left.next < 0) continue;
        const Symbol right = symbols[left.next];
        // Skip entries made stale by earlier merges (HF compares the resulting id only).
        const auto it = merges_.find(pairKey(left.id, right.id));
        if (it == merges_.end() || it->second.newId != top.newId) continue;

        symbols[left.next].length = 0;
        left.id = top.newId;
        left.length += right.length;
        left.next = right.next;
        if (right.next >= 0) symbols[right.next].prev = top.pos;
        if (left.prev >= 0) consider(left.prev, top.pos);
        if (left.next >= 0) consider(top.pos, left.next);
    }

    std::vector<BpeToken> tokens;
    for (const Symbol& s : symbols)
        if (s.length > 0) tokens.push_back({s.id, s.begin, s.begin + s.length});
    return tokens;
}

}  // namespace ssmlens
