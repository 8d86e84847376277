#include "core/attention/AttentionSummaries.h"

#include <chrono>

#include <ATen/ATen.h>

#include "core/Error.h"
#include "core/attention/AttentionRollout.h"

namespace ssmlens {
namespace {

std::vector<float> toFloats(const at::Tensor& t) {
    const at::Tensor c = t.to(at::kCPU, at::kFloat).contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

AttentionMatrix toMatrix(const at::Tensor& t) {
    AttentionMatrix m;
    m.size = t.size(-1);
    m.values = toFloats(t);
    return m;
}

}  // namespace

std::vector<at::Tensor> normalizedMeanAttention(const PassKernels& pass) {
    std::vector<at::Tensor> out;
    out.reserve(pass.layers.size());
    for (int64_t l = 0; l < pass.layerCount(); ++l)
        out.push_back(pass.promptAttention(l, {-1, HeadAggregate::Mean, /*normalizeRows=*/true}));
    return out;
}

void addAttentionToTrace(TokenTrace& trace, const PassKernels& dense, const PassKernels& reduced) {
    if (static_cast<int64_t>(trace.layers.size()) != reduced.layerCount() || trace.length != reduced.promptLength ||
        dense.promptLength != reduced.promptLength || dense.layerCount() != reduced.layerCount())
        throw Error("the trace and the passes' kernels describe different prompts or models");
    const std::vector<at::Tensor> reducedRows = normalizedMeanAttention(reduced);
    for (size_t l = 0; l < reducedRows.size(); ++l)
        trace.layers[l].attentionReceived = toFloats(attentionReceived(reducedRows[l]));
    trace.attributionReduced = toFloats(attentionRollout(reducedRows, &trace).attribution);
    trace.attributionDense = toFloats(attentionRollout(normalizedMeanAttention(dense), nullptr).attribution);
}

LayerAttention layerAttentionOf(const PassKernels& dense, const PassKernels* reduced, int64_t layer,
                                const AttentionSelection& selection) {
    if (selection.head < 0 && selection.aggregate == HeadAggregate::None)
        throw Error("the Attention view shows one head or an aggregate over heads, not all heads at once");
    const auto start = std::chrono::steady_clock::now();
    const AttentionSelection readShares{-1, HeadAggregate::Mean, /*normalizeRows=*/true};
    LayerAttention out;
    out.layer = layer;
    out.selection = selection;
    out.heads = layer >= 0 && layer < dense.layerCount() ? dense.layers[layer].heads() : 0;
    auto one = [&](const PassKernels& pass, AttentionMatrix& matrix, std::vector<float>& received) {
        const at::Tensor m = pass.promptAttention(layer, selection);
        matrix = toMatrix(m);
        received = toFloats(attentionReceived(selection == readShares ? m : pass.promptAttention(layer, readShares)));
    };
    one(dense, out.dense, out.receivedDense);
    if (reduced) one(*reduced, out.reduced, out.receivedReduced);
    out.computeMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return out;
}

}  // namespace ssmlens
