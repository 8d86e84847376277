#include "core/runtime/DemoModel.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace fs = std::filesystem;

namespace ssmlens {

std::string defaultModelDir() {
    std::vector<fs::path> candidates;
    if (const char* env = std::getenv("SSMLENS_DEMO_MODEL")) candidates.emplace_back(env);
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        candidates.push_back(exe.parent_path() / "../share/ssmlens/demo-model");
        candidates.push_back(exe.parent_path() / "../../resources/demo-model");
    }
#ifdef SSMLENS_SOURCE_DIR
    candidates.push_back(fs::path(SSMLENS_SOURCE_DIR) / "resources/demo-model");
#endif
    for (const auto& c : candidates)
        if (fs::exists(c / "config.json", ec)) return fs::weakly_canonical(c, ec).string();
    return "";
}

}  // namespace ssmlens
