#include "core/train/LearningRateSchedule.h"

#include <algorithm>
#include <cmath>

namespace ssmlens {

double LearningRateSchedule::at(int64_t step) const {
    if (step < warmupSteps) return peak * static_cast<double>(step + 1) / static_cast<double>(warmupSteps);
    const int64_t decaySteps = std::max<int64_t>(1, totalSteps - warmupSteps);
    const double progress = std::min(1.0, static_cast<double>(step - warmupSteps) / static_cast<double>(decaySteps));
    return floor + (peak - floor) * 0.5 * (1.0 + std::cos(M_PI * progress));
}

}  // namespace ssmlens
