#pragma once
// Readers for the benchmark files as their authors distribute them. Each checks the format of every item
// and throws ssmlens::Error naming the file, the line and the problem, with a hint when the item looks
// like another task's file. Request strings follow lm-evaluation-harness v0.4 (docs/evaluation.md).
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/eval/EvalTask.h"

namespace ssmlens {

// lambada_test.jsonl: {"text"} per line.
EvalTaskData readLambada(const std::string& path);
// valid.jsonl {"goal","sol1","sol2"} with the aligned 0/1 lines of labelsPath (valid-labels.lst). With an
// empty labelsPath each item must carry its own "label" (the Hugging Face export).
EvalTaskData readPiqa(const std::string& path, const std::string& labelsPath);
// hellaswag_val.jsonl: {"activity_label","ctx_a","ctx_b","endings","label"}.
EvalTaskData readHellaswag(const std::string& path);
// lm-eval's hellaswag preprocess(): strip, " [title]" -> ". ", drop every "[...]" (no newline inside),
// then replace each double space by one space (a single left-to-right pass, as Python's str.replace).
std::string hellaswagPreprocess(const std::string& text);
// ARC-Easy-Test.jsonl / ARC-Challenge-Test.jsonl: {"question": {"stem","choices":[{"text","label"}]},
// "answerKey"} (or the Hugging Face export: "question" a string, "choices": {"text":[...],"label":[...]}).
EvalTaskData readArc(const std::string& path, const std::string& task);
// dev.jsonl: {"sentence" with one "_", "option1", "option2", "answer": "1"|"2"}.
EvalTaskData readWinogrande(const std::string& path);

// The file of `task` at `path`: the file itself, or a folder holding it under its distributed name
// (searched in the folder, in <folder>/<task>, then up to three levels down). Throws when it is missing
// or ambiguous.
std::string findTaskFile(const std::string& task, const std::string& path);
// findTaskFile, then the task's reader (PIQA's labels are found next to the .jsonl).
EvalTaskData loadEvalTask(const std::string& task, const std::string& path);

// What a JSON item looks like ("looks like a PIQA item (goal/sol1/sol2)"), or "" when unknown; readers add
// it to their errors so a user who picked the wrong file or task learns which one it is.
std::string taskFormatHint(const nlohmann::json& item, const std::string& expectedTask);

}  // namespace ssmlens
