#pragma once
// The mixer's causal depthwise convolution over time followed by SiLU, on the CPU:
//   out[b, t, c] = silu(bias[c] + sum_k weight[c, 0, k] * x[b, t - (K-1) + k, c]),  x = 0 before t = 0
// which is what PyTorch's conv1d with groups = channels, padding K-1 and the right part dropped computes.
// For fp32 CPU tensors outside autograd a hand-written loop over the [B, L, C] layout (the in-projection's
// slice, read in place); otherwise (other dtypes, gradients needed) ATen's conv1d. The loop avoids conv1d's
// transposed copies and its per-channel kernel calls (docs/results/benchmarks-history.md, CPU). KernelPaths::cpuCausalConv
// (core/runtime/KernelPaths.h; SSMLENS_CPU_CONV=aten) turns the loop off, for side-by-side benchmarks.
#include <ATen/core/Tensor.h>

namespace ssmlens {

// xBC: [B, L, C] with unit stride over channels (any row stride); weight: [C, 1, K]; bias: [C] or undefined.
// Returns fp32 [B, L, C] (contiguous from the hand-written loop, a transposed view from ATen's).
at::Tensor causalConvSilu(const at::Tensor& xBC, const at::Tensor& weight, const at::Tensor& bias);

// The same through ATen's conv1d, for every dtype and device (and the reference the tests compare with).
at::Tensor causalConvSiluAten(const at::Tensor& xBC, const at::Tensor& weight, const at::Tensor& bias);

// The newest position only, for a decode step: window [B, C, K] holds each channel's K - 1 remembered inputs and
// then the new one, in the model dtype. Summed in fp32 and rounded to the window's dtype once, then SiLU in that
// dtype: what conv1d in the model dtype (causalConvSiluAten, the prefill) gives at that position, so decoding
// after a prefill continues it exactly. Returns [B, C] in the window's dtype.
at::Tensor causalConvSiluStep(const at::Tensor& window, const at::Tensor& weight, const at::Tensor& bias);

}  // namespace ssmlens
