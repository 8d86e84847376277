#pragma once
// FlopsBudget: the FLOPs reduction of a schedule over a whole calibration set (FlopsModel per sequence,
// summed: 100 * (1 - sum of reduced FLOPs / sum of dense FLOPs)), and the projection that turns a shape —
// which layers reduce and how hard relative to each other — into the schedule of that shape that just meets
// a target. Every schedule the tuner evaluates for a budget comes out of project(), so the constraint holds
// by construction.
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "core/model/ModelConfig.h"
#include "core/reduction/ReductionSchedule.h"

namespace ssmlens {

// Relative removal per layer: weight[l] = 0 means no anchor after block l, a larger weight removes a larger
// share of the tokens there. The scale is free; project() sets it.
struct ScheduleShape {
    std::vector<double> weight;  // [nLayer]
    ReductionMethod method = ReductionMethod::Utr;
    ReductionOptions options;
    bool operator==(const ScheduleShape& o) const;
};

// Keep ratios are multiples of 1 / kKeepRatioSteps (0.001), rounded down so that the rounding never loses FLOPs
// reduction, and written as k / 1000.0 (the shortest decimal in the JSON).
constexpr int64_t kKeepRatioSteps = 1000;

class FlopsBudget {
public:
    // lengths: (input tokens, scored positions) of every calibration sequence.
    FlopsBudget(Mamba2Config config, const std::vector<std::pair<int64_t, int64_t>>& lengths, double minKeepRatio = 0.5);

    double reductionPercent(const ReductionSchedule& schedule) const;
    double tokenReductionPercent(const ReductionSchedule& schedule) const;  // mean over sequences (FlopsModel)
    // The largest reduction any schedule reaches here (every layer but the last at minKeepRatio).
    double maxReductionPercent(ReductionMethod method) const;

    // The schedule of this shape whose keep ratios q_l = 1 - min(1 - minKeepRatio, s * weight[l]) (rounded down
    // to a multiple of 1 / kKeepRatioSteps) meet the target with the smallest scale s. Returns false when the shape cannot reach
    // the target even at s = infinity (too few anchors, or anchors too late). Anchors whose ratio rounds to 1
    // are dropped. The last layer never gets an anchor (nothing runs after it but the head on protected rows).
    bool project(const ScheduleShape& shape, double targetPercent, ReductionSchedule* out) const;
    // The shape of a schedule (weights = 1 - q), for moving an existing schedule to another budget.
    ScheduleShape shapeOf(const ReductionSchedule& schedule) const;

    const Mamba2Config& config() const { return config_; }
    double minKeepRatio() const { return minKeepRatio_; }
    int64_t sequences() const { return sequences_; }

private:
    ReductionSchedule scheduleAt(const ScheduleShape& shape, double scale) const;
    Mamba2Config config_;
    std::map<std::pair<int64_t, int64_t>, int64_t> lengthCounts_;  // (input, scored) -> sequences
    int64_t sequences_ = 0;
    double minKeepRatio_;
};

}  // namespace ssmlens
