#pragma once
// What an accuracy run produces: per-example, per-choice scores dense and reduced (the JSON details), and
// the summary metrics computed from them. Plain structs, so the CLI, the GUI and a shard merge all use the
// same numbers.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/eval/EvalTask.h"
#include "core/eval/ExampleSelection.h"
#include "core/eval/RequestScore.h"
#include "core/eval/ScoringMode.h"
#include "core/reduction/ReductionSchedule.h"

namespace ssmlens {

constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

struct ChoiceResult {
    std::string context, continuation;
    int64_t contextTokens = 0, continuationTokens = 0;
    double normLength = 0;  // acc_norm's divisor
    RequestScore dense;
    RequestScore reduced;   // meaningful when the run has a schedule
    // FlopsModel figures for this request's input (head counted on the scored positions only).
    double denseFlops = 0, reducedFlops = 0, tokenReductionPercent = 0;
};

struct ExampleResult {
    int64_t doc = 0;
    int64_t gold = 0;
    std::vector<ChoiceResult> choices;
};

struct MetricSummary {
    EvalMetric metric = EvalMetric::Acc;
    double dense = kNoValue, reduced = kNoValue;
    double denseStderr = kNoValue, reducedStderr = kNoValue;  // lm-eval's mean_stderr; none for perplexity
};

struct EvalSummary {
    std::vector<MetricSummary> metrics;
    int64_t examples = 0;
    int64_t unscorableExamples = 0;  // reduced: examples counted wrong because a scored position was removed
    int64_t unscorableRequests = 0;
    // Reduced, ScoringMode::Paper: requests that read some log-probability at a position other than the one
    // that predicts its token, and those whose slice came out shorter than the continuation (scored on
    // fewer tokens; empty: loglikelihood 0). Always 0 when scoring correctly.
    int64_t misreadRequests = 0;
    int64_t shortReadRequests = 0;
    double tokenReductionPercent = 0;          // FlopsModel, mean over requests
    double flopsReductionPercent = 0;          // FlopsModel, 100 * (1 - sum reduced / sum dense)
    double measuredTokenReductionPercent = 0;  // tokens counted in the reduced forward passes, mean over requests
};

struct EvalResult {
    std::string task, source;
    std::string model;  // the model folder (informational)
    int64_t modelLayers = 0, modelWidth = 0, modelVocabRows = 0;  // must agree between merged shards
    bool reduced = false;
    ReductionSchedule schedule;  // when reduced
    ScoringMode scoring = ScoringMode::Correct;  // how the reduced pass was read
    int64_t batchSize = 0;  // recorded because ScoringMode::Paper's results depend on the batches
    ExampleSelection selection;
    int64_t totalExamples = 0;   // items in the file
    int64_t maxLength = 0;
    std::vector<ExampleResult> examples;  // ascending doc
    EvalSummary summary;
};

}  // namespace ssmlens
