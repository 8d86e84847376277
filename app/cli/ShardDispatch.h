#pragma once
// --slurm and --devices for the commands that shard (eval, sweep): the run is cut into shards (--shard i/n
// over the same selection), each shard runs as this program with the command's own arguments in a worker
// (a Slurm array task, core/cluster/SlurmShardRunner.h, or a process per device of this machine,
// core/cluster/LocalShardRunner.h), progress is shown as the shards report it, and the command merges the
// shards' result files into the result of the whole run, which equals the single-process result (exactly
// with --batch-size 1; docs/cluster.md).
#include <signal.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/cli/CliArgs.h"
#include "app/cli/Commands.h"
#include "core/cluster/ShardRunner.h"

namespace ssmlens::cli {

// --slurm, --devices, --shards, --slurm-*, --sbatch-options, --shard-retries.
std::vector<OptionSpec> shardDispatchOptionSpecs();
// --progress-file: what workers get (and anyone can use) to report requests done and total.
OptionSpec progressFileOptionSpec();
bool wantsShardDispatch(const CliArgs& args);  // --slurm or --devices (or their options: then an error)

struct ShardedCommand {
    std::string command;                     // "eval", "sweep": the worker runs `ssmlens-cli COMMAND ...`
    std::string name;                        // names the Slurm job and the shard files: "ssmlens-eval-piqa"
    std::string resultOption;                // how a worker writes its result: "--json", "--details"
    std::vector<std::string> parentOptions;  // options for the merged run only, not given to workers ("json")
    std::vector<OptionSpec> specs;           // every option of the command
    // Requests shard `index` of `count` will score (progress totals before the shard starts).
    std::function<int64_t(int64_t index, int64_t count)> shardWork;
    // How to merge by hand, for the Slurm script's comment, with FILES where the shard files go.
    std::string mergeHint;
};

// Runs the shards and calls `merge` with their result files in shard order. With --slurm-dry-run it only
// writes the Slurm script (and says so) and does not call `merge`. Throws ssmlens::Error naming the
// option, the shard and its log.
void runShards(const Args& raw, const CliArgs& args, const ShardedCommand& command,
               const std::function<void(const std::vector<std::string>& files)>& merge);

// --slurm and --devices for a command whose work comes in rounds, each round a set of shards (tune: its
// rounds of candidates, core/cluster/ShardedEvaluator.h): the runner, once for the whole run.
struct RoundDispatch {
    std::unique_ptr<ShardRunner> runner;
    std::string dir;            // absolute: the rounds' files; --slurm-dir (the nodes must see it), or a
                                // temporary folder with --devices (removeTemporaryDir() after a good run)
    bool temporaryDir = false;
    std::string workingDir;     // absolute: where the workers run (this process's folder)
    std::vector<std::string> workerCommand;  // this program, the worker command, the user's arguments less the
                                             // dispatch options and parentOptions
    int64_t maxShards = 1;      // --shards, or one per device with --devices, or defaultShards with --slurm
    ShardRunOptions options;    // retries (--shard-retries), the exit code of a reported error
    std::string description;    // "2 worker processes (cpu, cpu)", "Slurm job arrays of up to 8 tasks"
    void removeTemporaryDir() const;
};
// Throws ssmlens::Error naming the option (as runShards does); --slurm-dry-run is refused (what a round holds
// is known only when the round before has been scored).
RoundDispatch prepareRoundDispatch(const Args& raw, const CliArgs& args, const std::string& command,
                                   const std::string& workerCommand, const std::string& name,
                                   const std::vector<std::string>& parentOptions, const std::vector<OptionSpec>& specs,
                                   int64_t defaultShards);

// While one lives, Ctrl-C and TERM set shardStopRequested() instead of ending the program, so that a command
// can stop or cancel its workers and keep what they did.
class ShardInterruptGuard {
public:
    ShardInterruptGuard();
    ~ShardInterruptGuard();
    ShardInterruptGuard(const ShardInterruptGuard&) = delete;
    ShardInterruptGuard& operator=(const ShardInterruptGuard&) = delete;

private:
    struct sigaction oldInt_ = {}, oldTerm_ = {};
};
const std::atomic<bool>& shardStopRequested();

}  // namespace ssmlens::cli
