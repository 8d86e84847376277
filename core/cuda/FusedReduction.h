#pragma once
// The token-reduction step (core/reduction/TokenReducer.h, reduceTokensBatch) as a handful of CUDA kernels
// instead of ~230 ATen operators: importance and feature norms in one pass over the mixer output, ranking by
// counting instead of sorts, the best-match search as a tensor-core product that keeps only each row's maximum
// (never the cosine matrix), the hybrid prune/merge choice per destination, and one pass that merges and
// compacts both streams. Built only with SSMLENS_FUSED_CUDA (core/CMakeLists.txt); callers keep the ATen code.
//
// It selects, merges and prunes what the ATen batch code selects on the same inputs: same rules, same tie
// breaks (lower position first), merges summed in position order with the same fp32 operations (so merged
// rows are bit-identical when the choices are). Importance, norms and cosines are fp32 sums in another order,
// so two candidates within fp32 rounding of each other may rank the other way (`ssmlens-cli check-reduce`
// compares the two on the GPU and reports such near ties). For bf16 / fp16 models the cosine products run on
// tensor cores with fp32 accumulation: their operands (the mixer output, clipped) are exact in that dtype, so
// this loses nothing against the fp32 product; fp32 models use an fp32 product.
//
// Launches per step: 8 for the unified method per channel, 7 per token or for prune-only / merge-only, 4 for
// EViT; ToMe and PuMer read their candidate counts back once (as the ATen code does) and then launch 6.
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/reduction/ReductionCounts.h"
#include "core/reduction/ReductionMethod.h"
#include "core/runtime/KernelPaths.h"

namespace ssmlens::fused {

// The step's results; hidden/residual/sizes/protect/kept are undefined when nothing was removed.
struct ReductionKernelResult {
    bool changed = false;  // false: nothing was removed, and none of the streams below is made
    at::Tensor hidden, residual, sizes, protect, kept;  // [B, M', D] / [B, M'], zero (size 1) padding rows
    // With the next layer's norm (nextNormWeight): hidden is not made, residual is hidden + residual, and
    // normalized [B, M', D] (model dtype) is that layer's input, rmsNorm(residual) * weight.
    at::Tensor normalized;
    at::Tensor importance, inB, match, matchCosine, fate, destination, mergedFraction;  // [B, M] each
};

// Whether the kernels can take this step: CUDA tensors (fusedAvailable) of a dtype the kernels know (fp32,
// bf16, fp16), D a multiple of 8, any recipe but the reference-quirks one.
bool fusedReductionSupported(const at::Tensor& hidden, const ReductionRecipe& recipe);

// hidden [B, M, D] (model dtype), residual [B, M, D] fp32, sizes [B, M] fp32, protect [B, M] bool (the
// caller's protection: carried to the survivors, and used for the choices when the recipe protects positions).
// counts: what the host knows before the step (reduceTokensBatch works it out), per sequence [B] on the host
// and the same bytes on the device (countsOnDevice, [B, kSequenceCountFields] int64); countsOnDevice may be
// undefined for batches of up to 8 sequences (countsInArgumentsFit), whose counts then reach the device in the
// step's first kernel's arguments. Rows at and after
// counts[b].length are padding. products: where the best-match products run, large ones on cuBLAS where it is
// reachable and small ones on the hand-written kernels (BySize: core/cuda/ReductionMatch.cu says where the line
// is), or all on one of them. overlapLaunches: each kernel's blocks scheduled while the one before finishes
// (programmatic dependent launch, compute capability 9 and more; ReductionKernels.cuh says how it stays safe),
// else plain stream order. Either way the same results. nextNormWeight (optional, with nextNormEps): the norm
// of the layer that reads the streams next, whose residual add and RMSNorm the step's last kernel then does
// (where nextNormFusable says it can), bit for bit as addRmsNorm would on the step's streams.
ReductionKernelResult reduceTokensWithKernels(const at::Tensor& hidden, const at::Tensor& residual,
                                              const at::Tensor& sizes, const at::Tensor& protect,
                                              const std::vector<SequenceCounts>& counts,
                                              const at::Tensor& countsOnDevice, const ReductionRecipe& recipe,
                                              BestMatchProducts products, bool overlapLaunches,
                                              const at::Tensor& nextNormWeight = {}, double nextNormEps = 0.0);
// Whether the step takes over the next layer's norm for these streams: a weight of the hidden stream's dtype, one
// entry per channel, and rows of at most 1024 channels (narrow models: where it was measured to pay).
bool nextNormFusable(const at::Tensor& hidden, const at::Tensor& nextNormWeight);
// Whether a batch of this many sequences may leave countsOnDevice undefined.
bool countsInArgumentsFit(int64_t sequences);

}  // namespace ssmlens::fused
