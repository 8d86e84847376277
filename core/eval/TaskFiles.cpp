// Finding a task's file in what the user points at, dispatching to the reader, and recognising which
// task an item belongs to (for errors when the wrong file or task was picked).
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/Error.h"
#include "core/eval/TaskReaders.h"

namespace fs = std::filesystem;

namespace ssmlens {
namespace {

bool hasAll(const nlohmann::json& j, std::initializer_list<const char*> keys) {
    for (const char* k : keys)
        if (!j.contains(k)) return false;
    return true;
}

// The family a task's items belong to (arc_easy and arc_challenge share one format).
std::string familyOf(const std::string& task) { return task.rfind("arc_", 0) == 0 ? "arc" : task; }

}  // namespace

std::string taskFormatHint(const nlohmann::json& item, const std::string& expectedTask) {
    if (!item.is_object()) return "";
    std::string family, fields;
    if (hasAll(item, {"goal", "sol1", "sol2"})) family = "piqa", fields = "goal/sol1/sol2";
    else if (hasAll(item, {"ctx_a", "endings"})) family = "hellaswag", fields = "ctx_a/ctx_b/endings";
    else if (hasAll(item, {"question", "answerKey"})) family = "arc", fields = "question/answerKey";
    else if (hasAll(item, {"sentence", "option1"})) family = "winogrande", fields = "sentence/option1/option2";
    else if (item.contains("text") && item.size() == 1) family = "lambada_openai", fields = "text";
    if (family.empty() || family == familyOf(expectedTask)) return "";
    const std::string task = family == "arc" ? "arc_easy or arc_challenge" : family;
    return "this looks like a " + task + " item (" + fields + "), not " + expectedTask + ": check --task";
}

std::string findTaskFile(const std::string& task, const std::string& path) {
    const TaskInfo& info = evalTask(task);
    const fs::path p(path);
    std::error_code ec;
    if (!fs::exists(p, ec)) throw Error(path + ": no such file or folder");
    if (!fs::is_directory(p, ec)) return path;
    const std::string& name = info.fileNames.front();
    for (const fs::path& dir : {p, p / task})
        if (fs::is_regular_file(dir / name, ec)) return (dir / name).string();
    // Deeper: the shallowest matches win; two at the same depth are ambiguous.
    std::vector<fs::path> found;
    int foundDepth = 99;
    for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it.depth() >= 3) it.disable_recursion_pending();
        if (it->path().filename() != name || !it->is_regular_file(ec) || it.depth() > foundDepth) continue;
        if (it.depth() < foundDepth) found.clear(), foundDepth = it.depth();
        found.push_back(it->path());
    }
    if (found.size() == 1) return found.front().string();
    if (found.empty())
        throw Error(path + ": no " + name + " in this folder or below it (the " + task + " file as distributed)");
    std::string list;
    for (const auto& f : found) list += "\n  " + f.string();
    throw Error(path + ": several " + name + " files; point at one of them:" + list);
}

EvalTaskData loadEvalTask(const std::string& task, const std::string& path) {
    const std::string file = findTaskFile(task, path);
    if (task == "lambada_openai") return readLambada(file);
    if (task == "hellaswag") return readHellaswag(file);
    if (task == "arc_easy" || task == "arc_challenge") return readArc(file, task);
    if (task == "winogrande") return readWinogrande(file);
    // piqa: X.jsonl with X-labels.lst beside it (or labels inside the items).
    fs::path labels(file);
    labels.replace_extension();
    labels += "-labels.lst";
    std::error_code ec;
    return readPiqa(file, fs::is_regular_file(labels, ec) ? labels.string() : std::string());
}

}  // namespace ssmlens
