// lambada_openai (lm-eval v0.4 lambada_openai.yaml):
//   context = " ".join(text.split(" ")[:-1]),  continuation = " " + text.split(" ")[-1]
// Split at the last plain space only (Python's split(" ")), so newlines stay inside the context.
#include "core/eval/JsonLines.h"
#include "core/eval/PythonText.h"
#include "core/eval/TaskReaders.h"

namespace ssmlens {

EvalTaskData readLambada(const std::string& path) {
    EvalTaskData data{"lambada_openai", path, {}};
    const std::vector<JsonLine> lines = readJsonLines(path);
    for (size_t i = 0; i < lines.size(); ++i) {
        JsonItem item(path, lines[i], data.task);
        const std::string text = item.string("text");
        const size_t cut = text.rfind(' ');
        const std::string word = cut == std::string::npos ? text : text.substr(cut + 1);
        EvalExample e;
        e.doc = static_cast<int64_t>(i);
        e.line = lines[i].line;
        // No space at all: an empty context, which the scorer replaces by end-of-text as lm-eval does.
        e.requests.push_back({cut == std::string::npos ? std::string() : text.substr(0, cut), " " + word});
        e.normLengths = {static_cast<double>(python_text::length(word))};
        data.examples.push_back(std::move(e));
    }
    return data;
}

}  // namespace ssmlens
