#include "core/cluster/ShardProgress.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/io/AtomicFile.h"

namespace ssmlens {
namespace {

// A progress file is one short line; anything much larger is not one, and is not read whole.
constexpr std::streamsize kMaxProgressFileBytes = 4096;

std::string hostName() {
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) != 0) return "";
    return name;
}

}  // namespace

void writeShardProgress(const std::string& path, const ShardProgress& p) {
    const nlohmann::json j = {{"done", p.done}, {"total", p.total}, {"host", p.host}, {"pid", p.pid}};
    writeFileAtomically(path, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

std::optional<ShardProgress> readShardProgress(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string text(static_cast<size_t>(kMaxProgressFileBytes), '\0');
    in.read(text.data(), kMaxProgressFileBytes);
    text.resize(static_cast<size_t>(in.gcount()));
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object()) return std::nullopt;
    ShardProgress p;
    try {
        p.done = j.at("done").get<int64_t>();
        p.total = j.at("total").get<int64_t>();
        p.host = j.value("host", "");
        p.pid = j.value("pid", int64_t(0));
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
    if (p.done < 0 || p.total < 0) return std::nullopt;
    return p;
}

ShardProgressWriter::ShardProgressWriter(std::string path, std::chrono::milliseconds interval)
    : path_(std::move(path)), interval_(interval) {
    progress_.host = hostName();
    progress_.pid = getpid();
}

void ShardProgressWriter::update(int64_t done, int64_t total) {
    const auto now = std::chrono::steady_clock::now();
    progress_.done = done;
    progress_.total = total;
    if (written_ && done != total && now - last_ < interval_) return;
    if (!written_) {
        writeShardProgress(path_, progress_);  // a path that cannot be written is reported at once
        written_ = true;
    } else {
        // Later failures (a full disk, a file server gone for a moment) must not end the run the file
        // only reports on: the next write will try again.
        try {
            writeShardProgress(path_, progress_);
        } catch (const std::exception&) {
        }
    }
    last_ = now;
}

}  // namespace ssmlens
