#pragma once
// ScheduleSearch: the part of the tuner that decides which schedules to evaluate. It works in rounds: it
// proposes a batch of schedules, the tuner has them evaluated (by any CandidateEvaluator: in this process,
// later on several GPUs or as a job array) and hands the scored round back. A search is a pure function of its
// settings (seed included) and the scores it has observed: given the same scores it proposes the same rounds,
// which is what makes a seeded search repeatable and a stopped one resumable (the tuner replays the recorded
// scores; ScheduleTuner.h).
//
// Every proposal made for the target budget comes out of FlopsBudget::project, so it meets the target.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/tune/FlopsBudget.h"
#include "core/tune/TuneCandidate.h"

namespace ssmlens {

enum class SearchAlgorithm {
    Evolutionary,  // EvolutionarySearch.h: structured seeds, then mutations of the best schedules
    Random,        // RandomSearch.h: random shapes at the target (the baseline the tuner must beat)
};
std::string searchAlgorithmName(SearchAlgorithm a);               // "evolution", "random"
SearchAlgorithm parseSearchAlgorithmName(const std::string& name);  // throws ssmlens::Error

struct SearchSettings {
    double targetPercent = 25;              // FLOPs reduction the result must reach
    ReductionMethod method = ReductionMethod::Utr;
    ReductionOptions options;               // the starting options (and the fixed ones)
    bool searchOptions = true;              // also vary the method's options (searchableOptions)
    bool uniformRatio = false;              // one keep ratio at every anchor (what the reference code runs)
    uint64_t seed = 0;
    int64_t roundSize = 8;                  // proposals per round after the first
    // Keep ratios of the depth-scaled paper schedule evaluated in the first round besides the one projected to
    // the target: the paper's curve around the budget (none by default; the window draws 0.95 and 0.85).
    std::vector<double> presetRatios;
    // The best shape is also evaluated at target + these offsets (percentage points), one per round in turn,
    // so the Pareto front covers budgets around the target.
    std::vector<double> ladderOffsets = {-10, 5, -5, 10};
};

struct Proposal {
    ReductionSchedule schedule;
    CandidateOrigin origin = CandidateOrigin::Search;
    double targetPercent = 0;
};

class ScheduleSearch {
public:
    virtual ~ScheduleSearch() = default;
    // The next round; empty when the search has nothing left to propose.
    virtual std::vector<Proposal> nextRound() = 0;
    // The round's results, one per proposal and in its order.
    virtual void observe(const std::vector<TuneCandidate>& round) = 0;
};

// Throws ssmlens::Error when the target cannot be reached on this model and calibration set.
std::unique_ptr<ScheduleSearch> makeScheduleSearch(SearchAlgorithm algorithm, const FlopsBudget& budget,
                                                   const SearchSettings& settings);

// The option values a search may try for a method (the method's own fixed choices are not options).
struct SearchableOptions {
    std::vector<ImportanceMetric> metrics;
    std::vector<HiddenStrategy> hidden;
    std::vector<ResidualStrategy> residual;
    std::vector<Granularity> granularity;
    bool any() const { return metrics.size() > 1 || hidden.size() > 1 || residual.size() > 1 || granularity.size() > 1; }
};
SearchableOptions searchableOptions(ReductionMethod method);

// The random numbers of a search: xoshiro256** seeded through splitmix64, with its own draws (std::'s
// distributions differ between standard libraries, and a seeded search must be the same everywhere).
class SearchRandom {
public:
    explicit SearchRandom(uint64_t seed);
    double uniform();                      // [0, 1)
    double uniform(double lo, double hi);  // [lo, hi)
    double normal();                       // standard normal (Box-Muller)
    int64_t below(int64_t n);              // [0, n), n >= 1
    bool chance(double p) { return uniform() < p; }

private:
    uint64_t next();
    uint64_t state_[4];  // xoshiro256** (small, fast, and fully specified here)
};

}  // namespace ssmlens
