#pragma once
// The Pareto front of evaluated candidates: FLOPs reduction (more is better) against the objective (less is
// better). A candidate is on the front when no other candidate reduces at least as much with a lower or
// equal objective, being strictly better in one of the two. Candidates stopped early by racing
// (CandidateScore::complete() false) take no part. One search run thus gives a schedule for
// every budget up to the target: read the front at the budget you need.
#include <cstdint>
#include <vector>

#include "core/tune/TuneCandidate.h"

namespace ssmlens {

// Indices into `candidates` of the front, by ascending FLOPs reduction. Of candidates with the same
// reduction and objective, the first evaluated is kept.
std::vector<size_t> paretoFront(const std::vector<TuneCandidate>& candidates);

// The complete candidate with the lowest objective among those whose FLOPs reduction is at least targetPercent
// (ties: the first evaluated); -1 when there is none.
int64_t bestCandidateAtBudget(const std::vector<TuneCandidate>& candidates, double targetPercent);

}  // namespace ssmlens
