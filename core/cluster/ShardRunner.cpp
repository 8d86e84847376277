#include "core/cluster/ShardRunner.h"

#include <filesystem>
#include <fstream>

#include "core/Error.h"

namespace fs = std::filesystem;

namespace ssmlens {

void prepareShardFiles(const ShardPlan& plan) {
    std::error_code ec;
    fs::create_directories(plan.dir, ec);
    if (ec || !fs::is_directory(plan.dir)) throw Error(plan.dir + ": cannot create the folder for the shards' files");
    for (int64_t i = 0; i < plan.shardCount; ++i)
        for (const std::string& f : {plan.resultFile(i), plan.progressFile(i), plan.logFile(i), plan.exitFile(i)}) {
            fs::remove(f, ec);
            if (ec) throw Error(f + ": cannot remove the file of an earlier run (" + ec.message() + ")");
        }
}

std::string logTail(const std::string& path, int lines) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return "";
    const std::streamoff size = in.tellg();
    const std::streamoff from = std::max<std::streamoff>(0, size - 16384);
    in.seekg(from);
    std::string text(static_cast<size_t>(size - from), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    // Progress lines written with \r (a terminal's) read as separate lines.
    for (char& c : text)
        if (c == '\r') c = '\n';
    while (!text.empty() && text.back() == '\n') text.pop_back();
    size_t cut = text.size();
    for (int n = 0; n < lines && cut != std::string::npos && cut > 0; ++n) cut = text.rfind('\n', cut - 1);
    return cut == std::string::npos ? text : text.substr(cut + 1);
}

}  // namespace ssmlens
