#include "core/tune/EvolutionarySearch.h"

#include <algorithm>
#include <cmath>

#include "core/tune/ObjectiveModel.h"
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
    ReductionSchedule schedule;
    if (!budget_.project(shape, target, &schedule)) return false;
    return proposeSchedule(std::move(schedule), target, origin, round);
}

bool EvolutionarySearch::proposeSchedule(ReductionSchedule schedule, double target, CandidateOrigin origin,
                                         std::vector<Proposal>& round) {
    if (!proposed_.insert(scheduleKey(schedule)).second) return false;
    Proposal p;
    p.schedule = std::move(schedule);
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
    // Two structured shapes (every layer, every other layer: one ratio spread thin, which suits small models),
    // then random shapes (random search's own generator) under the best options so far: diverse layouts, so
    // that the objective model learns what each layer costs before the search leans on it.
    const std::vector<ScheduleShape> structured = structuredShapes(nLayer, settings_);
    for (size_t i = 0; i < structured.size() && i < kStructuredSeeds; ++i) {
        ScheduleShape shape = structured[i];
        shape.options = options;
        propose(shape, settings_.targetPercent, CandidateOrigin::Seed, round);
    }
    SearchSettings fixedOptions = settings_;
    fixedOptions.searchOptions = false;
    fixedOptions.options = options;
    const int64_t want = std::max<int64_t>(settings_.roundSize, static_cast<int64_t>(round.size()) + 2);
    for (int tries = 0; static_cast<int64_t>(round.size()) < want && tries < 200; ++tries)
        propose(randomShape(nLayer, fixedOptions, random_), settings_.targetPercent, CandidateOrigin::Random, round);
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
    const int64_t nLayer = budget_.config().nLayer;
    const double target = settings_.targetPercent;
    if (elites_.empty()) {
        // Nothing reached the target yet (every start failed to evaluate): keep drawing at random.
        for (int tries = 0; static_cast<int64_t>(round.size()) < settings_.roundSize && tries < 1000; ++tries)
            propose(randomShape(nLayer, settings_, random_), target, CandidateOrigin::Random, round);
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
        if (propose(uniform, target, CandidateOrigin::Expressible, round)) --slots;
    }
    // The best shape at another budget, every other round.
    if (!settings_.ladderOffsets.empty() && slots > 1 && evolutionRounds_ % kLadderEvery == 0) {
        for (size_t tries = 0; tries < settings_.ladderOffsets.size(); ++tries) {
            const double at = target + settings_.ladderOffsets[nextLadder_++ % settings_.ladderOffsets.size()];
            if (at > 0 && propose(budget_.shapeOf(best.schedule), at, CandidateOrigin::Ladder, round)) {
                --slots;
                break;
            }
        }
    }
    ++evolutionRounds_;
    const ObjectiveModel model = fitModel();
    if (model.fitted()) {
        // The model's best schedule near the best one: up to kDescentMoves children, each one the model
        // predicts better than the last (a descent on the model, every step projected onto the budget, kept
        // near the data: far from it the model's errors would decide).
        if (slots > 1) {
            ReductionSchedule at = best.schedule;
            double predicted = model.predictLog(at);
            for (int step = 0, moves = 0; step < kDescentSteps && moves < kDescentMoves; ++step) {
                ReductionSchedule next;
                if (!budget_.project(mutate(budget_.shapeOf(at)), target, &next)) continue;
                const double p = model.predictLog(next);
                if (p < predicted && !proposed_.count(scheduleKey(next))) {
                    at = std::move(next);
                    predicted = p;
                    ++moves;
                }
            }
            if (proposeSchedule(at, target, CandidateOrigin::Search, round)) --slots;
        }
        // Screened proposals: for each slot but one, the one the model predicts best out of a pool of children
        // of the elites and (a third) random shapes under the best options: random search's diversity, with
        // the model choosing.
        SearchSettings bestOptions = settings_;
        bestOptions.searchOptions = false;
        bestOptions.options = best.schedule.options;
        for (int tries = 0; slots > 1 && tries < 8; ++tries) {
            ReductionSchedule chosen;
            double chosenPrediction = INFINITY;
            for (int64_t k = 0; k < kPoolSize; ++k) {
                const ScheduleShape shape = k % 3 == 2 ? randomShape(nLayer, bestOptions, random_)
                                                       : mutate(budget_.shapeOf(pickParent().schedule));
                ReductionSchedule candidate;
                if (!budget_.project(shape, target, &candidate) || proposed_.count(scheduleKey(candidate))) continue;
                const double p = model.predictLog(candidate);
                if (p < chosenPrediction) {
                    chosenPrediction = p;
                    chosen = std::move(candidate);
                }
            }
            if (std::isfinite(chosenPrediction) && proposeSchedule(chosen, target, CandidateOrigin::Search, round)) --slots;
        }
    }
    // Plain mutations (all slots before the model can be fitted, one after): they keep exploring where the
    // model is wrong.
    for (int tries = 0; slots > 0 && tries < 400; ++tries) {
        const ScheduleShape child = mutate(budget_.shapeOf(pickParent().schedule));
        if (propose(child, target, CandidateOrigin::Search, round)) --slots;
    }
    // A crowded neighbourhood (every child a repeat): widen the step and fill with random shapes.
    for (int tries = 0; slots > 0 && tries < 400; ++tries) {
        sigma_ = std::min(1.0, sigma_ * 1.1);
        if (propose(randomShape(nLayer, settings_, random_), target, CandidateOrigin::Random, round)) --slots;
    }
    return round;
}

ObjectiveModel EvolutionarySearch::fitModel() const {
    ObjectiveModel model(budget_.config().nLayer, settings_.method);
    // A candidate stopped by racing has the running objective of part of the data; its full objective is
    // estimated with the median ratio (full / running at the same checkpoint) of the complete candidates, and it
    // counts half (it tells the model where the bad schedules are, not how bad exactly).
    std::vector<std::vector<double>> ratios;
    for (const TuneCandidate& c : observed_) {
        if (!c.score.complete()) continue;
        for (size_t k = 0; k < c.score.checkpoints.size(); ++k) {
            if (!(c.score.checkpoints[k] > 0)) continue;
            if (ratios.size() <= k) ratios.resize(k + 1);
            ratios[k].push_back(c.score.objective / c.score.checkpoints[k]);
        }
    }
    std::vector<double> medianRatio(ratios.size(), 1.0);
    for (size_t k = 0; k < ratios.size(); ++k) {
        std::vector<double>& r = ratios[k];
        std::nth_element(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(r.size() / 2), r.end());
        medianRatio[k] = r[r.size() / 2];
    }
    for (const TuneCandidate& c : observed_) {
        if (c.score.complete()) {
            model.add(c.schedule, c.score.objective, 1.0);
        } else if (!c.score.checkpoints.empty()) {
            const size_t k = c.score.checkpoints.size() - 1;
            model.add(c.schedule, c.score.objective * (k < medianRatio.size() ? medianRatio[k] : 1.0), 0.5);
        }
    }
    model.fit();
    return model;
}

void EvolutionarySearch::observe(const std::vector<TuneCandidate>& round) {
    for (const TuneCandidate& c : round)
        if (std::isfinite(c.score.objective) && c.score.objective > 0) observed_.push_back(c);
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
