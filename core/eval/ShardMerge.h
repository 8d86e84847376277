#pragma once
// Combining the results of `eval --shard i/n` runs (one process per GPU) into the result of the whole
// selection: the shards must come from the same task, model shape, schedule, selection and window, cover
// every i in 0..n-1 exactly once, and share no example. The metrics are recomputed from the per-example
// scores, so they equal those of one unsharded run.
#include <string>
#include <vector>

#include "core/eval/EvalResult.h"

namespace ssmlens {

// names[i] identifies shards[i] in errors (usually its file). Throws ssmlens::Error.
EvalResult mergeShards(const std::vector<EvalResult>& shards, const std::vector<std::string>& names);

}  // namespace ssmlens
