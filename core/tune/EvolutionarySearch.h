#pragma once
// EvolutionarySearch: the tuner's default search, an elitist evolution strategy over schedule shapes whose
// every child is projected onto the budget (FlopsBudget::project), so the search moves along the
// constraint instead of wasting evaluations on schedules that save too little or too much, and whose
// children are chosen by a model of the objective learned from every score so far (ObjectiveModel.h).
//
// The start, a round each (so that from round 1 on, candidates are raced against the best so far):
//   round 0  the paper preset at the target and its curve (StartingSchedules.h)
//   round 1  when the method has options to search: the option probes (the paper's anchors under other options)
//   next     two structured shapes (every layer, every other layer) and random shapes (random search's own
//            generator) under the options of the best so far, to a full round: diverse layouts early, which
//            is what random search has over a search that starts from a few fixed shapes, and what the model
//            needs to tell the layers apart
// Every later round, once the model can be fitted (ObjectiveModel::kMinObservations complete candidates):
//   descent   from the best schedule, up to kDescentMoves children that the model predicts better, one by one
//   screened  for each slot but one: of kPoolSize proposals (children of the elites, a third random shapes
//             under the best options), the one the model predicts best
//   mutation  one child as it comes (and every slot while there is no model): it explores where the model errs
// A child comes from a parent among the best `kElites` complete schedules at the target (the best more
// often). It changes only one of the method's options (one time in five, with searchOptions), or its layout
// once (or twice, three times in ten):
//   perturb   every anchor's removal weight times exp(sigma * N(0, 1))
//   transfer  a share of one anchor's weight moved to another
//   shift     one anchor moved 1 or 2 layers
//   add       an anchor at a free layer;  remove  one anchor
//   cross     per layer, the weight of one of two parents
// (and one time in ten an option as well), then projected to the target; repeats of anything proposed before
// are drawn again. Two more slots: the best schedule with one keep ratio at its anchors (origin Expressible,
// once per new best that has several ratios) and, every kLadderEvery rounds, the best shape at target + one
// of the ladder offsets (origin Ladder), for the Pareto front.
// sigma grows by 1.25 after a round that improved the best and shrinks by 0.85 after one that did not
// (between 0.05 and 1).
//
// The search stays a pure function of its seed and the scores it observed (the model is refitted from them
// every round), so seeded runs repeat and a resumed search proposes what the uninterrupted one would have.
#include <set>
#include <string>
#include <vector>

#include "core/tune/ObjectiveModel.h"
#include "core/tune/ScheduleSearch.h"

namespace ssmlens {

class EvolutionarySearch : public ScheduleSearch {
public:
    static constexpr size_t kElites = 4;
    static constexpr double kInitialStep = 0.35;
    static constexpr size_t kStructuredSeeds = 2;  // of structuredShapes(): every layer, every other layer
    static constexpr int64_t kPoolSize = 24;       // children the model screens for one proposal
    static constexpr int kDescentSteps = 100;      // children tried by the descent on the model
    static constexpr int kDescentMoves = 3;        // of which it takes at most this many
    static constexpr int64_t kLadderEvery = 2;     // a ladder candidate every this many rounds

    EvolutionarySearch(const FlopsBudget& budget, SearchSettings settings);
    std::vector<Proposal> nextRound() override;
    void observe(const std::vector<TuneCandidate>& round) override;
    double stepSize() const { return sigma_; }

private:
    struct Elite {
        ReductionSchedule schedule;
        double objective = 0;
    };
    std::vector<Proposal> presetRound();
    std::vector<Proposal> probeRound();
    std::vector<Proposal> seedRound(const ReductionOptions& options);
    std::vector<Proposal> evolutionRound();
    // A fresh proposal made from `shape` at `target`, or false when it cannot reach it or was proposed before.
    bool propose(const ScheduleShape& shape, double target, CandidateOrigin origin, std::vector<Proposal>& round);
    bool proposeSchedule(ReductionSchedule schedule, double target, CandidateOrigin origin, std::vector<Proposal>& round);
    ObjectiveModel fitModel() const;  // on every candidate observed so far
    ScheduleShape mutate(const ScheduleShape& parent);
    void mutateOnce(ScheduleShape& shape);       // one change of the layout
    bool changeOneOption(ScheduleShape& shape);  // false when the method has no option to change
    const Elite& pickParent();

    const FlopsBudget& budget_;
    SearchSettings settings_;
    SearchRandom random_;
    int64_t round_ = 0;
    int64_t startRounds_ = 2;  // rounds before the evolution (presets, probes, seeds)
    double sigma_ = kInitialStep;
    std::vector<Elite> elites_;  // best first
    std::set<std::string> proposed_;
    size_t nextLadder_ = 0;
    int64_t evolutionRounds_ = 0;
    std::vector<TuneCandidate> observed_;  // every scored candidate, in order (the objective model's data)
    std::string expressibleDoneFor_;  // key of the best schedule whose one-ratio version was proposed
};

}  // namespace ssmlens
