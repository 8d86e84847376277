#pragma once
// "utr-reference": one reduction step as the authors' reference code (wuyushuwys/ToR_SSM, src/pom/, commit
// 2e9fc62) actually performs it for Mamba-2, inconsistencies included. For comparison with the clean method
// of docs/token-reduction.md only; docs/utr-reference.md walks through what the reference does and where it
// departs from the clean reading. Our own code: it reproduces the reference's behaviour, not its text.
#include "core/reduction/TokenReducer.h"

namespace ssmlens {

// One step on one sequence, filling ReductionStepResult the same way reduceTokens does (survivors in
// their original order, per-token arrays on the CPU). In short:
//   - keeps N - r tokens with r = min(N - ceil(q N), floor(N / 2)), ceil taken exactly as the reference's
//     Python does (no rounding tolerance, unlike keptTokenCount);
//   - protects nothing (in.protect is ignored), and weights every token 1 whatever in.sizes says (the
//     reference restarts sizes at 1 at every anchor); in.sizes only feeds the returned bookkeeping sizes;
//   - the match is computed between rows of a per-channel-sorted feature matrix, and the resulting row
//     numbers are applied to the even (candidates) and odd (destinations) positions of the sequence;
//   - recipe.metric Clip matches on max(h, 0), any other metric on raw h (the reference has no l2);
//     recipe.hidden Hybrid / Merge / Prune and recipe.residual Merge / Prune select the reference's
//     hybrid / merge_only / prune_only; recipe.granularity and recipe.protectPositions are not used.
ReductionStepResult reduceTokensLikeReference(const ReductionStepInput& in, const ReductionRecipe& recipe);

// The number of tokens the reference keeps at one anchor: N - min(N - ceil(q N), floor(N / 2)).
int64_t referenceKeptTokenCount(int64_t n, double keepRatio);

}  // namespace ssmlens
