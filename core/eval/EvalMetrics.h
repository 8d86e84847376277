#pragma once
// lm-eval's metrics from per-example scores:
//   acc        multiple choice: argmax of the loglikelihoods (first maximum) is the gold choice;
//              LAMBADA: every continuation token is the greedy argmax
//   acc_norm   argmax of loglikelihood / len(choice) (code points of the choice text, lm-eval's
//              completion_len)
//   perplexity LAMBADA: exp(-mean(loglikelihood)) over the examples
// An example with an unscorable reduced request counts as wrong for acc and acc_norm and is left out of
// the reduced perplexity; the summary reports how many there were.
#include <string>
#include <vector>

#include "core/eval/EvalResult.h"

namespace ssmlens {

struct ExampleOutcome {
    bool scorable = true;
    bool acc = false, accNorm = false;
    int64_t prediction = -1, predictionNorm = -1;  // -1 when not scorable
};

ExampleOutcome exampleOutcome(const TaskInfo& task, const ExampleResult& example, bool reduced);

// Summary metrics and reduction figures (reduced columns only when `reduced`).
EvalSummary summarizeEval(const std::string& task, const std::vector<ExampleResult>& examples, bool reduced);

}  // namespace ssmlens
