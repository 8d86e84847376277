#pragma once
// The schedules a search starts from: the paper's preset (depth-scaled anchors, one keep ratio) at the target
// and at a few fixed ratios (the curve the tuned result is compared with), structured shapes that cover the
// obvious ideas (reduce everywhere, early, in the middle, a few strong anchors, more towards the end), and
// random shapes.
#include <vector>

#include "core/tune/ScheduleSearch.h"

namespace ssmlens {

// The depth-scaled paper schedule with the keep ratio that just meets the target (origin Preset), then the
// same anchors at each of settings.presetRatios (origin Preset, each at its own reduction). Options are
// settings.options.
std::vector<Proposal> presetProposals(const FlopsBudget& budget, const SearchSettings& settings);

// The depth-scaled paper schedule (method and options as given) with the lowest keep ratio, in steps of
// 1 / kKeepRatioSteps, whose FLOPs reduction does not exceed `percent`: the paper's choice that spends at least
// the FLOPs of a schedule with that reduction, for a comparison that does not favour the tuned schedule.
ReductionSchedule paperScheduleAtMost(const FlopsBudget& budget, double percent, ReductionMethod method,
                                      const ReductionOptions& options);

// The method's options one at a time, and hidden x residual strategy together, on the paper's anchors at the
// target: a first look at which options suit the model (they matter more than the layout on small models).
// Only options of settings.method that have a choice (searchableOptions); the base options are not repeated.
std::vector<ScheduleShape> optionProbeShapes(const FlopsBudget& budget, const SearchSettings& settings);

// Structured starting shapes (weights over the layers, one ratio per shape: weight 1 on its anchors, except
// the two graded ones); projected to the target by the caller, which drops those that cannot reach it.
std::vector<ScheduleShape> structuredShapes(int64_t nLayer, const SearchSettings& settings);

// A random shape: 1 to nLayer - 1 anchors at random layers with weights in [0.05, 1] (all 1 with
// settings.uniformRatio), and random option values when settings.searchOptions.
ScheduleShape randomShape(int64_t nLayer, const SearchSettings& settings, SearchRandom& random);

}  // namespace ssmlens
