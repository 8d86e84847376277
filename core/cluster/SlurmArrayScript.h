#pragma once
// The sbatch script of a sharded run: one job array, task i runs shard i of the plan (the plan's command
// with the shard marker replaced by $SLURM_ARRAY_TASK_ID), its output appended to the shard's log. The
// same script is submitted again for failed tasks (sbatch --array=2,5 FILE), which is why the shard count
// is written into it rather than read from $SLURM_ARRAY_TASK_COUNT (the count of the smaller array).
#include <cstdint>
#include <string>
#include <vector>

#include "core/cluster/ShardPlan.h"

namespace ssmlens {

struct SlurmOptions {
    std::string partition;                  // --partition; empty: the cluster's default
    int64_t gpusPerTask = 0;                // --gres=gpu:N; 0: none
    int64_t cpusPerTask = 0;                // --cpus-per-task, and the task's OMP_NUM_THREADS; 0: the default
    std::string timeLimit;                  // --time (Slurm's forms: 90, 2:00:00, 1-12:00:00); empty: default
    std::vector<std::string> extraOptions;  // passed through, one #SBATCH line each ("--account=abc")
    double pollSeconds = 10;                // between two squeue calls while following the array
};

// Throws ssmlens::Error naming the option when a value cannot go into an #SBATCH line.
void validateSlurmOptions(const SlurmOptions& options);

// `comment` lines go at the top (after the #!), each prefixed with "# ". Throws ssmlens::Error when the
// plan's folders cannot be written into #SBATCH lines (whitespace in the path).
std::string slurmArrayScript(const ShardPlan& plan, const SlurmOptions& options, const std::vector<std::string>& comment);

// The script's path for a plan: DIR/NAME.sbatch.
std::string slurmScriptPath(const ShardPlan& plan);

// A word for bash: as it is when it has only safe characters, else in single quotes.
std::string shellQuote(const std::string& word);

// "--account=abc --qos='high prio'" -> {"--account=abc", "--qos=high prio"}: words split at whitespace,
// with '...' and "..." quoting as in a shell (no expansion). Throws ssmlens::Error on an unclosed quote.
std::vector<std::string> splitShellWords(const std::string& text);

}  // namespace ssmlens
