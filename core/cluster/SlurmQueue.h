#pragma once
// What Slurm says about the tasks of our job arrays, read through its commands: sbatch (submit), squeue
// (tasks waiting, running, and recently ended: --states=all lists ended tasks for MinJobAge, 300 s by
// default), sacct (ended tasks after that, where the cluster keeps accounting) and scancel. The parsers
// are separate from the calls so they can be checked on recorded output.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ssmlens {

struct SlurmTaskState {
    std::string jobId;   // the array's job id, "1234"
    int64_t taskId = 0;  // the array index, which is the shard
    std::string state;   // PENDING, RUNNING, COMPLETED, FAILED, PREEMPTED, ... ("CANCELLED by 0" -> CANCELLED)
    std::string detail;  // squeue's reason ("Resources", "None") or sacct's exit code ("0:9")
    std::string node;    // where it runs or ran; may be empty
};

enum class SlurmStateKind {
    Active,     // waiting, running, or on its way (requeued, completing, suspended); also states we do not know
    Completed,  // ended with exit code 0
    Failed,     // ended otherwise: FAILED, CANCELLED, TIMEOUT, PREEMPTED, NODE_FAIL, OUT_OF_MEMORY, ...
};
SlurmStateKind classifySlurmState(const std::string& state);

// Lines of `squeue --noheader --array --format=%i|%T|%r|%N`. Lines that are not one array task ("1234",
// "1234_[2-5]") are skipped.
std::vector<SlurmTaskState> parseSqueueTasks(const std::string& text);
// Lines of `sacct --noheader --parsable2 --allocations --format=JobID,State,ExitCode,NodeList`.
std::vector<SlurmTaskState> parseSacctTasks(const std::string& text);
// sbatch --parsable prints "1234" or "1234;cluster". Throws ssmlens::Error when it is not a job id.
std::string parseSbatchJobId(const std::string& text);

// The commands themselves. Each throws ssmlens::Error with Slurm's message when the command fails.
// Submits `script` (all its tasks, or only `tasks`) and returns the job id.
std::string slurmSubmit(const std::string& script, const std::vector<int64_t>& tasks);
// Every task of these arrays that squeue knows (waiting, running, and ended within MinJobAge).
std::vector<SlurmTaskState> slurmQueue(const std::vector<std::string>& jobIds);
// The tasks sacct knows of; nullopt when the cluster keeps no accounting (sacct then says so).
std::optional<std::vector<SlurmTaskState>> slurmAccounting(const std::vector<std::string>& jobTaskIds);
// scancel; ids are "1234_5" or "1234".
void slurmCancel(const std::vector<std::string>& ids);

}  // namespace ssmlens
