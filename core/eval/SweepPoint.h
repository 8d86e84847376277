#pragma once
// One point of an accuracy sweep (AccuracySweep.h): a task scored under one method at one keep ratio, the
// reduced pass read in one scoring mode. Free of libtorch, so the window's views and exports can take
// sweeps without the engine's headers.
#include <string>
#include <vector>

#include "core/eval/EvalResult.h"
#include "core/eval/ScoringMode.h"
#include "core/reduction/ReductionMethod.h"

namespace ssmlens {

struct SweepPoint {
    std::string task;
    ReductionMethod method = ReductionMethod::Utr;
    double keepRatio = 1.0;
    ScoringMode scoring = ScoringMode::Correct;
    EvalSummary summary;  // dense and reduced columns
};

// One row per (task, method, keep ratio, metric, scoring mode):
// task,method,keep_ratio,metric,dense,reduced,difference,token_reduction_pct,flops_reduction_pct,
// measured_token_reduction_pct,examples,unscorable_examples,scoring,misread_requests,short_read_requests
std::string sweepToCsv(const std::vector<SweepPoint>& points);

}  // namespace ssmlens
