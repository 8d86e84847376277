#include "core/eval/EvalTask.h"

#include "core/Error.h"

namespace ssmlens {

std::string evalMetricName(EvalMetric m) {
    switch (m) {
        case EvalMetric::Acc: return "acc";
        case EvalMetric::AccNorm: return "acc_norm";
        case EvalMetric::Perplexity: return "perplexity";
    }
    return "?";
}

const std::vector<TaskInfo>& evalTasks() {
    using M = EvalMetric;
    // Metrics as lm-eval's task configs list them (lambada_openai lists perplexity first).
    static const std::vector<TaskInfo> tasks = {
        {"lambada_openai", {M::Perplexity, M::Acc}, {"lambada_test.jsonl"}, false},
        {"hellaswag", {M::Acc, M::AccNorm}, {"hellaswag_val.jsonl"}, true},
        {"piqa", {M::Acc, M::AccNorm}, {"valid.jsonl", "valid-labels.lst"}, true},
        {"arc_easy", {M::Acc, M::AccNorm}, {"ARC-Easy-Test.jsonl"}, true},
        {"arc_challenge", {M::Acc, M::AccNorm}, {"ARC-Challenge-Test.jsonl"}, true},
        {"winogrande", {M::Acc}, {"dev.jsonl"}, true},
    };
    return tasks;
}

const TaskInfo& evalTask(const std::string& name) {
    std::string valid;
    for (const auto& t : evalTasks()) {
        if (t.name == name) return t;
        valid += (valid.empty() ? "" : ", ") + t.name;
    }
    throw Error("unknown task \"" + name + "\" (valid: " + valid + ")");
}

}  // namespace ssmlens
