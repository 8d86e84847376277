#pragma once
// The zero-shot tasks SSM Lens evaluates, as lm-evaluation-harness v0.4 defines them: every example becomes
// one loglikelihood request per answer choice (one request for LAMBADA), with the same strings lm-eval
// builds (docs/evaluation.md lists them).
#include <cstdint>
#include <string>
#include <vector>

namespace ssmlens {

enum class EvalMetric { Acc, AccNorm, Perplexity };
std::string evalMetricName(EvalMetric m);  // "acc", "acc_norm", "perplexity"

struct LoglikelihoodRequest {
    std::string context;       // conditioning text
    std::string continuation;  // scored text (starts with the target delimiter " ")
};

struct EvalExample {
    int64_t doc = 0;   // 0-based index of the item in the file, as lm-eval numbers docs
    int64_t line = 0;  // 1-based line of the item, for messages
    std::vector<LoglikelihoodRequest> requests;  // one per answer choice
    int64_t gold = 0;                            // index of the correct request
    // acc_norm's divisor per choice: len(choice) in Python, i.e. code points of the choice text without
    // the leading delimiter (lm-eval's `completion_len`).
    std::vector<double> normLengths;
};

struct EvalTaskData {
    std::string task;    // "piqa", ...
    std::string source;  // the file read (the first one, for PIQA the .jsonl)
    std::vector<EvalExample> examples;
};

struct TaskInfo {
    std::string name;
    std::vector<EvalMetric> metrics;
    std::vector<std::string> fileNames;  // the file(s) as distributed; the first is searched for in a folder
    bool multipleChoice = true;          // false: one request whose greedy match is acc (LAMBADA)
};

// lambada_openai, hellaswag, piqa, arc_easy, arc_challenge, winogrande.
const std::vector<TaskInfo>& evalTasks();
// Throws ssmlens::Error listing the valid names.
const TaskInfo& evalTask(const std::string& name);

}  // namespace ssmlens
