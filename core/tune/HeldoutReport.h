#pragma once
// The held-out comparison of a tuning run: schedules side by side on the examples the search never saw.
//   task sources   the held-out examples scored as `ssmlens-cli eval` scores them (every choice; acc, acc_norm,
//                  LAMBADA perplexity), dense and under each schedule, with their FLOPs reduction
//   text sources   perplexity over the scored positions of the held-out paragraphs
//   all sources    the tuning objective (mean KL to the dense model) on the held-out sequences
#include <atomic>
#include <string>
#include <vector>

#include "core/eval/LoglikelihoodScorer.h"
#include "core/model/Mamba2Model.h"
#include "core/text/Tokenizer.h"
#include "core/tune/CalibrationSet.h"
#include "core/tune/ModelEvaluator.h"
#include "core/tune/TuneReport.h"

namespace ssmlens {

struct NamedSchedule {
    std::string name;
    ReductionSchedule schedule;
};

// Throws EvalCancelled when scoring.cancel is set.
HeldoutComparison compareOnHeldout(const Mamba2Model& model, const Tokenizer* tokenizer, const CalibrationData& data,
                                   const std::vector<NamedSchedule>& schedules, const ScoringOptions& scoring,
                                   const ModelEvaluatorOptions& evaluatorOptions);

}  // namespace ssmlens
