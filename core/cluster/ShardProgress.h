#pragma once
// The progress file a shard worker keeps up to date (`--progress-file`), read by the runner that follows
// the shards: one JSON object on one line, {"done": 120, "total": 480, "host": "gpu17", "pid": 4242},
// replaced atomically (written beside, then renamed), so a reader never sees half a file. Host and pid say
// where the shard runs, for the user (and for the Slurm test, which kills one worker mid-run).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace ssmlens {

struct ShardProgress {
    int64_t done = 0, total = 0;  // requests; total 0 until the worker knows it
    std::string host;
    int64_t pid = 0;
};

// Throws ssmlens::Error naming the file when it cannot be written.
void writeShardProgress(const std::string& path, const ShardProgress& progress);
// nullopt when the file is missing or not a progress file (a reader never fails on it).
std::optional<ShardProgress> readShardProgress(const std::string& path);

// For workers: writes the file at most every `interval`, and always when done == total or on the first call.
// The first write throws ssmlens::Error when the file cannot be written; later failures are skipped (the
// progress is a report, not the result).
class ShardProgressWriter {
public:
    ShardProgressWriter(std::string path, std::chrono::milliseconds interval = std::chrono::milliseconds(500));
    void update(int64_t done, int64_t total);

private:
    std::string path_;
    std::chrono::milliseconds interval_;
    std::chrono::steady_clock::time_point last_{};
    bool written_ = false;
    ShardProgress progress_;
};

}  // namespace ssmlens
