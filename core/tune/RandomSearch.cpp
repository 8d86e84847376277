#include "core/tune/RandomSearch.h"

#include "core/tune/StartingSchedules.h"

namespace ssmlens {

RandomSearch::RandomSearch(const FlopsBudget& budget, SearchSettings settings)
    : budget_(budget), settings_(std::move(settings)), random_(settings_.seed) {}

std::vector<Proposal> RandomSearch::nextRound() {
    std::vector<Proposal> round;
    if (round_++ == 0)
        for (Proposal& p : presetProposals(budget_, settings_))
            if (proposed_.insert(scheduleKey(p.schedule)).second) round.push_back(std::move(p));
    const int64_t want = static_cast<int64_t>(round.size()) + settings_.roundSize;
    for (int tries = 0; static_cast<int64_t>(round.size()) < want && tries < 100 * settings_.roundSize; ++tries) {
        Proposal p;
        if (!budget_.project(randomShape(budget_.config().nLayer, settings_, random_), settings_.targetPercent, &p.schedule))
            continue;
        if (!proposed_.insert(scheduleKey(p.schedule)).second) continue;
        p.origin = CandidateOrigin::Random;
        p.targetPercent = settings_.targetPercent;
        round.push_back(std::move(p));
    }
    return round;
}

}  // namespace ssmlens
