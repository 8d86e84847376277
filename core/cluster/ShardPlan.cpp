#include "core/cluster/ShardPlan.h"

#include <numeric>

namespace ssmlens {

std::string replaceShardMarker(const std::string& text, const std::string& replacement) {
    const std::string marker = kShardIndexMarker;
    std::string out;
    size_t from = 0;
    for (size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, from)) {
        out += text.substr(from, at - from) + replacement;
        from = at + marker.size();
    }
    return out + text.substr(from);
}

std::string ShardPlan::resultFilePattern() const {
    return dir + "/" + name + ".shard-" + kShardIndexMarker + ".json";
}

std::string ShardPlan::progressFilePattern() const {
    return dir + "/" + name + ".shard-" + kShardIndexMarker + ".progress";
}

std::string ShardPlan::exitFilePattern() const {
    return dir + "/" + name + ".shard-" + kShardIndexMarker + ".exit";
}

std::string ShardPlan::exitFile(int64_t shard) const {
    return replaceShardMarker(exitFilePattern(), std::to_string(shard));
}

std::string ShardPlan::resultFile(int64_t shard) const {
    return replaceShardMarker(resultFilePattern(), std::to_string(shard));
}

std::string ShardPlan::progressFile(int64_t shard) const {
    return replaceShardMarker(progressFilePattern(), std::to_string(shard));
}

std::string ShardPlan::logFile(int64_t shard) const {
    return dir + "/" + name + ".shard-" + std::to_string(shard) + ".log";
}

std::vector<std::string> ShardPlan::commandFor(int64_t shard) const {
    std::vector<std::string> out;
    for (const std::string& a : command) out.push_back(replaceShardMarker(a, std::to_string(shard)));
    return out;
}

int64_t ShardPlan::totalWork() const { return std::accumulate(work.begin(), work.end(), int64_t(0)); }

}  // namespace ssmlens
