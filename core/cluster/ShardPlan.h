#pragma once
// One run split into shards: the worker command every shard runs (the same command with the shard's index
// filled in), and the files each shard leaves in the run folder. A ShardRunner (local worker processes or a
// Slurm job array) runs the shards; the caller merges their result files.
//
// Files of shard i, all in `dir`:  NAME.shard-i.json      its result, written (renamed into place) by the
//                                                         worker when it succeeds: its presence means "done"
//                                  NAME.shard-i.progress  requests done and total as it goes (ShardProgress.h)
//                                  NAME.shard-i.log       the worker's stdout and stderr, every attempt
//                                  NAME.shard-i.exit      the worker's exit code (Slurm tasks, where the
//                                                         runner does not see the process end)
#include <cstdint>
#include <string>
#include <vector>

namespace ssmlens {

// In an argument of ShardPlan::command, this text stands for the shard's index (0-based).
inline constexpr const char* kShardIndexMarker = "{SHARD}";

struct ShardPlan {
    std::string name;                  // "ssmlens-eval-piqa": file names, the Slurm job name
    std::string dir;                   // absolute; holds the shards' files (and a Slurm script)
    std::string workingDir;            // absolute; where the workers run (relative paths in `command`)
    std::vector<std::string> command;  // program (absolute path) and arguments, with kShardIndexMarker
    int64_t shardCount = 1;
    std::vector<int64_t> work;         // per shard: requests to score (progress before it starts); may be empty

    std::string resultFile(int64_t shard) const;
    std::string progressFile(int64_t shard) const;
    std::string logFile(int64_t shard) const;
    std::string exitFile(int64_t shard) const;
    // These with kShardIndexMarker in place of the index (for command arguments and scripts).
    std::string resultFilePattern() const;
    std::string progressFilePattern() const;
    std::string exitFilePattern() const;
    // `command` with the marker replaced by `shard`.
    std::vector<std::string> commandFor(int64_t shard) const;
    int64_t totalWork() const;
};

// `text` with every kShardIndexMarker replaced by `replacement`.
std::string replaceShardMarker(const std::string& text, const std::string& replacement);

}  // namespace ssmlens
