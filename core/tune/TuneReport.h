#pragma once
// What a tuning run writes besides the schedule: every candidate as CSV, the whole run as JSON (setup,
// candidates, Pareto front, best, held-out comparison, deployment export), and the tables the CLI prints.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/tune/ReferenceExport.h"
#include "core/tune/ScheduleTuner.h"
#include "core/tune/TuneState.h"

namespace ssmlens {

// Schedules side by side on the held-out split (HeldoutReport.h computes it).
struct HeldoutComparison {
    std::string data;                        // what the held-out split holds
    std::vector<std::string> names;          // one per schedule: "tuned", "paper (depth-scaled, q 0.888)", ...
    std::vector<ReductionSchedule> schedules;
    struct Row {
        std::string source, metric;  // "lambada_openai", "perplexity"
        bool higherIsBetter = false;
        double dense = 0;
        std::vector<double> values;  // per schedule (NaN: not available)
    };
    std::vector<Row> rows;
    double seconds = 0;
};

struct TuneReport {
    TuneSetup setup;
    TuneOutcome outcome;
    std::string evaluator;      // CandidateEvaluator::description()
    double denseNll = 0;        // at the calibration's scored positions
    double denseSeconds = 0;
    double previousSeconds = 0; // evaluation time of earlier sessions (resume)
    std::string pretrained;     // for the reference command line
    bool hasHeldout = false;
    HeldoutComparison heldout;

    nlohmann::json toJson() const;
};

// One row per candidate: index,round,origin,target_flops_reduction_pct,flops_reduction_pct,token_reduction_pct,
// objective_kl,nll,perplexity,anchors,method,metric,hidden,residual,granularity,seconds,on_front,best
std::string candidatesCsv(const std::vector<TuneCandidate>& candidates, const std::vector<size_t>& front, int64_t best);
// The front as a text table (FLOPs reduction, objective, anchors), and the held-out comparison as one.
std::string frontTable(const std::vector<TuneCandidate>& candidates, const std::vector<size_t>& front);
std::string heldoutTable(const HeldoutComparison& h);

}  // namespace ssmlens
