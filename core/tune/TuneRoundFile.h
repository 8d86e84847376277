#pragma once
// The two files between `tune --devices / --slurm` and its workers (`ssmlens-cli tune-round`), one pair per
// round of candidates (core/cluster/ShardedEvaluator.h):
//
//   NAME.round-R.json               the round: the schedules to score, in the tuner's order, with their racing
//                                   bounds (CandidateEvaluator::evaluate), and the calibration fingerprint the
//                                   parent computed (a worker that reads other data refuses to score)
//   NAME-round-R.shard-K.json       what worker K of N scored: its share of the round (roundShareOf) with every
//                                   score, written atomically by the worker when all are done
//
// Scores travel as JSON numbers, which nlohmann/json writes in the shortest form that reads back to the same
// double, so a score read from a worker's file is bit for bit the score the worker computed.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/reduction/ReductionSchedule.h"
#include "core/tune/TuneCandidate.h"

namespace ssmlens {

struct TuneRound {
    int64_t round = 0;                            // 0-based count of the rounds this run dispatched
    std::string calibrationFingerprint;           // CalibrationSet::fingerprint() of the parent's data
    std::vector<ReductionSchedule> schedules;
    std::vector<std::vector<double>> rejectAbove;  // per schedule (may be empty): racing bounds per checkpoint

    nlohmann::json toJson() const;
    // Throws ssmlens::Error naming the file and the problem.
    static TuneRound load(const std::string& path);
};

// The candidates [first, end) of `count` that share `shard` of `shards` scores: contiguous, sizes differing
// by at most one, the first shards the larger.
std::pair<size_t, size_t> roundShareOf(size_t count, int64_t shard, int64_t shards);

struct TuneRoundResult {
    int64_t round = 0, shard = 0, shards = 1;
    std::string calibrationFingerprint;  // the worker's own
    std::string evaluator;               // the worker's ModelEvaluator::description() (device, threads, data)
    std::string host;
    double denseNll = 0;                 // ModelEvaluator::denseNll()
    double denseSeconds = 0;             // the worker's dense pass
    std::vector<std::pair<size_t, CandidateScore>> scores;  // (index in the round, score), in round order

    nlohmann::json toJson() const;
    // Throws ssmlens::Error naming the file and the problem.
    static TuneRoundResult load(const std::string& path);
};

}  // namespace ssmlens
