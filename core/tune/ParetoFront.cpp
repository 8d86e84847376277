#include "core/tune/ParetoFront.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace ssmlens {

std::vector<size_t> paretoFront(const std::vector<TuneCandidate>& c) {
    // Sweep from the largest reduction down, keeping each candidate whose objective beats every candidate that
    // reduces at least as much.
    std::vector<size_t> order(c.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        if (c[a].flopsReductionPercent != c[b].flopsReductionPercent)
            return c[a].flopsReductionPercent > c[b].flopsReductionPercent;
        return c[a].score.objective < c[b].score.objective;  // the better one of equal reduction first
    });
    std::vector<size_t> front;
    double bestObjective = std::numeric_limits<double>::infinity();
    for (size_t i : order) {
        if (!c[i].score.complete() || !(c[i].score.objective < bestObjective)) continue;
        bestObjective = c[i].score.objective;
        front.push_back(i);
    }
    std::reverse(front.begin(), front.end());
    return front;
}

int64_t bestCandidateAtBudget(const std::vector<TuneCandidate>& c, double target) {
    int64_t best = -1;
    for (size_t i = 0; i < c.size(); ++i) {
        if (c[i].flopsReductionPercent < target || !c[i].score.complete()) continue;
        if (best < 0 || c[i].score.objective < c[static_cast<size_t>(best)].score.objective) best = static_cast<int64_t>(i);
    }
    return best;
}

}  // namespace ssmlens
