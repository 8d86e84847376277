// hellaswag (lm-eval v0.4 hellaswag/utils.py):
//   query   = preprocess(activity_label + ": " + ctx_a + " " + ctx_b.capitalize())
//   choices = [preprocess(ending) for ending in endings], continuation " " + choice
#include "core/eval/JsonLines.h"
#include "core/eval/PythonText.h"
#include "core/eval/TaskReaders.h"

namespace ssmlens {
namespace {

std::string replaceAll(const std::string& s, const std::string& from, const std::string& to) {
    std::string out;
    size_t at = 0;
    for (size_t hit; (hit = s.find(from, at)) != std::string::npos; at = hit + from.size()) out += s.substr(at, hit - at) + to;
    return out + s.substr(at);
}

// re.sub("\\[.*?\\]", "", text): '.' does not match a newline, so a '[' whose next ']' comes after a
// newline is kept (and the scan moves on by one character, as the regex engine does).
std::string dropBracketed(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size();) {
        if (s[i] == '[') {
            const size_t close = s.find(']', i + 1), newline = s.find('\n', i + 1);
            if (close != std::string::npos && (newline == std::string::npos || newline > close)) {
                i = close + 1;
                continue;
            }
        }
        out.push_back(s[i++]);
    }
    return out;
}

}  // namespace

std::string hellaswagPreprocess(const std::string& text) {
    std::string t = python_text::strip(text);
    t = replaceAll(t, " [title]", ". ");
    t = dropBracketed(t);
    return replaceAll(t, "  ", " ");
}

EvalTaskData readHellaswag(const std::string& path) {
    EvalTaskData data{"hellaswag", path, {}};
    const std::vector<JsonLine> lines = readJsonLines(path);
    for (size_t i = 0; i < lines.size(); ++i) {
        JsonItem item(path, lines[i], data.task);
        // Fields read one by one, so an error names the first missing one.
        const std::string label = item.string("activity_label"), ctxA = item.string("ctx_a"), ctxB = item.string("ctx_b");
        const std::string query = hellaswagPreprocess(label + ": " + ctxA + " " + python_text::capitalize(ctxB));
        const nlohmann::json& endings = item.array("endings");
        if (endings.size() < 2) item.fail("field \"endings\" should hold at least two endings");
        EvalExample e;
        e.doc = static_cast<int64_t>(i);
        e.line = lines[i].line;
        if (!item.value().contains("label") || item.value()["label"] == "")
            item.fail("no label (the test split has none; use hellaswag_val.jsonl)");
        e.gold = item.integer("label");
        if (e.gold < 0 || e.gold >= static_cast<int64_t>(endings.size()))
            item.fail("label " + std::to_string(e.gold) + " is outside the " + std::to_string(endings.size()) + " endings");
        for (size_t k = 0; k < endings.size(); ++k) {
            if (!endings[k].is_string()) item.fail("ending " + std::to_string(k) + " should be a string");
            const std::string choice = hellaswagPreprocess(endings[k].get<std::string>());
            e.requests.push_back({query, " " + choice});
            e.normLengths.push_back(static_cast<double>(python_text::length(choice)));
        }
        data.examples.push_back(std::move(e));
    }
    return data;
}

}  // namespace ssmlens
