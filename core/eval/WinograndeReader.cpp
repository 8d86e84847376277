// winogrande (lm-eval v0.4 preprocess_winogrande.py), "partial scoring": the blank "_" splits the sentence.
// For each option the context is the sentence before the blank with the option put in; the continuation,
// the same for both options, is " " + the text after the blank, stripped. The options compete on how well
// they predict the rest of the sentence. Only acc is reported.
#include "core/eval/JsonLines.h"
#include "core/eval/PythonText.h"
#include "core/eval/TaskReaders.h"

namespace ssmlens {

EvalTaskData readWinogrande(const std::string& path) {
    EvalTaskData data{"winogrande", path, {}};
    const std::vector<JsonLine> lines = readJsonLines(path);
    for (size_t i = 0; i < lines.size(); ++i) {
        JsonItem item(path, lines[i], data.task);
        const std::string sentence = item.string("sentence");
        const size_t blank = sentence.find('_');
        if (blank == std::string::npos) item.fail("field \"sentence\" has no blank \"_\"");
        const std::string option1 = item.string("option1"), option2 = item.string("option2");
        const nlohmann::json& answer = item.field("answer");
        if (answer == "" || answer.is_null()) item.fail("no answer (the test split has none; use dev.jsonl)");
        const int64_t a = item.integer("answer");
        if (a != 1 && a != 2) item.fail("answer " + std::to_string(a) + " is not 1 or 2");
        EvalExample e;
        e.doc = static_cast<int64_t>(i);
        e.line = lines[i].line;
        e.gold = a - 1;
        const std::string continuation = " " + python_text::strip(sentence.substr(blank + 1));
        for (const std::string& option : {option1, option2}) {
            const std::string context = sentence.substr(0, blank) + option;
            e.requests.push_back({context, continuation});
            // lm-eval's choices here are the partial contexts (acc_norm is not reported for this task).
            e.normLengths.push_back(static_cast<double>(python_text::length(context)));
        }
        data.examples.push_back(std::move(e));
    }
    return data;
}

}  // namespace ssmlens
