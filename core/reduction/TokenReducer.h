#pragma once
// One reduction step on one sequence: the tokens after an anchor layer go in, fewer tokens come out, with
// both streams (mixer output h and residual r) reduced through one shared index structure.
// All tensor work stays on the input's device and is vectorized (no per-token loops).
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/reduction/FlopsModel.h"  // keptTokenCount
#include "core/reduction/ReductionMethod.h"
#include "core/reduction/TokenTrace.h"  // TokenFate

namespace ssmlens {

struct ReductionStepInput {
    at::Tensor hidden;     // [N, D] mixer output (model dtype)
    at::Tensor residual;   // [N, D] fp32
    at::Tensor sizes;      // [N] fp32: how many original tokens each token stands for
    at::Tensor protect;    // [N] bool: never removed (the last token is always protected by the caller)
    double keepRatio = 1.0;  // q in (0, 1]: keep ceil(q N) tokens, removing at most |A|
};

// What happened to each input token, for traces; every tensor has length N (input coordinates), on the CPU.

struct ReductionStepResult {
    at::Tensor hidden, residual, sizes;  // survivors only, in their original order
    at::Tensor kept;            // [N'] int64: input index of each survivor, ascending
    at::Tensor importance;      // [N] fp32
    at::Tensor inB;             // [N] bool: destination set (protected tokens included)
    at::Tensor match;           // [N] int64: best match in B for tokens of A, -1 otherwise
    at::Tensor matchCosine;     // [N] fp32: cosine to that match (0 when none)
    at::Tensor fate;            // [N] int8 TokenFate
    at::Tensor destination;     // [N] int64: input index merged into, -1 when kept or pruned
    at::Tensor mergedFraction;  // [N] fp32: share of hidden channels merged (1 = all, 0 = pruned in h)
};

// Importance of every token from the mixer output h [N, D]: clip = sum max(h, 0), raw = sum h, l2 = |h|.
at::Tensor tokenImportance(const at::Tensor& hidden, ImportanceMetric metric);

ReductionStepResult reduceTokens(const ReductionStepInput& in, const ReductionRecipe& recipe);

// The per-token details of a step while they are still on the device (length N each).
struct ReductionStepDetails {
    at::Tensor importance, inB, match, matchCosine, fate, destination, mergedFraction;
};

// The shared end of every reduction step: keeps the rows not in `removed` (ascending, a count known on the
// host so nothing waits for the GPU), casts the hidden stream back to `hiddenType`, and brings the details
// to the host in one copy.
ReductionStepResult finishReductionStep(const at::Tensor& hidden, const at::Tensor& residual, const at::Tensor& sizes,
                                        at::ScalarType hiddenType, const at::Tensor& removed,
                                        const ReductionStepDetails& details);

// The same step on a whole right-padded batch at once (what the model hook runs). Sequence for sequence it
// selects, merges and prunes exactly what reduceTokens selects on that sequence alone (the tests compare
// them); only the floating-point rounding of batched kernels may differ. One set of kernel launches serves
// the batch, and nothing waits for the device: every count follows on the host from the lengths and the
// protected counts (core/reduction/ReductionCounts.h). Exceptions: the alternate-position split (ToMe, PuMer)
// copies its candidate counts to the host once per step; a batch of one sequence on the CPU runs reduceTokens
// itself (fewer operators than the batch's bookkeeping), and UtrReference and Positional run their own step
// sequence by sequence; these leave `kept` and the details on the host.
struct BatchReductionInput {
    at::Tensor hidden;    // [B, M, D] mixer output (model dtype); rows at and after lengths[b] are padding
    at::Tensor residual;  // [B, M, D] fp32
    at::Tensor sizes;     // [B, M] fp32
    at::Tensor protect;   // [B, M] bool, false on padding rows (on the streams' device; for one sequence
                          // the host saves reduceTokens a copy)
    std::vector<int64_t> lengths;         // [B] valid rows of each sequence (>= 1)
    std::vector<int64_t> protectedCount;  // [B] true rows of protect per sequence (kept on the host)
    double keepRatio = 1.0;
    // Optional: the norm of the layer that reads the streams next (LayerStreams::nextNormWeight). The GPU kernels
    // then also do that layer's residual add and norm where they can (BatchReductionResult::normalized).
    at::Tensor nextNormWeight;
    double nextNormEps = 0.0;
};

struct BatchReductionResult {
    bool changed = false;                // false: nothing was removed and the streams below are the inputs
    at::Tensor hidden, residual;         // [B, M', D] survivors in order, zero rows after each sequence's end
    // Where the step did the next layer's add and norm (the kernels, given nextNormWeight): hidden undefined,
    // residual = hidden + residual, and normalized [B, M', D] (model dtype) that layer's input.
    at::Tensor normalized;
    at::Tensor sizes;                    // [B, M'] (1 on padding rows)
    at::Tensor protect;                  // [B, M'] the input protection, carried to the survivors
    at::Tensor kept;                     // [B, M'] int64 input row of each survivor (padding rows: any row)
    std::vector<int64_t> lengths;        // [B] survivors of each sequence; M' is their maximum
    ReductionStepDetails details;        // [B, M] each, as reduceTokens reports them per sequence (fate and
                                         // destination int64; padding rows undefined); on the device, or
                                         // on the host where reduceTokens ran (see above)
};

// On a GPU, the step runs as a few CUDA kernels (core/cuda/FusedReduction.h) where the build has them, for
// every method but utr-reference and positional, unless the KernelPaths in effect (core/runtime/KernelPaths.h)
// say otherwise: reductionKernels off runs the ATen batch step, bestMatchProducts says where the kernels'
// products run.
BatchReductionResult reduceTokensBatch(const BatchReductionInput& in, const ReductionRecipe& recipe);
// The batch code itself, also for one sequence on the CPU (where reduceTokensBatch runs reduceTokens): what a
// batch of one sequence runs on a GPU, for the tests that compare it with reduceTokens.
BatchReductionResult reduceTokensBatched(const BatchReductionInput& in, const ReductionRecipe& recipe);

// Whether this build has the reduction kernels (a CUDA build).
bool reductionKernelsBuilt();

}  // namespace ssmlens
