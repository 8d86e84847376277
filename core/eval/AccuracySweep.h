#pragma once
// Accuracy against FLOPs: every task scored dense once and then under the depth-scaled schedule of each
// (method, keep ratio) of a grid, on the same examples. The data behind an accuracy-vs-FLOPs plot.
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/eval/EvalRun.h"

namespace ssmlens {

struct SweepDetails;

struct SweepSettings {
    std::vector<ReductionMethod> methods = {ReductionMethod::Utr};
    std::vector<double> keepRatios = {1.0, 0.9, 0.8};
    ExampleSelection selection;
    ScoringOptions scoring;  // progress counts requests over every pass of every task
    bool protectScoringSpan = true;
    std::string modelName;  // recorded in the details
};

struct SweepPoint {
    std::string task;
    ReductionMethod method = ReductionMethod::Utr;
    double keepRatio = 1.0;
    EvalSummary summary;  // dense and reduced columns
};

// Ratio 1 (no reduction) is not scored again: its reduced scores are the dense ones (the hook changes
// nothing at ratio 1, which the tests check bit for bit). The rows are computed from the per-example
// scores (SweepDetails.h); `details`, when given, receives them (for sweep --details and shard merges).
std::vector<SweepPoint> runSweep(const Mamba2Model& model, const Tokenizer& tokenizer,
                                 const std::vector<EvalTaskData>& tasks, const SweepSettings& settings,
                                 SweepDetails* details = nullptr);

// One row per (task, method, keep ratio, metric):
// task,method,keep_ratio,metric,dense,reduced,difference,token_reduction_pct,flops_reduction_pct,
// measured_token_reduction_pct,examples,unscorable_examples
std::string sweepToCsv(const std::vector<SweepPoint>& points);
nlohmann::json sweepToJson(const std::vector<SweepPoint>& points, const SweepSettings& settings, int64_t nLayer);

}  // namespace ssmlens
