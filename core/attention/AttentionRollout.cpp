#include "core/attention/AttentionRollout.h"

#include <ATen/ATen.h>

#include "core/Error.h"
#include "core/reduction/TokenTrace.h"  // TokenFate

namespace ssmlens {
namespace {

// v Â_l with Â_l = 0.5 N_l + 0.5 I: v [T] is the attribution over the tokens leaving layer l (0 elsewhere), N_l with
// NaN in absent rows and columns (read as 0).
at::Tensor throughLayer(const at::Tensor& v, const at::Tensor& normalized) {
    return at::matmul(v, at::nan_to_num(normalized, 0.0)).mul_(0.5).add_(v, 0.5);
}

}  // namespace

at::Tensor reductionMap(const LayerTrace& anchor, std::vector<double>& sizes) {
    const int64_t T = static_cast<int64_t>(anchor.fate.size());
    if (static_cast<int64_t>(sizes.size()) != T || static_cast<int64_t>(anchor.destination.size()) != T)
        throw Error("reductionMap: the trace's arrays and the sizes differ in length");
    at::Tensor map = at::zeros({T, T}, at::kDouble);
    auto m = map.accessor<double, 2>();
    std::vector<double> after = sizes;
    for (int64_t p = 0; p < T; ++p) {
        const int8_t fate = anchor.fate[p];
        if (fate == FateGone) continue;
        if (fate == FateMerged) {
            const int64_t d = anchor.destination[p];
            if (d < 0 || d >= T || anchor.fate[d] != FateKept)
                throw Error("layer " + std::to_string(anchor.layer) + ": position " + std::to_string(p) +
                            " merges into a position that does not survive");
            m[d][p] = sizes[p];
            after[d] += sizes[p];
            after[p] = 0;
        } else if (fate == FateKept) {  // kept: itself (plus what merges into it, above)
            m[p][p] = sizes[p];
        } else {  // pruned
            after[p] = 0;
        }
    }
    for (int64_t b = 0; b < T; ++b)
        if (after[b] > 0)
            for (int64_t p = 0; p < T; ++p) m[b][p] /= after[b];
    sizes = after;
    return map;
}

AttentionRolloutResult attentionRollout(const std::vector<at::Tensor>& normalizedLayers, const TokenTrace* trace,
                                        bool perLayer) {
    const int64_t L = static_cast<int64_t>(normalizedLayers.size());
    if (L == 0) throw Error("attention rollout: no layers");
    const int64_t T = normalizedLayers[0].size(-1);
    for (const auto& n : normalizedLayers)
        if (n.dim() != 2 || n.size(0) != T || n.size(1) != T)
            throw Error("attention rollout: every layer's matrix must be [T, T] in prompt coordinates");
    if (trace && (static_cast<int64_t>(trace->layers.size()) != L || trace->length != T))
        throw Error("attention rollout: the token trace does not match the layers");

    // The anchors' maps, input side first (sizes: the original tokens each position stands for).
    const at::TensorOptions options = normalizedLayers[0].options().dtype(at::kFloat);
    std::vector<at::Tensor> reduce(L);
    std::vector<double> sizes(T, 1.0);
    for (int64_t l = 0; l < L; ++l)
        if (trace && trace->layers[l].anchor) reduce[l] = reductionMap(trace->layers[l], sizes).to(options);
    // The last position survives every anchor (it is protected), so the prediction is read there.
    const int64_t last = T - 1;
    auto chainFrom = [&](int64_t top) {  // e_last through layers top..0: [T] on the CPU
        at::Tensor v = at::zeros({T}, options);
        v[last] = 1.0;
        for (int64_t l = top; l >= 0; --l) {
            if (reduce[l].defined()) v = at::matmul(v, reduce[l]);
            v = throughLayer(v, normalizedLayers[l].to(at::kFloat));
        }
        return v.to(at::kCPU);
    };
    AttentionRolloutResult r;
    r.attribution = chainFrom(L - 1);
    if (perLayer) {
        std::vector<at::Tensor> rows;
        for (int64_t l = 0; l < L; ++l) rows.push_back(l == L - 1 ? r.attribution : chainFrom(l));
        r.perLayer = at::stack(rows);
    }
    return r;
}

}  // namespace ssmlens
