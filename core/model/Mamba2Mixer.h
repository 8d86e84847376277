#pragma once
// One Mamba-2 mixer (the block without its residual and norm): in_proj, causal depthwise conv, the SSM,
// the gated RMSNorm and out_proj. Prefill runs a whole right-padded batch; step advances one token.
#include <ATen/core/Tensor.h>

#include "core/model/ActivationProbe.h"
#include "core/model/InferenceCache.h"
#include "core/model/Mamba2Weights.h"
#include "core/model/ModelConfig.h"

namespace ssmlens {

enum class ScanMode { Chunked, Recurrent };

// u: [B, L, D] normalized input; lengths: [B] int64 CPU. Returns h [B, L, D]. Positions past a sequence's
// length produce values that must be ignored. When `state` is given it receives the state after each
// sequence's last valid token. validMask: paddingMask(lengths, L, u's device), [B, L] fp32, or undefined when
// no sequence is padded; the model makes it once for all layers, since making it here would copy from the
// host (and wait for the device) in every layer. tap: where the intermediates go (hook_gate, hook_ssm_input, hook_B,
// hook_C, hook_delta, hook_A, hook_ssm_output; core/model/HookPoint.h), when its probe wants them.
at::Tensor mixerPrefill(const Mamba2Config& c, const Mamba2LayerWeights& w, const at::Tensor& u,
                        const at::Tensor& lengths, ScanMode mode, LayerState* state, const at::Tensor& validMask,
                        const ActivationTap& tap = {});

// The validMask of mixerPrefill for lengths [B] (CPU) and padded length L on `device`; undefined when every
// sequence is L long.
at::Tensor paddingMask(const at::Tensor& lengths, int64_t L, const at::Device& device);

// u: [B, D]. Advances `state` by one token and returns h [B, D]. An undefined state starts from zeros.
// A chain of ATen operators (any device); the conv is summed in fp32 and rounded to the model dtype once, as
// the prefill's conv is.
at::Tensor mixerStep(const Mamba2Config& c, const Mamba2LayerWeights& w, const at::Tensor& u, LayerState& state);

// Whether mixerStepFused can run this mixer for u (a CUDA tensor, a CUDA build with code for its GPU, a shape
// and dtype the kernel takes).
bool fusedStepAvailable(const Mamba2Config& c, const Mamba2LayerWeights& w, const at::Tensor& u);

// mixerStep with everything between in_proj and out_proj in one CUDA kernel (core/cuda/FusedStep.cu): the same
// roundings, only three fp32 sums in another order. `state` is advanced in place: its tensors keep their storage
// (CUDA graphs replay the step on them). sync: int32 [B * ngroups] zeros on u's device, which the kernel leaves
// at zero (InferenceCache::stepSync). Throws ssmlens::Error when !fusedStepAvailable.
at::Tensor mixerStepFused(const Mamba2Config& c, const Mamba2LayerWeights& w, const at::Tensor& u, LayerState& state,
                          at::Tensor& sync);

// x * rsqrt(mean(x^2) + eps) * weight, computed in fp32, returned in weight's dtype.
at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& weight, double eps);

}  // namespace ssmlens
