#pragma once
// Fused CUDA kernels for the Mamba-2 forward (core/cuda/*.cu). Built only when SSMLENS_FUSED_CUDA is defined
// (a libtorch with CUDA and nvcc, see core/CMakeLists.txt); callers in core/model/ keep their ATen code for the
// CPU and fall back to it when fusedAvailable() is false. Each function replaces a chain of small ATen kernels
// with one launch on the current CUDA stream and matches the ATen code to within fp32 rounding: it computes in
// fp32 (sums of squares too) and rounds to the model dtype only where the ATen code does.
// Tensors of shape [B, L, C] (or [B, C]) may be strided views as long as the last dimension is a plain index
// (any stride); outputs are new contiguous tensors.
#include <utility>

#include <ATen/core/Tensor.h>

namespace ssmlens::fused {

// True when the kernels can run for t: t is on a CUDA device, the build has code for that GPU (checked once),
// and KernelPaths::cudaKernels is on (core/runtime/KernelPaths.h; off to time and check the ATen path).
// False for tensors that require grad while grad mode is on: the kernels have no backward (training).
bool fusedAvailable(const at::Tensor& t);

// The residual add and block RMSNorm: r = float(hidden) + residual (r = residual when hidden is undefined) and
// u = r * rsqrt(mean(r^2) + eps) * weight, u in weight's dtype. Returns {r (new fp32 tensor, or residual
// itself when hidden is undefined), u}. Normalises over the last dimension.
std::pair<at::Tensor, at::Tensor> addRmsNorm(const at::Tensor& hidden, const at::Tensor& residual,
                                             const at::Tensor& weight, double eps);

// The mixer's skip term and gated RMSNorm: g = (y + x * d) * silu(float(z)), normalised over each of `groups`
// groups of channels, times weight; returned in weight's dtype. y, x: fp32 [B, L, Di] (x undefined: no skip);
// d: fp32 [H] (one per head of Di / H channels) or [Di]; z: [B, L, Di] in the model dtype. y may also be in
// weight's dtype (the tensor-core scan's output with the skip term already added; x undefined).
at::Tensor gatedRmsNorm(const at::Tensor& y, const at::Tensor& x, const at::Tensor& d, const at::Tensor& z,
                        const at::Tensor& weight, int64_t groups, double eps);

// Time steps and decay rates: dt = softplus(float(dtRaw) + dtBias) as fp32 [.., H] (clamped to [lo, hi] when
// clamp is set), and A = -exp(aLog) [H]. Returns {dt, A}.
std::pair<at::Tensor, at::Tensor> timeSteps(const at::Tensor& dtRaw, const at::Tensor& dtBias,
                                            const at::Tensor& aLog, bool clamp, double lo, double hi);

// The causal depthwise convolution over time with SiLU: xBC [B, L, C] (model dtype), weight [C, 1, K],
// bias [C] or undefined; out[b, l, c] = silu(bias[c] + sum_k weight[c, k] * xBC[b, l - K + 1 + k, c]) with
// zeros before the start, as fp32 [B, L, C] contiguous. For bf16 / fp16 the result is rounded to that dtype
// after the convolution and after the SiLU, as the ATen path (conv1d and silu in the model dtype) does.
// With inModelDtype the result is stored in xBC's dtype instead (the same values, half the bytes for bf16).
at::Tensor causalConvSilu(const at::Tensor& xBC, const at::Tensor& weight, const at::Tensor& bias,
                          bool inModelDtype = false);

// Whether ssdChunkedTensorCores takes heads of `headdim` channels and states of `dState`: both multiples of
// 16, headdim <= 128, dState <= 256 (every published Mamba-2: 64 x 128).
bool ssdTensorCoreShapeSupported(int64_t headdim, int64_t dState);

// The chunked SSD of core/model/SsdScan.h (same inputs, same outputs: {y [B, L, H, P], final state
// [B, H, P, N]}, fp32) with its matrix products on tensor cores: the operands are rounded to operandType
// (bf16, or fp16 when it is kHalf), products accumulate in fp32, decays are fp32. For bf16 / fp16 models,
// whose x, B and C already carry that precision. Three launches (core/cuda/FusedSsd.cu says which).
// chunkLength: positions per chunk of the kernels (64, 128 or 256; 0: the default, 128), which changes only
// the rounding; `ssmlens-cli bench-ssd` times each.
// x, B and C may also come in operandType (the fused conv's output in the model dtype); y is then in
// operandType too. skip (fp32 [H] or [H * P], optional): y = scan + x * skip, summed in fp32 and rounded once
// (the mixer's D term, which the reference kernels also add inside the scan).
std::pair<at::Tensor, at::Tensor> ssdChunkedTensorCores(const at::Tensor& x, const at::Tensor& dt,
                                                        const at::Tensor& A, const at::Tensor& B,
                                                        const at::Tensor& C, const at::Tensor& initialState,
                                                        at::ScalarType operandType, int64_t chunkLength = 0,
                                                        const at::Tensor& skip = {});

}  // namespace ssmlens::fused
