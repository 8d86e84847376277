#pragma once
// "positional": a baseline whose choices ignore the token content. At every anchor it removes the r oldest
// tokens after the first and merges them, size-weighted, into the first token, in both streams. It answers
// the question docs/utr-reference.md raises: the authors' released code, with its default clip metric,
// removes positions 0, 2, ..., 2r-2 and merges them into position 1 whatever the tokens are; is a plainly
// positional rule as good? docs/token-reduction-guide.md states the rule, docs/findings.md the results.
#include "core/reduction/TokenReducer.h"

namespace ssmlens {

// One step on one sequence (SplitRule::OldestAfterFirst), filling ReductionStepResult as reduceTokens does.
//   candidates A: every position after the first that is not protected; B: the first position alone.
//   r = min(N - max(keptTokenCount(N, q), ceil(N / 2), protected count), |A|): the count every matching
//     method removes (at most half the tokens per anchor), so FLOPs are those of the other methods.
//   removed: the r lowest positions of A. Each is merged into position 0 with its size as weight:
//     x_0 <- (s_0 x_0 + sum_i s_i x_i) / (s_0 + sum_i s_i) for the residual (fp32) and the mixer output,
//     s_0 <- s_0 + sum_i s_i. Every other survivor is left exactly as it was.
//   Trace details: inB marks position 0; every token of A has match 0 (the only destination) and, for the
//     views only, the cosine of its (clipped) mixer output to that of position 0; importance by the
//     recipe's metric, for the views (the step never reads it).
// hidden [N, D] (model dtype), residual [N, D] fp32, sizes [N], protect [N] bool.
ReductionStepResult reduceTokensByPosition(const ReductionStepInput& in, const ReductionRecipe& recipe);

}  // namespace ssmlens
