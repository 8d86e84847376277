#pragma once
// What the trace and the views carry of a prompt's implicit attention, computed from the kernels of its dense and
// reduced passes: the attention fields of a TokenTrace (LayerTrace::attentionReceived, TokenTrace::attributionDense
// and attributionReduced; the trace JSON, docs/trace-format.md) and a layer's matrices for the Attention view.
#include "core/attention/LayerAttention.h"
#include "core/attention/PassKernels.h"
#include "core/reduction/TokenTrace.h"

namespace ssmlens {

// Per layer l of the reduced pass, N_l = the mean over heads of its row-normalised |M| in prompt coordinates.
// Its column sums are trace.layers[l].attentionReceived; the rollout (core/attention/AttentionRollout.h) of the
// reduced pass gives attributionReduced, that of the dense pass attributionDense. trace: the reduced pass's.
void addAttentionToTrace(TokenTrace& trace, const PassKernels& dense, const PassKernels& reduced);

// N_l of every layer of one pass: [T, T] each, on the kernels' device.
std::vector<at::Tensor> normalizedMeanAttention(const PassKernels& pass);

// One layer for the Attention view: the selection of the dense pass's M and of the reduced pass's (null: none) in
// prompt coordinates, and the attention each token receives in each, copied to the host. What the view does on a
// layer change; computeMs says how long it took (waiting for the device).
LayerAttention layerAttentionOf(const PassKernels& dense, const PassKernels* reduced, int64_t layer,
                                const AttentionSelection& selection);

}  // namespace ssmlens
