#pragma once
// Accuracy against FLOPs: every task scored dense once and then under the depth-scaled schedule of each
// (method, keep ratio) of a grid, on the same examples, each reduced pass read in every scoring mode asked
// for. The data behind an accuracy-vs-FLOPs plot, and the tables of docs/findings.md.
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/eval/EvalRun.h"
#include "core/eval/SweepPoint.h"

namespace ssmlens {

struct SweepDetails;

struct SweepSettings {
    std::vector<ReductionMethod> methods = {kDefaultReductionMethod};
    std::vector<double> keepRatios = {1.0, 0.9, 0.8};
    // Every reduced pass is scored in each of these modes. ScoringMode::Paper pools the requests of all
    // tasks into one ordering and one set of batches, as lm-eval does with the tasks of one run.
    std::vector<ScoringMode> scorings = {ScoringMode::Correct};
    ExampleSelection selection;
    ScoringOptions scoring;  // window, batch size and progress (over every pass of every task); its mode
                             // is ignored: `scorings` says which
    bool protectScoringSpan = true;
    std::string modelName;  // recorded in the details
};

// Ratio 1 (no reduction) is not scored again: its reduced scores are the dense ones (the hook changes
// nothing at ratio 1, which the tests check bit for bit). Points come task by task, then by method, keep
// ratio and scoring mode in the settings' order. The rows are computed from the per-example scores
// (SweepDetails.h); `details`, when given, receives them (for sweep --details and shard merges).
std::vector<SweepPoint> runSweep(const Mamba2Model& model, const Tokenizer& tokenizer,
                                 const std::vector<EvalTaskData>& tasks, const SweepSettings& settings,
                                 SweepDetails* details = nullptr);

nlohmann::json sweepToJson(const std::vector<SweepPoint>& points, const SweepSettings& settings, int64_t nLayer);
// The comparison table of docs/findings.md, in Markdown: per task, a dense row, then one row per keep
// ratio (the FLOPs budget) and method, with each metric once per scoring mode, the FLOPs reduction, the
// examples counted wrong as unscorable (correct scoring) and the requests misread (paper scoring).
std::string sweepToMarkdown(const std::vector<SweepPoint>& points);

}  // namespace ssmlens
