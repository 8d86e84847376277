#pragma once
// Linear warm-up, then cosine decay to a floor: the schedule the Mamba papers train with.
#include <cstdint>

namespace ssmlens {

struct LearningRateSchedule {
    double peak = 3e-3;
    double floor = 3e-4;
    int64_t warmupSteps = 100;
    int64_t totalSteps = 1000;

    // The rate for update number `step` (0-based): peak * (step + 1) / warmup during warm-up, then
    // floor + (peak - floor) * (1 + cos(pi * progress)) / 2, and the floor after totalSteps.
    double at(int64_t step) const;
};

}  // namespace ssmlens
