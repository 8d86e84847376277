#include "core/eval/ExampleSelection.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "core/Error.h"

namespace ssmlens {
namespace {

// Uniform in [0, bound) by rejection, so no modulo bias and no library-specific distribution.
uint64_t boundedDraw(std::mt19937_64& rng, uint64_t bound) {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t x;
    do x = rng();
    while (x >= limit);
    return x % bound;
}

}  // namespace

std::vector<int64_t> selectExamples(int64_t total, const ExampleSelection& s) {
    if (s.shardCount < 1 || s.shardIndex < 0 || s.shardIndex >= s.shardCount)
        throw Error("shard " + std::to_string(s.shardIndex) + "/" + std::to_string(s.shardCount) + " is not valid");
    std::vector<int64_t> docs(static_cast<size_t>(std::max<int64_t>(total, 0)));
    std::iota(docs.begin(), docs.end(), 0);
    if (s.seed)  {
        std::mt19937_64 rng(*s.seed);
        for (size_t i = docs.size(); i > 1; --i) std::swap(docs[i - 1], docs[boundedDraw(rng, i)]);
    }
    if (s.limit >= 0 && s.limit < total) docs.resize(static_cast<size_t>(s.limit));
    std::sort(docs.begin(), docs.end());
    std::vector<int64_t> shard;
    for (size_t k = static_cast<size_t>(s.shardIndex); k < docs.size(); k += static_cast<size_t>(s.shardCount))
        shard.push_back(docs[k]);
    return shard;
}

std::pair<int64_t, int64_t> parseShard(const std::string& text) {
    const size_t slash = text.find('/');
    try {
        if (slash != std::string::npos) {
            size_t a = 0, b = 0;
            const std::string left = text.substr(0, slash), right = text.substr(slash + 1);
            const long long i = std::stoll(left, &a), n = std::stoll(right, &b);
            if (a == left.size() && b == right.size() && n >= 1 && i >= 0 && i < n) return {i, n};
        }
    } catch (const std::exception&) {
    }
    throw Error("--shard \"" + text + "\": expected i/n with 0 <= i < n (for example 0/4)");
}

}  // namespace ssmlens
