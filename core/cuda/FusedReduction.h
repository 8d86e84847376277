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

#include "core/reduction/ReductionMethod.h"

namespace ssmlens::fused {

// What the host knows before the step (reduceTokensBatch computes it): per sequence, the valid rows, the
// tokens kept, the sizes of B and A, the tokens removed and the rows left, and the same six rows as one
// [6, B] int64 tensor on the device.
struct ReductionCounts {
    std::vector<int64_t> lengths, keep, nB, nA, removeCount, outLengths;
    at::Tensor onDevice;  // [6, B]: lengths, keep, nB, nA, removeCount, outLengths
};

// The step's results; hidden/residual/sizes/protect/kept are undefined when nothing was removed.
struct ReductionKernelResult {
    at::Tensor hidden, residual, sizes, protect, kept;  // [B, M', D] / [B, M'], zero (size 1) padding rows
    at::Tensor importance, inB, match, matchCosine, fate, destination, mergedFraction;  // [B, M] each
};

// Whether the kernels can take this step: CUDA tensors (fusedAvailable) of a dtype the kernels know (fp32,
// bf16, fp16), D a multiple of 8, any recipe but the reference-quirks one.
bool fusedReductionSupported(const at::Tensor& hidden, const ReductionRecipe& recipe);

// Where the best-match products run: large ones on cuBLAS where it is reachable, small ones on the hand-written
// kernels (core/cuda/ReductionMatch.cu, which says where the line is); or all on one of them. Process-wide, so
// that checks and benchmarks can run both.
enum class BestMatchProducts { BySize = 0, Cublas = 1, Kernels = 2 };
void setBestMatchProducts(BestMatchProducts path);

// hidden [B, M, D] (model dtype), residual [B, M, D] fp32, sizes [B, M] fp32, protect [B, M] bool (the
// caller's protection: carried to the survivors, and used for the choices when the recipe protects positions).
// Rows at and after lengths[b] are padding.
ReductionKernelResult reduceTokensWithKernels(const at::Tensor& hidden, const at::Tensor& residual,
                                              const at::Tensor& sizes, const at::Tensor& protect,
                                              const ReductionCounts& counts, const ReductionRecipe& recipe);

}  // namespace ssmlens::fused
