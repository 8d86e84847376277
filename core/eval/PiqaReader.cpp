// piqa (lm-eval v0.4 piqa.yaml): context "Question: {goal}\nAnswer:", continuations " {sol1}", " {sol2}".
// The labels live in a separate file whose lines are aligned with the items (valid-labels.lst).
#include "core/Error.h"
#include "core/eval/JsonLines.h"
#include "core/eval/PythonText.h"
#include "core/eval/TaskReaders.h"

namespace ssmlens {

EvalTaskData readPiqa(const std::string& path, const std::string& labelsPath) {
    EvalTaskData data{"piqa", path, {}};
    const std::vector<JsonLine> lines = readJsonLines(path);
    std::vector<std::pair<int64_t, std::string>> labels;
    if (!labelsPath.empty()) {
        labels = readTextLines(labelsPath);
        if (labels.size() != lines.size())
            throw Error(labelsPath + ": " + std::to_string(labels.size()) + " labels, but " + path + " has " +
                        std::to_string(lines.size()) + " items (the two files must be aligned line by line)");
    }
    for (size_t i = 0; i < lines.size(); ++i) {
        JsonItem item(path, lines[i], data.task);
        const std::string goal = item.string("goal"), sol1 = item.string("sol1"), sol2 = item.string("sol2");
        EvalExample e;
        e.doc = static_cast<int64_t>(i);
        e.line = lines[i].line;
        if (labelsPath.empty()) {
            if (!item.value().contains("label"))
                item.fail("no label: expected valid-labels.lst next to the .jsonl, or a \"label\" field");
            e.gold = item.integer("label");
            if (e.gold != 0 && e.gold != 1) item.fail("label " + std::to_string(e.gold) + " is not 0 or 1");
        } else {
            const auto& [n, text] = labels[i];
            if (text != "0" && text != "1")
                throw Error(labelsPath + ":" + std::to_string(n) + ": label \"" + text + "\" is not 0 or 1");
            e.gold = text == "1";
        }
        const std::string context = "Question: " + goal + "\nAnswer:";
        for (const std::string& sol : {sol1, sol2}) {
            e.requests.push_back({context, " " + sol});
            e.normLengths.push_back(static_cast<double>(python_text::length(sol)));
        }
        data.examples.push_back(std::move(e));
    }
    return data;
}

}  // namespace ssmlens
