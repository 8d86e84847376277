// arc_easy / arc_challenge (lm-eval v0.4 arc_easy.yaml): context "Question: {question}\nAnswer:",
// continuation " {choice text}", gold = choices.label.index(answerKey). Labels are letters (A-E) in most
// items and digits (1-4) in some; the answer key is matched against the labels as written.
#include "core/eval/JsonLines.h"
#include "core/eval/PythonText.h"
#include "core/eval/TaskReaders.h"
#include "core/io/JsonDocument.h"

namespace ssmlens {

EvalTaskData readArc(const std::string& path, const std::string& task) {
    EvalTaskData data{task, path, {}};
    const std::vector<JsonLine> lines = readJsonLines(path);
    for (size_t i = 0; i < lines.size(); ++i) {
        JsonItem item(path, lines[i], data.task);
        const nlohmann::json& question = item.field("question");
        std::string stem;
        std::vector<std::string> texts, labels;
        if (question.is_object()) {
            // The AI2 distribution: {"question": {"stem", "choices": [{"text", "label"}, ...]}}
            stem = item.string(question, "stem", "\"question\"");
            if (!question.contains("choices") || !question["choices"].is_array())
                item.fail("field \"question\" should hold an array \"choices\"");
            for (const auto& c : question["choices"]) {
                texts.push_back(item.string(c, "text", "a choice"));
                labels.push_back(item.string(c, "label", "a choice"));
            }
        } else if (question.is_string()) {
            // The Hugging Face export: "question" a string, "choices": {"text": [...], "label": [...]}
            stem = question.get<std::string>();
            const nlohmann::json& choices = item.field("choices");
            if (!choices.is_object() || !choices.contains("text") || !choices.contains("label") ||
                !choices["text"].is_array() || !choices["label"].is_array() ||
                choices["text"].size() != choices["label"].size())
                item.fail("field \"choices\" should be {\"text\": [...], \"label\": [...]} of equal length");
            for (size_t k = 0; k < choices["text"].size(); ++k) {
                if (!choices["text"][k].is_string() || !choices["label"][k].is_string())
                    item.fail("choice " + std::to_string(k) + " should have a string text and label");
                texts.push_back(choices["text"][k].get<std::string>());
                labels.push_back(choices["label"][k].get<std::string>());
            }
        } else {
            item.fail("field \"question\" should be an object {\"stem\", \"choices\"} or a string");
        }
        if (texts.size() < 2) item.fail("the question has fewer than two choices");
        const nlohmann::json& key = item.field("answerKey");
        const std::string answer = key.is_string() ? key.get<std::string>() : key.is_number_integer() ? key.dump() : "";
        EvalExample e;
        e.doc = static_cast<int64_t>(i);
        e.line = lines[i].line;
        e.gold = -1;
        std::string all;
        for (size_t k = 0; k < labels.size(); ++k) {
            if (labels[k] == answer && e.gold < 0) e.gold = static_cast<int64_t>(k);
            all += (k ? ", " : "") + labels[k];
        }
        if (e.gold < 0) item.fail("answerKey " + jsonSnippet(key, 40) + " is not one of the choice labels " + all);
        for (const std::string& text : texts) {
            e.requests.push_back({"Question: " + stem + "\nAnswer:", " " + text});
            e.normLengths.push_back(static_cast<double>(python_text::length(text)));
        }
        data.examples.push_back(std::move(e));
    }
    return data;
}

}  // namespace ssmlens
