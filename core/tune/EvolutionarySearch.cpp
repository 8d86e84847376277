#include "core/tune/EvolutionarySearch.h"

#include <algorithm>
#include <cmath>

#include "core/tune/StartingSchedules.h"

namespace ssmlens {
namespace {

std::vector<int64_t> activeLayers(const ScheduleShape& s) {
    std::vector<int64_t> out;
    for (size_t l = 0; l < s.weight.size(); ++l)
        if (s.weight[l] > 0) out.push_back(static_cast<int64_t>(l));
    return out;
}

std::vector<int64_t> freeLayers(const ScheduleShape& s) {
    std::vector<int64_t> out;
    for (size_t l = 0; l + 1 < s.weight.size(); ++l)  // the last layer never holds an anchor
        if (!(s.weight[l] > 0)) out.push_back(static_cast<int64_t>(l));
    return out;
}

template <typename T>
bool changeTo(T& value, const std::vector<T>& values, SearchRandom& r) {
    if (values.size() < 2) return false;
    T next = value;
    while (next == value) next = values[static_cast<size_t>(r.below(static_cast<int64_t>(values.size())))];
    value = next;
    return true;
}

}  // namespace

EvolutionarySearch::EvolutionarySearch(const FlopsBudget& budget, SearchSettings settings)
    : budget_(budget), settings_(std::move(settings)), random_(settings_.seed) {}

bool EvolutionarySearch::propose(const ScheduleShape& shape, double target, CandidateOrigin origin,
                                 std::vector<Proposal>& round) {
    Proposal p;
    if (!budget_.project(shape, target, &p.schedule)) return false;
    if (!proposed_.insert(scheduleKey(p.schedule)).second) return false;
    p.origin = origin;
    p.targetPercent = target;
    round.push_back(std::move(p));
    return true;
}

std::vector<Proposal> EvolutionarySearch::presetRound() {
    std::vector<Proposal> round;
    for (Proposal& p : presetProposals(budget_, settings_))
        if (proposed_.insert(scheduleKey(p.schedule)).second) round.push_back(std::move(p));
    startRounds_ = settings_.searchOptions && searchableOptions(settings_.method).any() ? 3 : 2;
    return round;
}

std::vector<Proposal> EvolutionarySearch::probeRound() {
    std::vector<Proposal> round;
    for (const ScheduleShape& shape : optionProbeShapes(budget_, settings_))
        propose(shape, settings_.targetPercent, CandidateOrigin::Seed, round);
    return round;
}

std::vector<Proposal> EvolutionarySearch::seedRound(const ReductionOptions& options) {
    std::vector<Proposal> round;
    const int64_t nLayer = budget_.config().nLayer;
    for (ScheduleShape shape : structuredShapes(nLayer, settings_)) {
        shape.options = options;
        propose(shape, settings_.targetPercent, CandidateOrigin::Seed, round);
    }
    for (int drawn = 0, tries = 0; drawn < 2 && tries < 200; ++tries)
        drawn += propose(randomShape(nLayer, settings_, random_), settings_.targetPercent, CandidateOrigin::Random, round);
    return round;
}

const EvolutionarySearch::Elite& EvolutionarySearch::pickParent() {
    // u^2 favours the best: with four elites the best is the parent about half the time.
    const double u = random_.uniform();
    const size_t i = std::min(elites_.size() - 1, static_cast<size_t>(u * u * static_cast<double>(elites_.size())));
    return elites_[i];
}

void EvolutionarySearch::mutateOnce(ScheduleShape& shape) {
    const std::vector<int64_t> active = activeLayers(shape), free = freeLayers(shape);
    const bool graded = !settings_.uniformRatio;
    // Operator chances; those that do not apply fall through to the next one that does.
    const double u = random_.uniform();
    auto w = [&](int64_t l) -> double& { return shape.weight[static_cast<size_t>(l)]; };
    if (graded && u < 0.30 && !active.empty()) {  // perturb
        for (int64_t l : active) w(l) *= std::exp(sigma_ * random_.normal());
        return;
    }
    if (graded && u < 0.48 && active.size() >= 2) {  // transfer
        const int64_t i = active[static_cast<size_t>(random_.below(static_cast<int64_t>(active.size())))];
        int64_t j = i;
        while (j == i) j = active[static_cast<size_t>(random_.below(static_cast<int64_t>(active.size())))];
        const double share = std::min(0.9, sigma_ * random_.uniform(0.5, 1.5)) * w(i);
        w(i) -= share;
        w(j) += share;
        return;
    }
    if (u < 0.63 && !active.empty()) {  // shift
        const int64_t l = active[static_cast<size_t>(random_.below(static_cast<int64_t>(active.size())))];
        static const int64_t steps[] = {-2, -1, 1, 2};
        const int64_t to = l + steps[random_.below(4)];
        if (to >= 0 && to <= static_cast<int64_t>(shape.weight.size()) - 2 && !(w(to) > 0)) {
            w(to) = w(l);
            w(l) = 0;
            return;
        }
    }
    if (u < 0.75 && !free.empty()) {  // add
        const int64_t l = free[static_cast<size_t>(random_.below(static_cast<int64_t>(free.size())))];
        double mean = 0;
        for (int64_t a : active) mean += w(a);
        mean = active.empty() ? 1.0 : mean / static_cast<double>(active.size());
        w(l) = graded ? mean * random_.uniform(0.25, 1.0) : 1.0;
        return;
    }
    if (u < 0.85 && active.size() >= 2) {  // remove
        w(active[static_cast<size_t>(random_.below(static_cast<int64_t>(active.size())))]) = 0;
        return;
    }
    if (u < 0.93 && elites_.size() >= 2) {  // cross with another elite
        const ScheduleShape other = budget_.shapeOf(elites_[static_cast<size_t>(random_.below(
            static_cast<int64_t>(elites_.size())))].schedule);
        for (size_t l = 0; l < shape.weight.size(); ++l)
            if (random_.chance(0.5)) shape.weight[l] = settings_.uniformRatio && other.weight[l] > 0 ? 1.0 : other.weight[l];
        return;
    }
    // Nothing above applied (e.g. a one-anchor shape drew "remove"): move a random anchor anywhere free.
    if (!active.empty() && !free.empty()) {
        const int64_t from = active[static_cast<size_t>(random_.below(static_cast<int64_t>(active.size())))];
        const int64_t to = free[static_cast<size_t>(random_.below(static_cast<int64_t>(free.size())))];
        w(to) = w(from);
        w(from) = 0;
    }
}

bool EvolutionarySearch::changeOneOption(ScheduleShape& shape) {
    const SearchableOptions o = searchableOptions(settings_.method);
    if (!settings_.searchOptions || !o.any()) return false;
    for (int tries = 0; tries < 16; ++tries) {
        const int64_t d = random_.below(4);
        if ((d == 0 && changeTo(shape.options.metric, o.metrics, random_)) ||
            (d == 1 && changeTo(shape.options.hidden, o.hidden, random_)) ||
            (d == 2 && changeTo(shape.options.residual, o.residual, random_)) ||
            (d == 3 && changeTo(shape.options.granularity, o.granularity, random_)))
            return true;
    }
    return false;
}

ScheduleShape EvolutionarySearch::mutate(const ScheduleShape& parent) {
    ScheduleShape child = parent;
    if (settings_.uniformRatio)
        for (double& x : child.weight) x = x > 0 ? 1.0 : 0.0;
    // Options only (the same anchors under another option), or the layout changed once or twice, now and then
    // with an option too.
    if (random_.chance(0.2) && changeOneOption(child)) return child;
    mutateOnce(child);
    if (random_.chance(0.3)) mutateOnce(child);
    if (random_.chance(0.1)) changeOneOption(child);
    return child;
}

std::vector<Proposal> EvolutionarySearch::nextRound() {
    // A start round with nothing to propose (the paper's anchors cannot reach the target) is skipped.
    for (;;) {
        const int64_t number = round_++;
        std::vector<Proposal> round;
        if (number == 0) round = presetRound();
        else if (number == 1 && startRounds_ == 3) round = probeRound();
        else if (number < startRounds_) round = seedRound(elites_.empty() ? settings_.options : elites_.front().schedule.options);
        else return evolutionRound();
        if (!round.empty()) return round;
    }
}

std::vector<Proposal> EvolutionarySearch::evolutionRound() {
    std::vector<Proposal> round;
    if (elites_.empty()) {
        // Nothing reached the target yet (every start failed to evaluate): keep drawing at random.
        for (int tries = 0; static_cast<int64_t>(round.size()) < settings_.roundSize && tries < 1000; ++tries)
            propose(randomShape(budget_.config().nLayer, settings_, random_), settings_.targetPercent,
                    CandidateOrigin::Random, round);
        return round;
    }
    const Elite& best = elites_.front();
    const std::string bestKey = scheduleKey(best.schedule);
    int64_t slots = settings_.roundSize;
    // The best with one ratio, as the reference code can run it.
    bool oneRatio = true;
    for (const auto& a : best.schedule.anchors) oneRatio = oneRatio && a.keepRatio == best.schedule.anchors.front().keepRatio;
    if (!oneRatio && expressibleDoneFor_ != bestKey && slots > 1) {
        expressibleDoneFor_ = bestKey;
        ScheduleShape uniform = budget_.shapeOf(best.schedule);
        for (double& x : uniform.weight) x = x > 0 ? 1.0 : 0.0;
        if (propose(uniform, settings_.targetPercent, CandidateOrigin::Expressible, round)) --slots;
    }
    // The best shape at another budget.
    if (!settings_.ladderOffsets.empty() && slots > 1) {
        for (size_t tries = 0; tries < settings_.ladderOffsets.size(); ++tries) {
            const double target = settings_.targetPercent + settings_.ladderOffsets[nextLadder_++ % settings_.ladderOffsets.size()];
            if (target > 0 && propose(budget_.shapeOf(best.schedule), target, CandidateOrigin::Ladder, round)) {
                --slots;
                break;
            }
        }
    }
    for (int tries = 0; slots > 0 && tries < 400; ++tries) {
        const ScheduleShape child = mutate(budget_.shapeOf(pickParent().schedule));
        if (propose(child, settings_.targetPercent, CandidateOrigin::Search, round)) --slots;
    }
    // A crowded neighbourhood (every child a repeat): widen the step and fill with random shapes.
    for (int tries = 0; slots > 0 && tries < 400; ++tries) {
        sigma_ = std::min(1.0, sigma_ * 1.1);
        if (propose(randomShape(budget_.config().nLayer, settings_, random_), settings_.targetPercent,
                    CandidateOrigin::Random, round))
            --slots;
    }
    return round;
}

void EvolutionarySearch::observe(const std::vector<TuneCandidate>& round) {
    const double before = elites_.empty() ? INFINITY : elites_.front().objective;
    for (const TuneCandidate& c : round) {
        // Candidates stopped early by racing are clearly worse than the best and their objective is partial.
        if (c.flopsReductionPercent < settings_.targetPercent || !c.score.complete() || !std::isfinite(c.score.objective))
            continue;
        const std::string key = scheduleKey(c.schedule);
        bool known = false;
        for (const Elite& e : elites_) known = known || scheduleKey(e.schedule) == key;
        if (known) continue;
        elites_.push_back({c.schedule, c.score.objective});
    }
    // Stable: of equal objectives the earlier one stays ahead (repeatable).
    std::stable_sort(elites_.begin(), elites_.end(), [](const Elite& a, const Elite& b) { return a.objective < b.objective; });
    if (elites_.size() > kElites) elites_.resize(kElites);
    if (round_ < startRounds_ + 1) return;  // the start sets the starting point; the step adapts from then on
    const double after = elites_.empty() ? INFINITY : elites_.front().objective;
    sigma_ = after < before ? std::min(1.0, sigma_ * 1.25) : std::max(0.05, sigma_ * 0.85);
}

}  // namespace ssmlens
