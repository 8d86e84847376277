#include "core/reduction/PositionalReduction.h"

#include <algorithm>
#include <vector>

#include <ATen/ATen.h>

namespace ssmlens {

ReductionStepResult reduceTokensByPosition(const ReductionStepInput& in, const ReductionRecipe& recipe) {
    const int64_t N = in.hidden.size(0);
    const auto dev = in.hidden.device();
    const auto longOpts = at::TensorOptions().dtype(at::kLong).device(dev);
    // The choice is made on the host from positions and protection alone.
    const at::Tensor protCpu = recipe.protectPositions ? in.protect.to(at::kCPU, at::kBool).contiguous()
                                                       : at::zeros({N}, at::TensorOptions().dtype(at::kBool));
    const bool* isProtected = protCpu.data_ptr<bool>();
    int64_t nProtected = 0;
    std::vector<int64_t> candidates;  // A, ascending
    for (int64_t i = 0; i < N; ++i) {
        nProtected += isProtected[i];
        if (i > 0 && !isProtected[i]) candidates.push_back(i);
    }
    const int64_t keep = std::max({keptTokenCount(N, in.keepRatio), (N + 1) / 2, nProtected});
    const int64_t r = std::max<int64_t>(0, std::min<int64_t>(N - keep, static_cast<int64_t>(candidates.size())));

    at::Tensor h = in.hidden.to(at::kFloat), res = in.residual.to(at::kFloat), size = in.sizes.to(dev, at::kFloat);
    const at::Tensor importance = tokenImportance(h, recipe.metric);
    at::Tensor inB = at::zeros({N}, longOpts.dtype(at::kBool));
    at::Tensor match = at::full({N}, -1, longOpts), cosine = at::zeros({N}, h.options());
    at::Tensor fate = at::zeros({N}, longOpts), destination = at::full({N}, -1, longOpts);
    at::Tensor mergedFraction = at::zeros({N}, h.options());
    at::Tensor removed = at::empty({0}, longOpts);
    if (N > 0) inB.index_fill_(0, at::zeros({1}, longOpts), true);
    if (!candidates.empty()) {
        // For the views: every candidate's only possible destination is position 0; its cosine there.
        const at::Tensor a = at::tensor(candidates, at::kLong).to(dev);
        at::Tensor f = recipe.clippedFeatures ? at::relu(h) : h;
        f = f / f.norm(2, 1, true).clamp_min(1e-12);
        match.index_fill_(0, a, 0);
        cosine.index_copy_(0, a, at::matmul(f.index_select(0, a), f[0]));
    }
    if (r > 0) {
        removed = at::tensor(std::vector<int64_t>(candidates.begin(), candidates.begin() + r), at::kLong).to(dev);
        const at::Tensor w = size.index_select(0, removed).unsqueeze(1);   // [r, 1]
        const at::Tensor s0 = size.narrow(0, 0, 1).unsqueeze(1);           // [1, 1]
        const at::Tensor total = s0 + w.sum(0, /*keepdim=*/true);           // [1, 1]
        auto mergedFirst = [&](const at::Tensor& x) {                      // [1, D]
            return (s0 * x.narrow(0, 0, 1) + (w * x.index_select(0, removed)).sum(0, /*keepdim=*/true)) / total;
        };
        const at::Tensor first = at::zeros({1}, longOpts);
        // Both streams merge (the method's recipe fixes merge for each; the options do not apply).
        res = res.clone().index_copy_(0, first, mergedFirst(res));
        h = h.clone().index_copy_(0, first, mergedFirst(h));
        mergedFraction.index_fill_(0, removed, 1.0);
        size = size.clone().index_copy_(0, first, total.view({1}));
        fate.index_fill_(0, removed, int64_t(FateMerged));
        destination.index_fill_(0, removed, 0);
    }
    return finishReductionStep(h, res, size, in.hidden.scalar_type(), removed,
                               {importance, inB, match, cosine, fate, destination, mergedFraction});
}

}  // namespace ssmlens
