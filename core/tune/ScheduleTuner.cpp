#include "core/tune/ScheduleTuner.h"

#include <chrono>
#include <iterator>

#include "core/tune/ParetoFront.h"

namespace ssmlens {

std::string tuneStopText(TuneStop s) {
    switch (s) {
        case TuneStop::TimeLimit: return "time limit reached";
        case TuneStop::EvaluationLimit: return "evaluation limit reached";
        case TuneStop::Cancelled: return "stopped";
        case TuneStop::SearchExhausted: return "the search has nothing left to propose";
    }
    return "?";
}

ScheduleTuner::ScheduleTuner(const FlopsBudget& budget, SearchAlgorithm algorithm, const SearchSettings& settings,
                             CandidateEvaluator& evaluator)
    : budget_(budget), settings_(settings), search_(makeScheduleSearch(algorithm, budget, settings)), evaluator_(evaluator) {}

void ScheduleTuner::setRecorded(const std::vector<TuneCandidate>& recorded) {
    for (const TuneCandidate& c : recorded) recorded_.emplace(scheduleKey(c.schedule), c);
}

TuneOutcome ScheduleTuner::run(const TuneLimits& limits, const std::function<void(const TuneEvent&)>& onCandidate,
                               const std::function<void(const std::vector<TuneCandidate>&)>& onRound,
                               const std::atomic<bool>* cancel) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
    TuneOutcome out;
    std::map<std::string, size_t> byKey;  // candidates of this run, by schedule
    int64_t best = -1;
    auto timeUp = [&] { return limits.timeLimitSeconds > 0 && elapsed() >= limits.timeLimitSeconds; };
    auto cancelled = [&] { return cancel && cancel->load(); };
    auto evaluationsLeft = [&] {
        return limits.maxEvaluations > 0 ? limits.maxEvaluations - static_cast<int64_t>(out.candidates.size()) : INT64_MAX;
    };
    auto add = [&](TuneCandidate c, bool replayed) {
        c.index = static_cast<int64_t>(out.candidates.size());
        byKey[scheduleKey(c.schedule)] = out.candidates.size();
        out.candidates.push_back(std::move(c));
        const TuneCandidate& added = out.candidates.back();
        if (added.flopsReductionPercent >= settings_.targetPercent && added.score.complete() &&
            (best < 0 || added.score.objective < out.candidates[static_cast<size_t>(best)].score.objective))
            best = added.index;
        (replayed ? out.replayed : out.evaluatedNow)++;
        if (onCandidate) {
            TuneEvent e;
            e.candidate = &added;
            e.best = best >= 0 ? &out.candidates[static_cast<size_t>(best)] : nullptr;
            e.replayed = replayed;
            e.evaluations = static_cast<int64_t>(out.candidates.size());
            e.elapsedSeconds = elapsed();
            onCandidate(e);
        }
    };

    out.stop = TuneStop::SearchExhausted;
    for (int64_t round = 0;; ++round) {
        if (cancelled()) { out.stop = TuneStop::Cancelled; break; }
        if (timeUp()) { out.stop = TuneStop::TimeLimit; break; }
        if (evaluationsLeft() <= 0) { out.stop = TuneStop::EvaluationLimit; break; }
        const std::vector<Proposal> proposals = search_->nextRound();
        if (proposals.empty()) break;
        // The racing reference is the best as the round begins, before any of its candidates (recorded or new)
        // is added: a resumed round then races exactly as the uninterrupted one did.
        const int64_t leaderIndex = best;
        // Recorded or already-scored schedules are not evaluated again.
        std::vector<size_t> fresh;
        for (size_t i = 0; i < proposals.size(); ++i) {
            const std::string key = scheduleKey(proposals[i].schedule);
            if (byKey.count(key)) continue;
            auto rec = recorded_.find(key);
            if (rec != recorded_.end() && evaluationsLeft() > 0) {
                TuneCandidate c = rec->second;
                c.round = round;
                add(c, true);
            } else if (rec == recorded_.end()) {
                fresh.push_back(i);
            }
        }
        if (static_cast<int64_t>(fresh.size()) > evaluationsLeft()) fresh.resize(static_cast<size_t>(std::max<int64_t>(0, evaluationsLeft())));
        std::vector<ReductionSchedule> toEvaluate;
        std::vector<std::vector<double>> rejectAbove;
        const TuneCandidate* leader = leaderIndex >= 0 ? &out.candidates[static_cast<size_t>(leaderIndex)] : nullptr;
        for (size_t i : fresh) {
            const Proposal& p = proposals[i];
            toEvaluate.push_back(p.schedule);
            std::vector<double> bounds;
            const bool raced = p.origin == CandidateOrigin::Search || p.origin == CandidateOrigin::Random ||
                               p.origin == CandidateOrigin::Seed;
            if (racing_ && raced && leader && p.targetPercent == settings_.targetPercent)
                for (size_t k = 0; k < leader->score.checkpoints.size() && k < std::size(kRaceMargins); ++k)
                    bounds.push_back(kRaceMargins[k] * leader->score.checkpoints[k]);
            rejectAbove.push_back(bounds);
        }
        if (!toEvaluate.empty()) try {
            evaluator_.evaluate(
                toEvaluate, rejectAbove,
                [&](size_t k, const CandidateScore& score) {
                    const Proposal& p = proposals[fresh[k]];
                    TuneCandidate c;
                    c.round = round;
                    c.origin = p.origin;
                    c.targetPercent = p.targetPercent;
                    c.schedule = p.schedule;
                    c.flopsReductionPercent = budget_.reductionPercent(p.schedule);
                    c.tokenReductionPercent = budget_.tokenReductionPercent(p.schedule);
                    c.score = score;
                    add(std::move(c), false);
                },
                [&] { return cancelled() || timeUp(); });
        } catch (...) {
            if (onRound) onRound(out.candidates);  // keep what this round scored before the failure
            throw;
        }
        // The round as the search proposed it, if every proposal has a score now.
        std::vector<TuneCandidate> results;
        for (const Proposal& p : proposals) {
            auto it = byKey.find(scheduleKey(p.schedule));
            if (it == byKey.end()) break;
            results.push_back(out.candidates[it->second]);
        }
        if (onRound) onRound(out.candidates);
        if (results.size() != proposals.size()) {
            out.stop = cancelled() ? TuneStop::Cancelled : timeUp() ? TuneStop::TimeLimit : TuneStop::EvaluationLimit;
            break;
        }
        search_->observe(results);
    }
    out.best = best;
    out.front = paretoFront(out.candidates);
    out.seconds = elapsed();
    return out;
}

}  // namespace ssmlens
