#include "core/reduction/TokenReducer.h"

#include "core/reduction/ReferenceReduction.h"

#include <cmath>
#include <limits>

#include <ATen/ATen.h>

namespace ssmlens {
namespace {

at::Tensor descendingStableOrder(const at::Tensor& key) {
    return std::get<1>(at::sort(key, /*stable=*/true, /*dim=*/0, /*descending=*/true));
}

// Hybrid prune/merge (docs/token-reduction.md, step 5). `values` [k, C] ranks the removed tokens (rows, in
// ascending position) within each destination group, separately for each of the C columns: C = D channels
// in channel mode, C = 1 (importance) in token mode. Rounding rule: with j removed tokens matched to the
// same destination, the floor(j/2) with the largest values are merged and the rest pruned; a lone match
// (j = 1) is merged. Returns chosen [k, C] bool.
at::Tensor hybridMergeChoice(const at::Tensor& values, const at::Tensor& dst, int64_t n) {
    const int64_t k = values.size(0), C = values.size(1);
    at::Tensor counts = at::bincount(dst, {}, n);                // [N]
    at::Tensor groupStart = at::cumsum(counts, 0) - counts;      // first slot of each destination's group
    at::Tensor j = counts.index_select(0, dst);                  // [k] tokens sharing my destination
    at::Tensor limit = at::where(j == 1, at::ones_like(j), at::floor_divide(j, 2));
    // Sort each column by value (descending, ties to the lower position), then stably by destination:
    // each destination's tokens end up contiguous and still ordered by value.
    at::Tensor byValue = std::get<1>(at::sort(values, /*stable=*/true, /*dim=*/0, /*descending=*/true));
    at::Tensor dstByValue = dst.index_select(0, byValue.reshape(-1)).view({k, C});
    at::Tensor byDst = std::get<1>(at::sort(dstByValue, /*stable=*/true, /*dim=*/0, /*descending=*/false));
    at::Tensor row = byValue.gather(0, byDst);        // [k, C] removed-token index at each sorted slot
    at::Tensor rowDst = dstByValue.gather(0, byDst);  // its destination
    at::Tensor slot = at::arange(k, dst.options()).unsqueeze(1);
    at::Tensor rank = slot - groupStart.index_select(0, rowDst.reshape(-1)).view({k, C});
    at::Tensor chosenSorted = rank < limit.index_select(0, row.reshape(-1)).view({k, C});
    return at::zeros({k, C}, values.options().dtype(at::kBool)).scatter_(0, row, chosenSorted);
}

// Size-weighted merge of removed rows into their destinations; `weight` [k, 1] or [k, D] zero where a
// removed token does not take part (pruned in that channel).
at::Tensor weightedMerge(const at::Tensor& x, const at::Tensor& size, const at::Tensor& rem, const at::Tensor& dst,
                         const at::Tensor& weight) {
    at::Tensor num = x * size.unsqueeze(1);
    num.index_add_(0, dst, x.index_select(0, rem) * weight);
    at::Tensor den = size.unsqueeze(1).expand({x.size(0), weight.size(1)}).clone();
    den.index_add_(0, dst, weight);
    return num / den;
}

}  // namespace

at::Tensor tokenImportance(const at::Tensor& hidden, ImportanceMetric metric) {
    at::Tensor h = hidden.to(at::kFloat);
    switch (metric) {
        case ImportanceMetric::Clip: return at::relu(h).sum(-1);
        case ImportanceMetric::Raw: return h.sum(-1);
        case ImportanceMetric::L2: return h.norm(2, -1);
    }
    return h.sum(-1);
}

ReductionStepResult reduceTokens(const ReductionStepInput& in, const ReductionRecipe& recipe) {
    if (recipe.referenceQuirks) return reduceTokensLikeReference(in, recipe);
    // Written to run without waiting for the GPU: every size below is known on the host in advance (no
    // nonzero(), no item() on device tensors), and the per-token details come back in one copy at the end.
    const int64_t N = in.hidden.size(0);
    const auto dev = in.hidden.device();
    const auto longOpts = at::TensorOptions().dtype(at::kLong).device(dev);
    at::Tensor protCpu = recipe.protectPositions ? in.protect.to(at::kCPU, at::kBool)
                                                 : at::zeros({N}, at::TensorOptions().dtype(at::kBool));
    const int64_t nProtected = protCpu.sum().item<int64_t>();
    const int64_t keep = std::max(keptTokenCount(N, in.keepRatio), nProtected);
    at::Tensor prot = protCpu.to(dev);
    at::Tensor h = in.hidden.to(at::kFloat), r = in.residual.to(at::kFloat), size = in.sizes.to(dev, at::kFloat);

    at::Tensor importance = tokenImportance(h, recipe.metric);
    at::Tensor inB = at::zeros({N}, longOpts.dtype(at::kBool));
    at::Tensor match = at::full({N}, -1, longOpts), cosine = at::zeros({N}, h.options());
    at::Tensor fate = at::zeros({N}, longOpts), destination = at::full({N}, -1, longOpts);
    at::Tensor mergedFraction = at::zeros({N}, h.options());
    at::Tensor removed = at::empty({0}, longOpts);
    // Protected tokens rank above every other token in importance order.
    at::Tensor rankKey = at::where(prot, at::full({}, std::numeric_limits<float>::infinity(), h.options()), importance);

    if (recipe.split == SplitRule::ImportanceOnly) {
        at::Tensor order = descendingStableOrder(rankKey);
        inB.index_fill_(0, order.narrow(0, 0, keep), true);
        removed = std::get<0>(at::sort(order.narrow(0, keep, N - keep)));
        fate.index_fill_(0, removed, FatePruned);
    } else {
        at::Tensor A, B;
        if (recipe.split == SplitRule::ImportanceHalves) {
            const int64_t nB = std::max((N + 1) / 2, nProtected);
            at::Tensor order = descendingStableOrder(rankKey);
            B = std::get<0>(at::sort(order.narrow(0, 0, nB)));
            A = std::get<0>(at::sort(order.narrow(0, nB, N - nB)));
        } else {  // alternate positions: decided on the host from positions and protection alone
            at::Tensor bMask = (at::arange(N, at::kLong) % 2 == 1) | protCpu;
            B = at::nonzero(bMask).squeeze(1).to(dev);
            A = at::nonzero(bMask.logical_not()).squeeze(1).to(dev);
        }
        inB.index_fill_(0, B, true);
        const int64_t k = std::min(N - keep, A.size(0));
        if (A.size(0) > 0 && B.size(0) > 0) {
            // Step 3: best match in B by cosine of the (clipped) mixer output.
            at::Tensor f = recipe.clippedFeatures ? at::relu(h) : h;
            f = f / f.norm(2, 1, true).clamp_min(1e-12);
            auto best = at::matmul(f.index_select(0, A), f.index_select(0, B).t()).max(1);
            at::Tensor sigma = std::get<0>(best), bestB = B.index_select(0, std::get<1>(best));
            match.index_copy_(0, A, bestB);
            cosine.index_copy_(0, A, sigma);
            if (k > 0) {
                // Step 4: the k most similar tokens of A go; ties to the lower position.
                at::Tensor pick = std::get<0>(at::sort(descendingStableOrder(sigma).narrow(0, 0, k)));
                removed = A.index_select(0, pick);
                at::Tensor dst = bestB.index_select(0, pick);
                at::Tensor remSize = size.index_select(0, removed).unsqueeze(1);
                // Step 5: residual stream, then mixer output.
                at::Tensor newSize = size;
                if (recipe.residual == ResidualStrategy::Merge) {
                    r = weightedMerge(r, size, removed, dst, remSize);
                    newSize = size.index_add(0, dst, remSize.squeeze(1));
                }
                if (recipe.hidden != HiddenStrategy::Prune) {
                    at::Tensor chosen;
                    if (recipe.hidden == HiddenStrategy::Merge)
                        chosen = at::ones({k, 1}, h.options().dtype(at::kBool));
                    else if (recipe.granularity == Granularity::Channel)
                        chosen = hybridMergeChoice(h.index_select(0, removed), dst, N);
                    else
                        chosen = hybridMergeChoice(importance.index_select(0, removed).unsqueeze(1), dst, N);
                    h = weightedMerge(h, size, removed, dst, chosen.to(at::kFloat) * remSize);
                    mergedFraction.index_copy_(0, removed, chosen.to(at::kFloat).mean(1));
                }
                size = newSize;
                at::Tensor merged = recipe.residual == ResidualStrategy::Merge
                                        ? at::ones({k}, longOpts.dtype(at::kBool))
                                        : mergedFraction.index_select(0, removed) > 0;
                fate.index_copy_(0, removed, at::where(merged, at::full({}, int64_t(FateMerged), longOpts),
                                                       at::full({}, int64_t(FatePruned), longOpts)));
                destination.index_copy_(0, removed, at::where(merged, dst, at::full({}, int64_t(-1), longOpts)));
            }
        }
    }
    return finishReductionStep(h, r, size, in.hidden.scalar_type(), removed,
                               {importance, inB, match, cosine, fate, destination, mergedFraction});
}

ReductionStepResult finishReductionStep(const at::Tensor& h, const at::Tensor& r, const at::Tensor& size,
                                        at::ScalarType hiddenType, const at::Tensor& removed,
                                        const ReductionStepDetails& d) {
    const int64_t N = h.size(0), nRemoved = removed.size(0);
    at::Tensor removedMask = at::zeros({N}, removed.options().dtype(at::kBool)).index_fill_(0, removed, true);
    // Stable sort of the mask puts the survivors first, in order; their count is known.
    at::Tensor keptDev = std::get<0>(at::sort(
        std::get<1>(at::sort(removedMask.to(at::kByte), c10::optional<bool>(true), 0, false)).narrow(0, 0, N - nRemoved)));
    ReductionStepResult out;
    out.hidden = h.index_select(0, keptDev).to(hiddenType);
    out.residual = r.index_select(0, keptDev);
    out.sizes = size.index_select(0, keptDev);
    at::Tensor details = at::stack({d.importance.to(at::kDouble), d.inB.to(at::kDouble), d.match.to(at::kDouble),
                                    d.matchCosine.to(at::kDouble), d.fate.to(at::kDouble), d.destination.to(at::kDouble),
                                    d.mergedFraction.to(at::kDouble), removedMask.to(at::kDouble)})
                             .to(at::kCPU);
    out.importance = details[0].to(at::kFloat);
    out.inB = details[1].to(at::kBool);
    out.match = details[2].to(at::kLong);
    out.matchCosine = details[3].to(at::kFloat);
    out.fate = details[4].to(at::kChar);
    out.destination = details[5].to(at::kLong);
    out.mergedFraction = details[6].to(at::kFloat);
    out.kept = at::nonzero(details[7] == 0).squeeze(1);
    return out;
}

}  // namespace ssmlens
