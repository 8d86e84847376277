#pragma once
// TuneCandidate: one schedule the tuner evaluated, with where it came from, what it saves (FlopsModel on the
// calibration lengths) and how it scored on the calibration data. Plain data: the CLI writes it (JSON, CSV),
// the state file keeps it for a resumed search, the window plots it.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/reduction/ReductionSchedule.h"

namespace ssmlens {

// Why a candidate was evaluated.
enum class CandidateOrigin {
    Preset,       // the depth-scaled paper schedule (one keep ratio at the paper's anchors)
    Seed,         // a structured starting point of the search (one ratio over an anchor pattern)
    Search,       // proposed by the search from earlier results
    Random,       // drawn at random (random search, and the random part of the first round)
    Ladder,       // the best shape so far at another budget, for the Pareto front
    Expressible,  // the best schedule's anchors with one ratio (what the reference code can run)
};
std::string candidateOriginName(CandidateOrigin o);  // "preset", "seed", ...
CandidateOrigin parseCandidateOriginName(const std::string& name);  // throws ssmlens::Error

// How a schedule scored on the calibration data. The objective is what the search minimises.
struct CandidateScore {
    double objective = 0;        // mean over sequences of the mean KL(dense || reduced) at its scored positions, nats
    double nll = 0;              // mean negative log-likelihood of the true next tokens at the scored positions, nats
    int64_t scoredPositions = 0;
    int64_t lostPositions = 0;   // scored positions that reduction removed (only without span protection)
    double seconds = 0;          // wall time of this evaluation
    // The running objective at the evaluator's checkpoints (after a quarter and after half of the sequences, in
    // the evaluator's fixed order), against which later candidates are raced (ScheduleTuner.h).
    std::vector<double> checkpoints;
    // Share of the calibration sequences scored: below 1 when the evaluation stopped at a checkpoint because the
    // schedule was clearly worse than the best so far; the objective is then the running one there.
    double evaluatedFraction = 1.0;
    bool complete() const { return evaluatedFraction >= 1.0; }
    bool operator==(const CandidateScore& o) const {
        return objective == o.objective && nll == o.nll && scoredPositions == o.scoredPositions &&
               lostPositions == o.lostPositions && checkpoints == o.checkpoints && evaluatedFraction == o.evaluatedFraction;
    }
};

struct TuneCandidate {
    int64_t index = 0;  // 0-based order of evaluation in the whole search (resumed runs continue the count)
    int64_t round = 0;
    CandidateOrigin origin = CandidateOrigin::Search;
    double targetPercent = 0;  // the FLOPs-reduction budget it was made for
    ReductionSchedule schedule;
    double flopsReductionPercent = 0;  // FlopsModel over the calibration lengths
    double tokenReductionPercent = 0;
    CandidateScore score;

    nlohmann::json toJson() const;
    static TuneCandidate fromJson(const nlohmann::json& j, const std::string& source);
};

// "3:0.800 5:0.650 9:0.905" (layer:keep ratio, layer order), or "dense".
std::string anchorsText(const ReductionSchedule& schedule);
// "utr, hidden merge, residual prune" — the method and every option that differs from the default.
std::string methodText(const ReductionSchedule& schedule);
// A key that is equal for equal schedules (method, options, anchors), for finding repeats.
std::string scheduleKey(const ReductionSchedule& schedule);

}  // namespace ssmlens
