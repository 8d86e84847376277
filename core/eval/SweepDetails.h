#pragma once
// A sweep with every example's scores: per task the dense pass (an EvalResult without a schedule, every
// example and choice), and per point (method, keep ratio, scoring mode) the reduced score and FLOPs of every
// choice. The
// sweep's table is computed from it (runSweep), `sweep --details` writes it, and the shards of a sweep
// (--shard i/n: one per worker process or Slurm task) merge through it into the sweep of the whole
// selection, with the metrics recomputed from the per-example scores as eval shards merge (ShardMerge.h).
//
// JSON, "format": "ssmlens-sweep-details", "version": 1:
//   {"methods", "keep_ratios", "scorings", "protect_scoring_span", "max_length",
//    "selection": {"limit", "seed", "shard_index", "shard_count"},
//    "tasks": [{"dense": <an ssmlens-eval-result, docs/evaluation.md>,
//               "points": [{"method", "keep_ratio", "scoring", "schedule",
//                           "reduced": {"ll", "greedy", "input_tokens", "scored_tokens", "scorable",
//                                       "measured_token_reduction_pct", "tokens_read", "misread", "flops",
//                                       "token_reduction_pct"}}]}]}
// Each array under "reduced" has one entry per choice, in the order of the dense result's examples and
// their choices; "ll" is null where the request was not scorable. "scorings", "scoring", "tokens_read" and
// "misread" came with the paper scoring mode; files without them were scored correctly (every scorable
// token read) and read as such.
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/eval/AccuracySweep.h"

namespace ssmlens {

struct SweepPointDetails {
    ReductionMethod method = ReductionMethod::Utr;
    double keepRatio = 1.0;
    ScoringMode scoring = ScoringMode::Correct;
    ReductionSchedule schedule;
    // Per choice, in the order of the task's dense result.
    std::vector<RequestScore> reduced;
    std::vector<double> reducedFlops, tokenReductionPercent;  // FlopsModel, as ChoiceResult has them
};

struct SweepTaskDetails {
    EvalResult dense;  // no schedule; its selection is the sweep's (shard included)
    std::vector<SweepPointDetails> points;
};

struct SweepDetails {
    std::vector<ReductionMethod> methods;
    std::vector<double> keepRatios;
    std::vector<ScoringMode> scorings = {ScoringMode::Correct};
    bool protectScoringSpan = true;
    ExampleSelection selection;
    int64_t maxLength = 0;
    std::vector<SweepTaskDetails> tasks;  // in the sweep's task order; points by method, ratio, then mode
};

// The reduced columns of `point` (an assembled EvalResult of the task's examples under a schedule, read in
// point.scoring) as a point of `task`. Throws ssmlens::Error when its examples are not those of task.dense.
SweepPointDetails sweepPointFrom(const SweepTaskDetails& task, ReductionMethod method, double keepRatio,
                                 const EvalResult& point);
// The point as one EvalResult with dense and reduced columns, equal to the one the sweep assembled.
EvalResult sweepPointResult(const SweepTaskDetails& task, size_t point);
// One summary row per task and point, in order.
std::vector<SweepPoint> sweepPointsOf(const SweepDetails& details);

nlohmann::json sweepDetailsToJson(const SweepDetails& details);
// Throws ssmlens::Error naming `source` when the JSON is not sweep details or does not add up.
SweepDetails sweepDetailsFromJson(const nlohmann::json& j, const std::string& source);
void saveSweepDetails(const SweepDetails& details, const std::string& path);  // atomically
SweepDetails loadSweepDetails(const std::string& path);

// Combines the details of sweep --shard 0/n .. n-1/n into those of the whole selection. The shards must
// come from one sweep (tasks, methods, ratios, scoring modes, selection, window, span protection, model shape), cover
// every shard index once and share no example. names[i] names shards[i] in errors.
SweepDetails mergeSweepShards(const std::vector<SweepDetails>& shards, const std::vector<std::string>& names);

}  // namespace ssmlens
