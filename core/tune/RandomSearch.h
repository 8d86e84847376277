#pragma once
// RandomSearch: the baseline the tuner's search has to beat. Round 0 is the same preset round as the
// evolutionary search's (the paper schedule at the target and its curve); every later round draws
// settings.roundSize random shapes (StartingSchedules.h: random anchor count, layers and weights, and option
// values with searchOptions), each projected to the target. It learns nothing from the scores.
#include <set>
#include <string>

#include "core/tune/ScheduleSearch.h"

namespace ssmlens {

class RandomSearch : public ScheduleSearch {
public:
    RandomSearch(const FlopsBudget& budget, SearchSettings settings);
    std::vector<Proposal> nextRound() override;
    void observe(const std::vector<TuneCandidate>&) override {}

private:
    const FlopsBudget& budget_;
    SearchSettings settings_;
    SearchRandom random_;
    int64_t round_ = 0;
    std::set<std::string> proposed_;
};

}  // namespace ssmlens
