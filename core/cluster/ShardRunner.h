#pragma once
// The seam between a sharded run and where its shards run. A ShardRunner takes a ShardPlan, runs every
// shard (local worker processes: LocalShardRunner; a Slurm job array: SlurmShardRunner), follows them,
// runs a failed shard again a bounded number of times, and returns when every shard's result file is
// there. The caller merges the result files (eval: ShardMerge.h; sweep: SweepDetails.h), so a runner knows
// nothing of what the shards compute.
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/cluster/ShardPlan.h"
#include "core/cluster/ShardProgress.h"

namespace ssmlens {

enum class ShardState {
    Waiting,  // not started (local: no free worker; Slurm: not yet submitted)
    Queued,   // submitted, waiting for resources (Slurm PENDING)
    Running,
    Done,     // its result file is there
    Failed,   // failed more often than the retries allow
};

struct ShardStatus {
    ShardState state = ShardState::Waiting;
    int attempts = 0;          // started (or submitted) so far
    std::string where;         // the device or Slurm node it runs on, the Slurm job id
    std::string lastFailure;   // why the last attempt failed ("FAILED", "killed by signal 9 (Killed)", ...)
    ShardProgress progress;    // from its progress file, while it runs
};

struct ShardRunOptions {
    // Each shard runs at most 1 + retries times (a failure, a preemption, a node that went away, a kill).
    int retries = 2;
    // A worker that exits with this code has reported an error of its own (bad input, a file it cannot
    // read on that node): running it again would only repeat it, so it is not retried. 0: retry every failure.
    int reportedErrorExitCode = 0;
    // Asked between polls (a few times a second); when it says true the runner stops or cancels its workers
    // and throws ShardRunInterrupted. Runs on the caller's thread.
    std::function<bool()> stop;
    // Called once per shard as soon as its result file is there (before the others are done), so a caller
    // can take its results in as they come (a tuner's round). Runs on the caller's thread.
    std::function<void(int64_t shard)> shardDone;
    // Called on every change: the status of every shard, and a line saying what happened ("" when only the
    // progress moved). Runs on the caller's thread.
    std::function<void(const std::vector<ShardStatus>& shards, const std::string& event)> report;
};

class ShardRunInterrupted : public std::runtime_error {
public:
    explicit ShardRunInterrupted(const std::string& what) : std::runtime_error(what) {}
};

class ShardRunner {
public:
    virtual ~ShardRunner() = default;
    // Returns when every shard's result file exists. Throws ssmlens::Error when a shard fails after its
    // retries (after the other shards have finished, so their results stay usable; the message says which
    // shard, why, and where its log is), ShardRunInterrupted when options.stop says so.
    virtual void run(const ShardPlan& plan, const ShardRunOptions& options) = 0;
};

// Deletes the result, progress, log and exit files of every shard of `plan` (a new run in a folder that holds
// an older one must not take the old results for its own). Creates plan.dir when missing.
void prepareShardFiles(const ShardPlan& plan);

// The last `lines` lines of a log, for error messages ("" when it cannot be read).
std::string logTail(const std::string& path, int lines);

}  // namespace ssmlens
