#pragma once
// PassKernels: the SSM kernels (B, C, dt, A; core/attention/ImplicitAttention.h) of every layer of one forward
// pass over one prompt, with the original prompt position of every token entering each layer. The dense pass
// has all T positions at every layer; a pass with token reduction has fewer after each anchor, and their
// positions come from its provenance (the TokenTrace: a token is present at layer l when its fate there is not
// "gone"; survivors keep their order, and a merged token sits at its destination's position). With them every
// layer's matrix can be drawn in prompt coordinates, so dense and reduced compare cell by cell.
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/attention/ImplicitAttention.h"
#include "core/model/ActivationProbe.h"
#include "core/model/Mamba2Model.h"
#include "core/reduction/TokenTrace.h"

namespace ssmlens {

struct PassKernels {
    int64_t promptLength = 0;                      // T, tokens of the original prompt
    std::vector<SsmKernel> layers;                 // per layer, over the tokens entering it
    std::vector<std::vector<int64_t>> positions;   // per layer: the original position of each of those tokens

    int64_t layerCount() const { return static_cast<int64_t>(layers.size()); }
    // M of one layer in prompt coordinates: [.., T, T] fp32 on the kernels' device, NaN in the rows and columns
    // of tokens absent from the layer. Throws ssmlens::Error for a layer out of range.
    at::Tensor promptAttention(int64_t layer, const AttentionSelection& selection = {},
                               const AttentionTiling& tiling = {}) const;
};

// The hook points a recorder needs for PassKernels: hook_B, hook_C, hook_delta and hook_A of every layer.
std::set<std::pair<int64_t, HookPoint>> ssmKernelHookPoints(int64_t layers);

// From a recorder that recorded ssmKernelHookPoints during a pass over ONE sequence of promptLength tokens.
// trace: the pass's token trace when a reduction hook ran (null for the dense pass). Throws ssmlens::Error when
// the recorded lengths do not match the positions the trace gives.
PassKernels passKernelsFrom(const ActivationRecorder& recorder, int64_t layers, int64_t promptLength,
                            const TokenTrace* trace = nullptr);

// Runs the dense pass of one prompt and keeps its kernels (on the model's device, fp32).
PassKernels recordDensePass(const Mamba2Model& model, const std::vector<int64_t>& ids);

// The original positions present at one layer of a trace (fate not gone), ascending.
std::vector<int64_t> positionsPresent(const LayerTrace& layer);

}  // namespace ssmlens
