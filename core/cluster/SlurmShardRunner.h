#pragma once
// Runs the shards of a plan as one Slurm job array (SlurmArrayScript.h): writes the sbatch script into the
// plan's folder, submits it, follows the tasks with squeue (and sacct for tasks squeue no longer lists),
// reads the shards' progress files, and submits the tasks that ended without a result again (failed,
// preempted, timed out, node failure, killed) up to options.retries times, each time as one smaller array
// of the same script. A shard is done when its result file is there. Interrupted, it cancels (scancel) the
// tasks still queued or running.
//
// The folder must be on a file system the compute nodes share with this machine (results and progress
// come back through it), and the workers' program must be at the same path there.
#include <string>
#include <vector>

#include "core/cluster/ShardRunner.h"
#include "core/cluster/SlurmArrayScript.h"

namespace ssmlens {

class SlurmShardRunner : public ShardRunner {
public:
    // `scriptComment`: lines at the top of the script (what it runs, how to merge by hand).
    SlurmShardRunner(SlurmOptions options, std::vector<std::string> scriptComment);
    // Writes the script into plan.dir (created) and returns its path; submits nothing (--slurm-dry-run).
    std::string writeScript(const ShardPlan& plan) const;
    void run(const ShardPlan& plan, const ShardRunOptions& options) override;

private:
    SlurmOptions options_;
    std::vector<std::string> comment_;
};

}  // namespace ssmlens
