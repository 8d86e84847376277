#pragma once
// ScheduleTuner: the loop of a tuning run. The search proposes a round, the evaluator scores what has not
// been scored before, the search observes the round; until the time or evaluation limit, a cancel, or the
// search runs dry. The best schedule is the candidate with the lowest objective among those that reach the
// target (ParetoFront.h); with the limits hit mid-round it is the best so far.
//
// Racing: a candidate for the target (origins seed, search, random) is stopped at the evaluator's first
// checkpoint when its running objective exceeds kRaceMargins[0] times the best's there, and at the second
// beyond kRaceMargins[1] times (the best as it stood when the round began, so the outcome does not depend on
// the order in which workers finish). A stopped candidate keeps its partial objective (evaluatedFraction < 1),
// is never the result and is not on the Pareto front. Presets, ladder and expressible candidates always run
// to the end (they are reported). The margins are wide because the checkpoints are noisy: on the demo data
// (68 sequences, 9 batches) the running ratio of two complete candidates reached 1.57 at a quarter and 1.30 at
// half of the data where the first was the better one in the end (49 candidates, 1,640 pairs; docs/tuning.md).
//
// Resume: recorded candidates (a TuneState's) are handed in before run(). Their schedules are not evaluated
// again: when the search proposes one, its recorded score is used. Since the search is a pure function of its
// seed and the scores it observed, the resumed search proposes what the uninterrupted one would have, and
// --max-evals N gives the same N candidates whether the run stopped on the way or not.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/tune/CandidateEvaluator.h"
#include "core/tune/ScheduleSearch.h"

namespace ssmlens {

struct TuneLimits {
    double timeLimitSeconds = 0;  // this session's wall time for evaluations; <= 0: none
    int64_t maxEvaluations = 0;   // candidates in the whole search, recorded ones included; <= 0: none
};

enum class TuneStop { TimeLimit, EvaluationLimit, Cancelled, SearchExhausted };
std::string tuneStopText(TuneStop s);  // "time limit reached", ...

struct TuneEvent {
    const TuneCandidate* candidate = nullptr;  // just scored (or replayed)
    const TuneCandidate* best = nullptr;       // best at the target so far (null while none reaches it)
    bool replayed = false;                     // from the recorded state, not evaluated now
    int64_t evaluations = 0;                   // candidates so far, recorded included
    double elapsedSeconds = 0;                 // this session
};

struct TuneOutcome {
    std::vector<TuneCandidate> candidates;  // in evaluation order
    int64_t best = -1;                      // index into candidates; -1 when none reaches the target
    std::vector<size_t> front;              // Pareto front (ParetoFront.h)
    TuneStop stop = TuneStop::SearchExhausted;
    int64_t evaluatedNow = 0, replayed = 0;
    double seconds = 0;                     // this session
};

class ScheduleTuner {
public:
    static constexpr double kRaceMargins[2] = {1.6, 1.3};

    // budget, search settings and evaluator must outlive the tuner.
    ScheduleTuner(const FlopsBudget& budget, SearchAlgorithm algorithm, const SearchSettings& settings,
                  CandidateEvaluator& evaluator);

    // Candidates of an earlier session of the same search (TuneSetup::checkResumableFrom first).
    void setRecorded(const std::vector<TuneCandidate>& recorded);
    void setRacing(bool racing) { racing_ = racing; }  // on by default

    // onCandidate: after every candidate (on this thread). onRound: after every complete round, with all
    // candidates so far (save the state there). cancel: checked between batches of work.
    TuneOutcome run(const TuneLimits& limits, const std::function<void(const TuneEvent&)>& onCandidate = {},
                    const std::function<void(const std::vector<TuneCandidate>&)>& onRound = {},
                    const std::atomic<bool>* cancel = nullptr);

private:
    const FlopsBudget& budget_;
    SearchSettings settings_;
    std::unique_ptr<ScheduleSearch> search_;
    CandidateEvaluator& evaluator_;
    std::map<std::string, TuneCandidate> recorded_;  // by scheduleKey
    bool racing_ = true;
};

}  // namespace ssmlens
