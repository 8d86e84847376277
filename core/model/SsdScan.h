#pragma once
// The selective state-space recurrence of Mamba-2, in two forms that must agree to fp32 rounding:
//   state_h(t) = exp(dt_h(t) * A_h) * state_h(t-1) + dt_h(t) * x_h(t) (outer) B_g(t)     (P x N per head)
//   y_h(t)     = state_h(t) @ C_g(t)                      head h reads group g = h / (H / G)
// ssdRecurrent steps through time (the definition); ssdChunked is the state-space-dual form used for
// prefill: inside a chunk of Q tokens a masked matrix product with the decay kernel, between chunks the
// states are passed along. The D skip connection is not part of either (the mixer adds it).
#include <ATen/core/Tensor.h>

namespace ssmlens {

struct SsdInputs {
    at::Tensor x;             // [B, L, H, P] fp32 (the model dtype for ssdPrefillWithSkip)
    at::Tensor dt;            // [B, L, H]    fp32, after softplus; 0 on padding keeps the state unchanged
    at::Tensor A;             // [H]          fp32, negative
    at::Tensor B;             // [B, L, G, N] fp32 (likewise)
    at::Tensor C;             // [B, L, G, N] fp32 (likewise)
    at::Tensor initialState;  // [B, H, P, N] fp32, or undefined for zeros
};

struct SsdOutputs {
    at::Tensor y;           // [B, L, H, P] fp32 (in x's dtype from ssdPrefillWithSkip)
    at::Tensor finalState;  // [B, H, P, N] fp32, the state after the last position
};

// How ssdChunked carries the state from chunk to chunk: Sequential, one small step per chunk (linear in the
// number of chunks c: the CPU's choice); DecayMatrix, one product with a (c+1) x (c+1) decay matrix (quadratic
// in c, but one launch: the GPU's). Auto picks by the device. Both agree to fp32 rounding.
enum class StatePassing { Auto, Sequential, DecayMatrix };

SsdOutputs ssdChunked(const SsdInputs& in, int64_t chunkSize, StatePassing passing = StatePassing::Auto);
SsdOutputs ssdRecurrent(const SsdInputs& in);

// The prefill scan of a model whose weights are in modelType: for bf16 / fp16 models on a CUDA device (with
// the fused kernels built, see core/cuda/FusedKernels.h), the tensor-core kernels of core/cuda/FusedSsd.cu,
// which round the products' operands to that dtype and accumulate in fp32; otherwise ssdChunked. With
// KernelPaths::tensorCoreScan off (core/runtime/KernelPaths.h; SSMLENS_FUSED_SSD=0) ssdChunked runs (to time both).
// On the CPU, ssdChunked runs with chunks of at most kCpuChunk tokens whatever the model's chunk size (the result
// is the same to fp32 rounding; 130m fp32, 256 tokens, 2 threads: 64 is the fastest of 32, 64, 128 and 256).
// kernelChunk: the tensor-core kernels' own chunk length (64, 128, 256; 0 = their default), for tuning. With
// the default, the chunk-serial kernel may run instead of the chunk-parallel ones (KernelPaths::ssdScanKernel).
inline constexpr int64_t kCpuChunk = 64;
SsdOutputs ssdPrefill(const SsdInputs& in, int64_t chunkSize, at::ScalarType modelType, int64_t kernelChunk = 0);
// Whether ssdPrefill would take the tensor-core kernels for these inputs; the second form asks before the inputs
// exist, for a tensor on their device and the shape (headdim P, state size N, H heads, G groups).
bool ssdPrefillUsesTensorCores(const SsdInputs& in, at::ScalarType modelType);
bool ssdPrefillUsesTensorCores(const at::Tensor& onDevice, at::ScalarType modelType, int64_t P, int64_t N, int64_t H,
                               int64_t G);
// Whether the chunk-serial tensor-core kernel takes heads of P channels and states of N (false in builds
// without the CUDA kernels): where it does not, SsdScanKernel::Serial runs the chunk-parallel kernels.
bool ssdSerialScanSupported(int64_t P, int64_t N);
// The tensor-core scan (ssdPrefillUsesTensorCores must be true) with the mixer's skip term folded in:
// y = scan + x * skip (skip: D, [H] or [H * P]). x, B and C may be in the model dtype instead of fp32; y then is
// in the model dtype too, as the reference kernels write it.
SsdOutputs ssdPrefillWithSkip(const SsdInputs& in, const at::Tensor& skip, at::ScalarType modelType);

// segsum(x)[..., i, j] = x[j+1] + ... + x[i] for i >= j, -inf above the diagonal. Computed as a masked
// cumulative sum rather than a difference of cumulative sums, which loses precision on long chunks.
at::Tensor segmentSum(const at::Tensor& x);

}  // namespace ssmlens
