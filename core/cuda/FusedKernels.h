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

// causalConvSilu and timeSteps together, the same values as the two calls: in one launch where the conv takes its
// channel-pair kernel and dtRaw has xBC's batch, length and dtype (the in-projection's rows: every published
// Mamba-2 in bf16 / fp16 / fp32), else in two.
struct ConvAndTimeSteps {
    at::Tensor xBC, dt, A;
};
ConvAndTimeSteps causalConvSiluAndTimeSteps(const at::Tensor& xBC, const at::Tensor& weight, const at::Tensor& bias,
                                            bool inModelDtype, const at::Tensor& dtRaw, const at::Tensor& dtBias,
                                            const at::Tensor& aLog, bool clamp, double lo, double hi);

// Whether ssdChunkedTensorCores takes heads of `headdim` channels and states of `dState`: both multiples of
// 16, headdim <= 128, dState <= 256 (every published Mamba-2: 64 x 128).
bool ssdTensorCoreShapeSupported(int64_t headdim, int64_t dState);
// Whether the chunk-serial kernel (core/cuda/SerialSsd.cu) takes that shape: dState 16, 32, 64 or 128, headdim
// 16, 32, 64 or a multiple of 64 (every published Mamba-2: 64 x 128).
bool ssdSerialScanSupported(int64_t headdim, int64_t dState);

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

// The weights and shape of one mixer for mixerStep. Tensors as in core/model/Mamba2Weights.h: convWeight
// [C, 1, K] and convBias [C] (or undefined) and normWeight [Di] in the model dtype; dtBias, aLog [H] and d
// ([H] or [Di]) fp32. C = Di + 2 * groups * dState, Di = heads * headdim.
struct MixerStepWeights {
    at::Tensor convWeight, convBias, dtBias, aLog, d, normWeight;
    int64_t heads = 0, headdim = 0, groups = 0, dState = 0;
    bool clampDt = false;
    double dtMin = 0, dtMax = 0, normEps = 0;
};

// Whether mixerStep takes this shape and dtype (fp32, bf16 or fp16; every published Mamba-2 does).
bool mixerStepSupported(const MixerStepWeights& w, at::ScalarType modelType);

// One decode step of a mixer after its in_proj, in one launch (core/cuda/FusedStep.cu): the conv state shift,
// the causal conv + SiLU of the new input, the time step, the SSM state update and its output, the skip term,
// and the gated group RMSNorm. It computes what core/model/Mamba2Mixer.cpp's ATen step computes, with the same
// roundings (the conv rounded to the model dtype once, as the prefill's conv is); only the order of three fp32
// sums (the conv's taps, y over the state, the norm's sum of squares) differs. The conv sums in the order of the
// prefill's conv kernel, so a decoded token's conv output equals the prefill's at that position.
// zxbcdt: [B, 2 Di + 2 G N + H] in the model dtype (in_proj's output: z, x, B, C, dt), last dimension
// contiguous. convState: [B, C, K - 1] in the model dtype and ssmState: [B, H, P, N] fp32, both contiguous,
// are advanced in place. sync: int32 [B * groups], zeros when made; the kernel leaves it at zero (its blocks
// count themselves there to find the last one of each group, which shifts the group's shared conv channels
// and applies the norm). Returns the gated norm's output [B, Di] in the model dtype (out_proj's input).
// Allocates only its output and scratch, through the caching allocator: CUDA graphs can capture it.
at::Tensor mixerStep(const at::Tensor& zxbcdt, at::Tensor& convState, at::Tensor& ssmState,
                     const MixerStepWeights& w, at::Tensor& sync);

}  // namespace ssmlens::fused
