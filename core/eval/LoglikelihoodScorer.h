#pragma once
// Batched loglikelihood scoring of (context, continuation) token requests, dense or with a reduction
// schedule, as lm-evaluation-harness v0.4 scores them: the model reads (context + continuation) without its
// last token, left-truncated to maxLength tokens; the loglikelihood is the sum of log-softmax over the
// positions that predict the continuation tokens, and `greedy` says every one of those tokens is the argmax.
//
// Under reduction, ScoringMode::Correct (the default): those positions (the last context position .. the
// last input position) are protected when schedule.options.protectScoringSpan is set, and each one is found
// among the survivors by its original position (TokenReductionHook::survivorPositions), never by counting
// from the end. Without the protection a needed position can be merged or pruned away: that request is
// then not scorable (scorable = false, loglikelihood NaN); the metrics count its example as wrong and
// report how many.
//
// ScoringMode::Paper reproduces what the paper's evaluation read (lm-evaluation-harness over the authors'
// code; docs/evaluation.md, "Scoring as the paper's evaluation did"): requests in lm-eval's order, batches
// right-padded with token 0 and reduced with the padding as part of every sequence, and the continuation's
// log-probabilities taken from lm-eval's slice logits[inplen' - contlen : inplen'] of the shortened output,
// inplen' = inplen - (tokens the reduction removed from the padded batch), Python slice rules included. The
// rows read need not be those that predict the continuation (`misread`), and the slice can come out short
// or empty (`tokensRead` < `scoredTokens`; an empty one scores loglikelihood 0 and greedy, as lm-eval's sum
// and all() of nothing). No span is protected and every request gets a number. Dense passes are the same
// in both modes (causal model, right padding).
#include <atomic>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <vector>

#include "core/eval/RequestEncoding.h"
#include "core/eval/RequestScore.h"
#include "core/eval/ScoringMode.h"
#include "core/model/Mamba2Model.h"
#include "core/reduction/ReductionSchedule.h"

namespace ssmlens {

struct ScoringOptions {
    ScoringMode mode = ScoringMode::Correct;  // how a reduced pass is read (dense passes: always correctly)
    int64_t batchSize = 16;
    int64_t maxLength = 2048;  // lm-eval's model window (its Mamba wrapper's default); <= 0: no limit
    // Called after each batch with the requests done so far and the total. Runs on the scoring thread.
    std::function<void(int64_t done, int64_t total)> progress;
    // Checked before each batch and after every layer of a forward pass; when set, scoring stops and throws
    // EvalCancelled.
    const std::atomic<bool>* cancel = nullptr;
};

class EvalCancelled : public std::runtime_error {
public:
    EvalCancelled() : std::runtime_error("evaluation cancelled") {}
};

// schedule == nullptr: dense. Requests are batched longest first (right-padded, per-sequence lengths;
// ScoringMode::Paper with a schedule: in lm-eval's order, padding included); the results come back in the
// order of `requests`. Throws ssmlens::Error for a continuation longer than maxLength, EvalCancelled when
// cancelled.
std::vector<RequestScore> scoreLoglikelihoods(const Mamba2Model& model, const std::vector<TokenizedRequest>& requests,
                                              const ReductionSchedule* schedule, const ScoringOptions& options = {});

}  // namespace ssmlens
