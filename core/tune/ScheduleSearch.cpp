#include "core/tune/ScheduleSearch.h"

#include <cmath>

#include "core/Error.h"
#include "core/tune/EvolutionarySearch.h"
#include "core/tune/RandomSearch.h"

namespace ssmlens {

std::string searchAlgorithmName(SearchAlgorithm a) { return a == SearchAlgorithm::Random ? "random" : "evolution"; }

SearchAlgorithm parseSearchAlgorithmName(const std::string& name) {
    if (name == "evolution") return SearchAlgorithm::Evolutionary;
    if (name == "random") return SearchAlgorithm::Random;
    throw Error("unknown search \"" + name + "\" (evolution or random)");
}

std::unique_ptr<ScheduleSearch> makeScheduleSearch(SearchAlgorithm algorithm, const FlopsBudget& budget,
                                                   const SearchSettings& settings) {
    const double reachable = budget.maxReductionPercent(settings.method);
    if (!(settings.targetPercent > 0)) throw Error("the target FLOPs reduction must be above 0%");
    if (settings.targetPercent > reachable)
        throw Error("a FLOPs reduction of " + std::to_string(settings.targetPercent) +
                    "% is out of reach: on this model and calibration set the most any schedule saves is " +
                    std::to_string(reachable) + "% (every layer at keep ratio " +
                    std::to_string(budget.minKeepRatio()) + ")");
    if (settings.roundSize < 1) throw Error("a search round needs at least one proposal");
    if (algorithm == SearchAlgorithm::Random) return std::make_unique<RandomSearch>(budget, settings);
    return std::make_unique<EvolutionarySearch>(budget, settings);
}

SearchableOptions searchableOptions(ReductionMethod m) {
    SearchableOptions o;
    const ReductionOptions defaults;
    o.metrics = {defaults.metric};
    o.hidden = {defaults.hidden};
    o.residual = {defaults.residual};
    o.granularity = {defaults.granularity};
    switch (m) {
        case ReductionMethod::Utr:
            o.granularity = {Granularity::Channel, Granularity::Token};
            [[fallthrough]];
        case ReductionMethod::UtrToken:
            o.hidden = {HiddenStrategy::Hybrid, HiddenStrategy::Merge, HiddenStrategy::Prune};
            o.residual = {ResidualStrategy::Merge, ResidualStrategy::Prune};
            [[fallthrough]];
        case ReductionMethod::Evit:
        case ReductionMethod::PruneOnly:
        case ReductionMethod::MergeOnly:
            o.metrics = {ImportanceMetric::Clip, ImportanceMetric::Raw, ImportanceMetric::L2};
            break;
        case ReductionMethod::UtrReference:
            o.metrics = {ImportanceMetric::Clip, ImportanceMetric::Raw};  // the reference has these two
            break;
        default:  // ToMe, PuMer (and methods added later): no options that change the step
            break;
    }
    return o;
}

// --- SearchRandom ---

namespace {
uint64_t splitmix64(uint64_t& x) {
    uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

SearchRandom::SearchRandom(uint64_t seed) {
    for (uint64_t& s : state_) s = splitmix64(seed);
}

uint64_t SearchRandom::next() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
}

double SearchRandom::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
double SearchRandom::uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

double SearchRandom::normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

int64_t SearchRandom::below(int64_t n) {
    if (n <= 1) return 0;
    // Rejection keeps every value equally likely.
    const uint64_t range = static_cast<uint64_t>(n), limit = UINT64_MAX - UINT64_MAX % range;
    uint64_t x;
    do x = next();
    while (x >= limit);
    return static_cast<int64_t>(x % range);
}

}  // namespace ssmlens
