#pragma once
// ReductionSchedule: which layers reduce tokens ("anchors"), how many they keep, and with which method.
// Saved as versioned JSON that round-trips exactly:
//   {"format": "ssmlens-reduction-schedule", "version": 1, "method": "utr",
//    "options": {"metric": "clip", "hidden": "hybrid", "residual": "merge", "granularity": "channel",
//                "protect_scoring_span": true},
//    "anchors": [{"layer": 12, "keep_ratio": 0.905}, ...]}
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/reduction/ReductionMethod.h"

namespace ssmlens {

// The keep ratio q the paper uses at each of its seven anchors (64-layer models), and the default of every
// schedule, preset, command-line option and editor in SSM Lens: the one place to change it.
inline constexpr double kDefaultKeepRatio = 0.905;

struct ScheduleAnchor {
    int64_t layer = 0;        // reduction happens after this block (0-based)
    double keepRatio = 1.0;   // q in (0, 1]
    bool operator==(const ScheduleAnchor& o) const { return layer == o.layer && keepRatio == o.keepRatio; }
};

struct ReductionSchedule {
    ReductionMethod method = kDefaultReductionMethod;
    ReductionOptions options;
    std::vector<ScheduleAnchor> anchors;  // sorted by layer, no duplicates

    // Throws ssmlens::Error naming `source` and the problem: a layer outside [0, nLayer), a ratio outside
    // (0, 1], a repeated layer. nLayer <= 0 skips the layer range check.
    void validate(int64_t nLayer, const std::string& source = "schedule") const;
    double keepRatioAt(int64_t layer) const;  // 1 where there is no anchor
    bool operator==(const ReductionSchedule& o) const;

    nlohmann::json toJson() const;
    static ReductionSchedule fromJson(const nlohmann::json& j, const std::string& source);
    static ReductionSchedule load(const std::string& path);  // throws ssmlens::Error naming the file
    void save(const std::string& path) const;
};

// The paper's setting for 64-layer models: anchors 12,17,...,42 with q = kDefaultKeepRatio, clip / hybrid / merge.
ReductionSchedule paperSchedule64();
// The same for another depth: anchors evenly spaced from about 19% to 66% of the layers (7 anchors when
// the model is deep enough), one q at every anchor.
ReductionSchedule depthScaledSchedule(int64_t nLayer, double keepRatio = kDefaultKeepRatio,
                                      ReductionMethod m = kDefaultReductionMethod);

}  // namespace ssmlens
