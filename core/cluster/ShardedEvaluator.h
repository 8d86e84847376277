#pragma once
// ShardedEvaluator: the tuner's CandidateEvaluator that scores each round in worker processes through a
// ShardRunner: local processes, one per device (LocalShardRunner, `tune --devices`), or one Slurm job array
// per round (SlurmShardRunner, `tune --slurm`). For round R it writes the round file (TuneRoundFile.h), runs
// up to maxShards workers (`ssmlens-cli tune-round ... --round FILE --shard K/N --result ... --progress-file
// ...`), each scoring a contiguous share of the round, and hands every score to the tuner as its shard's
// result file arrives.
//
// Same results as in one process: every worker builds the whole calibration set and the same batches, and
// a schedule's score does not depend on what else its evaluator scored (the dense prefix cache changes no
// score), so the workers' scores are the in-process ones. Scores are handed to the tuner in round order (a
// share that arrives early waits for the ones before it), so candidate numbers and ties fall as in one
// process.
//
// Failures: the runner runs a failed or killed worker again (options.run.retries); a worker that still fails,
// or whose result file is missing a candidate, was computed on other calibration data (fingerprint) or is not
// a result file, stops the round with an ssmlens::Error naming the shard, the file and the log. The scores of
// the shares that did arrive are handed over first, so the tuner saves them. stop() (the tuner's time limit
// or cancel) stops or cancels the round's workers; evaluate() then returns with the arrived scores.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/cluster/ShardRunner.h"
#include "core/tune/CandidateEvaluator.h"

namespace ssmlens {

struct ShardedEvaluatorOptions {
    std::string name = "ssmlens-tune";        // names the files (NAME.round-R.json, ...) and the Slurm jobs
    std::string dir;                          // absolute: round files, results, progress, logs (and scripts)
    std::string workingDir;                   // absolute: where the workers run
    std::vector<std::string> workerCommand;   // program and arguments; --round, --shard, --result and
                                              // --progress-file are appended per round
    int64_t maxShards = 1;                    // workers per round at most (a smaller round uses fewer)
    std::string calibrationFingerprint;       // the workers' calibration data must have it
    std::string description;                  // "2 worker processes (cpu, cpu)", for progress output
    ShardRunOptions run;                      // retries, reportedErrorExitCode, stop (an interrupt; combined
                                              // with evaluate's), report (see `report` below), shardDone unused
    // Progress of a round's workers (called on the caller's thread): the round, every shard's status, an event.
    std::function<void(int64_t round, const std::vector<ShardStatus>& shards, const std::string& event)> report;
};

class ShardedEvaluator : public CandidateEvaluator {
public:
    // runner must outlive the evaluator.
    ShardedEvaluator(ShardRunner& runner, ShardedEvaluatorOptions options);

    void evaluate(const std::vector<ReductionSchedule>& round, const std::vector<std::vector<double>>& rejectAbove,
                  const std::function<void(size_t, const CandidateScore&)>& done,
                  const std::function<bool()>& stop) override;
    std::string description() const override;

    // From the first result file read: the workers' evaluator (device, threads, data), the dense model's NLL
    // at the scored positions and one worker's dense pass time. Empty / 0 before any round has finished.
    const std::string& workerDescription() const { return workerDescription_; }
    double denseNll() const { return denseNll_; }
    double denseSeconds() const { return denseSeconds_; }
    int64_t rounds() const { return rounds_; }  // rounds dispatched so far
    // The file of round R (for tests and messages).
    std::string roundFile(int64_t round) const;

private:
    ShardRunner& runner_;
    ShardedEvaluatorOptions options_;
    int64_t rounds_ = 0;
    std::string workerDescription_;
    double denseNll_ = 0, denseSeconds_ = 0;
};

}  // namespace ssmlens
