#pragma once
// CandidateEvaluator: scores a round of schedules on the calibration data. The tuner only sees this interface:
// the evaluator in this process (ModelEvaluator.h) is one implementation; worker processes on several GPUs
// or a Slurm job array are others (each holds the calibration data and the dense reference, takes a share
// of the round and sends the scores back).
#include <functional>
#include <string>
#include <vector>

#include "core/reduction/ReductionSchedule.h"
#include "core/tune/TuneCandidate.h"

namespace ssmlens {

class CandidateEvaluator {
public:
    virtual ~CandidateEvaluator() = default;
    // Scores round[i] for each i and calls done(i, score) on the calling thread as each one finishes (in any
    // order), so the tuner records it at once. Polls stop() between units of work (a batch of sequences) and
    // returns early when it says true: the schedules not reported by then have no score. Throws
    // ssmlens::Error for a schedule it cannot run (the tuner stops).
    //
    // Racing: rejectAbove[i] (empty: none) holds one bound per checkpoint (CandidateScore::checkpoints); a
    // schedule whose running objective exceeds the bound at a checkpoint is stopped there and reported with
    // evaluatedFraction < 1. The checkpoints and the order of the sequences are fixed for a calibration set,
    // so the result does not depend on which worker scored what.
    virtual void evaluate(const std::vector<ReductionSchedule>& round, const std::vector<std::vector<double>>& rejectAbove,
                          const std::function<void(size_t, const CandidateScore&)>& done,
                          const std::function<bool()>& stop) = 0;
    // One line for progress output: where it runs and on how much data.
    virtual std::string description() const = 0;
};

}  // namespace ssmlens
