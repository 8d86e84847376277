#pragma once
// --slurm and --devices for the commands that shard (eval, sweep): the run is cut into shards (--shard i/n
// over the same selection), each shard runs as this program with the command's own arguments in a worker
// (a Slurm array task, core/cluster/SlurmShardRunner.h, or a process per device of this machine,
// core/cluster/LocalShardRunner.h), progress is shown as the shards report it, and the command merges the
// shards' result files into the result of the whole run, which equals the single-process result (exactly
// with --batch-size 1; docs/cluster.md).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/cli/CliArgs.h"
#include "app/cli/Commands.h"

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

}  // namespace ssmlens::cli
