#pragma once
// Runs the shards of a plan as worker processes on this machine, one per slot (a slot is a device: each
// GPU of the host, or the CPU), as many at once as there are slots. A slot that finishes takes the next
// waiting shard. A worker that fails (non-zero exit, killed, or no result file) is run again, on the next
// free slot, up to options.retries times.
#include <string>
#include <vector>

#include "core/cluster/ChildProcess.h"
#include "core/cluster/ShardRunner.h"

namespace ssmlens {

struct WorkerSlot {
    std::string name;                   // "cuda:1", "cpu" (shown in progress and errors)
    std::vector<std::string> extraArgs;  // appended to the plan's command ("--device", "cuda")
    EnvironmentChanges env;             // for example CUDA_VISIBLE_DEVICES=1, OMP_NUM_THREADS=8
};

class LocalShardRunner : public ShardRunner {
public:
    explicit LocalShardRunner(std::vector<WorkerSlot> slots);
    void run(const ShardPlan& plan, const ShardRunOptions& options) override;

private:
    std::vector<WorkerSlot> slots_;
};

}  // namespace ssmlens
