#pragma once
// Per-layer recurrent state for token-by-token decoding after a prefill.
#include <vector>

#include <ATen/core/Tensor.h>

namespace ssmlens {

struct LayerState {
    at::Tensor conv;  // [B, convDim, d_conv - 1]  the last inputs of the causal conv (model dtype)
    at::Tensor ssm;   // [B, H, P, N] fp32
};

struct InferenceCache {
    std::vector<LayerState> layers;
    // Scratch of the fused decode step (mixerStepFused): int32 [B * ngroups] zeros, which its kernel leaves at
    // zero; made by Mamba2Model::step on first use.
    at::Tensor stepSync;
    bool empty() const { return layers.empty(); }
};

}  // namespace ssmlens
