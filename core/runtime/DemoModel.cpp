#include "core/runtime/DemoModel.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace fs = std::filesystem;

// Where `cmake --install` puts the resources, relative to the installed executable (core/CMakeLists.txt).
#ifndef SSMLENS_RESOURCES_INSTALL_RELDIR
#define SSMLENS_RESOURCES_INSTALL_RELDIR "../share/ssmlens"
#endif

namespace ssmlens {

std::string resourcesDir() {
    std::vector<fs::path> candidates;
    if (const char* env = std::getenv("SSMLENS_RESOURCES")) candidates.emplace_back(env);
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        candidates.push_back(exe.parent_path() / "../share/ssmlens");
        if (fs::path(SSMLENS_RESOURCES_INSTALL_RELDIR) != "../share/ssmlens")
            candidates.push_back(exe.parent_path() / SSMLENS_RESOURCES_INSTALL_RELDIR);
        candidates.push_back(exe.parent_path() / "../../resources");
    }
#ifdef SSMLENS_SOURCE_DIR
    candidates.push_back(fs::path(SSMLENS_SOURCE_DIR) / "resources");
#endif
    for (const auto& c : candidates)
        if (fs::exists(c / "eval-samples", ec) || fs::exists(c / "demo-model", ec)) return fs::weakly_canonical(c, ec).string();
    return "";
}

std::string defaultModelDir() {
    std::error_code ec;
    if (const char* env = std::getenv("SSMLENS_DEMO_MODEL"))
        if (fs::exists(fs::path(env) / "config.json", ec)) return env;
    const std::string res = resourcesDir();
    if (!res.empty() && fs::exists(fs::path(res) / "demo-model" / "config.json", ec))
        return (fs::path(res) / "demo-model").string();
    return "";
}

}  // namespace ssmlens
