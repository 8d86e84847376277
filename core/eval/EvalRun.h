#pragma once
// One accuracy run: a task's selected examples scored dense and, with a schedule, reduced, on the same
// examples in the same run; metrics, FLOPs figures and per-example details in one EvalResult.
// Long-running: report progress and honour cancellation through settings.scoring (the GUI runs this on a
// worker thread); a cancelled run throws EvalCancelled.
#include <optional>
#include <string>
#include <vector>

#include "core/eval/EvalResult.h"
#include "core/eval/LoglikelihoodScorer.h"
#include "core/eval/RequestEncoding.h"
#include "core/model/Mamba2Model.h"
#include "core/text/Tokenizer.h"

namespace ssmlens {

struct EvalSettings {
    std::optional<ReductionSchedule> schedule;  // none: dense only
    ExampleSelection selection;
    ScoringOptions scoring;  // its progress counts requests over both passes (dense, then reduced)
    std::string modelName;   // recorded in the result
};

EvalResult runEvaluation(const Mamba2Model& model, const Tokenizer& tokenizer, const EvalTaskData& data,
                         const EvalSettings& settings);

// The steps of runEvaluation, for callers that score one set of examples under several schedules (the
// sweep scores dense once).
struct PreparedEval {
    EvalResult result;  // examples with their strings, token counts and norm lengths; no scores yet
    std::vector<TokenizedRequest> requests;  // every choice of every example, in order
};
PreparedEval prepareEval(const Tokenizer& tokenizer, const EvalTaskData& data, const ExampleSelection& selection);
// Fills in the scores (reduced may be null when schedule is), FLOPs figures and the summary; `scoring`
// says how they were computed (window, mode, batch size), for the record.
EvalResult assembleEval(const PreparedEval& prepared, const Mamba2Model& model, const ScoringOptions& scoring,
                        const std::vector<RequestScore>& dense, const ReductionSchedule* schedule,
                        const std::vector<RequestScore>* reduced);

}  // namespace ssmlens
