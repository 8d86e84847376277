#pragma once
// Which examples of a task a run scores: all, or a deterministic subset (--limit N, optionally shuffled
// with --seed S), then one shard of that (--shard i/n: the i-th, (i+n)-th, ... of the subset).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ssmlens {

struct ExampleSelection {
    int64_t limit = -1;             // < 0: every example
    std::optional<uint64_t> seed;   // none: the first `limit` examples (lm-eval's --limit); else a seeded shuffle
    int64_t shardIndex = 0, shardCount = 1;
    bool operator==(const ExampleSelection& o) const {
        return limit == o.limit && seed == o.seed && shardIndex == o.shardIndex && shardCount == o.shardCount;
    }
};

// Doc indices in [0, total), ascending. The shuffle is a Fisher-Yates over std::mt19937_64(seed) with its
// own bounded draw (not std::shuffle, whose draws differ between standard libraries), so a subset is the
// same on every platform.
std::vector<int64_t> selectExamples(int64_t total, const ExampleSelection& selection);

// "i/n" with 0 <= i < n; throws ssmlens::Error otherwise.
std::pair<int64_t, int64_t> parseShard(const std::string& text);

}  // namespace ssmlens
