#include "core/eval/ShardMerge.h"

#include <algorithm>
#include <map>

#include "core/Error.h"
#include "core/eval/EvalMetrics.h"

namespace ssmlens {

EvalResult mergeShards(const std::vector<EvalResult>& shards, const std::vector<std::string>& names) {
    if (shards.empty()) throw Error("no results to merge");
    const EvalResult& first = shards.front();
    const int64_t n = first.selection.shardCount;
    auto name = [&](size_t i) { return i < names.size() ? names[i] : "result " + std::to_string(i + 1); };
    std::map<int64_t, size_t> byIndex;
    for (size_t i = 0; i < shards.size(); ++i) {
        const EvalResult& s = shards[i];
        auto differs = [&](const std::string& what) {
            throw Error(name(i) + ": its " + what + " differs from " + name(0) + "'s; only shards of one run merge");
        };
        if (s.task != first.task) differs("task (" + s.task + " vs " + first.task + ")");
        if (s.modelLayers != first.modelLayers || s.modelWidth != first.modelWidth ||
            s.modelVocabRows != first.modelVocabRows)
            differs("model shape");
        if (s.reduced != first.reduced || (s.reduced && !(s.schedule == first.schedule))) differs("schedule");
        if (s.selection.limit != first.selection.limit || s.selection.seed != first.selection.seed ||
            s.totalExamples != first.totalExamples)
            differs("example selection (--limit, --seed or the data file)");
        if (s.maxLength != first.maxLength) differs("window (max length)");
        if (s.reduced && s.scoring != first.scoring) differs("scoring mode");
        if (s.selection.shardCount != n) differs("shard count");
        if (!byIndex.emplace(s.selection.shardIndex, i).second)
            throw Error(name(i) + ": shard " + std::to_string(s.selection.shardIndex) + "/" + std::to_string(n) +
                        " is also in " + name(byIndex[s.selection.shardIndex]));
    }
    for (int64_t k = 0; k < n; ++k)
        if (!byIndex.count(k))
            throw Error("shard " + std::to_string(k) + "/" + std::to_string(n) + " is missing (" +
                        std::to_string(shards.size()) + " of " + std::to_string(n) + " given)");

    EvalResult merged = first;
    merged.selection.shardIndex = 0;
    merged.selection.shardCount = 1;
    merged.examples.clear();
    for (const EvalResult& s : shards) merged.examples.insert(merged.examples.end(), s.examples.begin(), s.examples.end());
    std::sort(merged.examples.begin(), merged.examples.end(),
              [](const ExampleResult& a, const ExampleResult& b) { return a.doc < b.doc; });
    for (size_t i = 1; i < merged.examples.size(); ++i)
        if (merged.examples[i].doc == merged.examples[i - 1].doc)
            throw Error("example " + std::to_string(merged.examples[i].doc) + " appears in two shards");
    merged.summary = summarizeEval(merged.task, merged.examples, merged.reduced);
    return merged;
}

}  // namespace ssmlens
