#include "core/reduction/ReferenceReduction.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <ATen/ATen.h>

// What the reference does at one anchor (wuyushuwys/ToR_SSM, src/pom/), in our words; the step numbers are
// used in the comments below. docs/utr-reference.md has the long version.
//  R1 (modules/mamba_wrap.py, PoMMamba.forward): after the wrapped block, metric features = the block's
//     hidden output, clamped at zero when metrics == "clip", raw otherwise. num_keep_node = ceil(N q).
//     The hidden stream goes through pom.py `hybrid`, the residual through pom.py `merge_only` (defaults of
//     src/mamba_eval.py), each with the same features, so both derive the same index structure.
//  R2 (modules/tome.py, bipartite_hybrid_pure / _merge / _prune, matching part, identical in the three):
//     r = min(N - num_keep_node, N // 2); nothing happens when r <= 0. Features are L2-normalised per token,
//     then sorted in descending order along the token axis, each channel on its own, so row i of the sorted
//     matrix holds the i-th largest value of every channel and is in general no token at all. Rows
//     [0, N//2) form the destination side b, rows [N//2, N) the candidate side a. Dot products a @ b^T;
//     for every a-row its best b-row (node_idx) and score (node_max). a-rows are ranked by node_max,
//     descending; the first r are the sources. The source list is then sorted ascending, but the list of
//     their destinations (node_idx of the same r rows) stays in the ranking order, so the i-th smallest
//     source row is paired with the destination of the i-th best-scoring row.
//  R3 (same functions, merge part): the sequence itself is split by position: even positions are the
//     candidate side, odd positions the destination side (x[::2], x[1::2]). The row numbers of R2 are used
//     as indices into these: a-row i means position 2i, b-row j means position 2j + 1.
//  R4 (tome.py merge_wavg, called with no size): every token weighs 1, at every anchor. Numerator = the
//     merge applied to x, denominator = the same merge applied to a tensor of ones, result = ratio.
//     Residual (merge_only): every source row is summed into its destination, and so is its 1: a plain
//     average. Hidden (hybrid): per channel, only the k = r // 2 largest source values (top-k over the r
//     sources, not per destination) are summed in; the denominator goes through the same code, a top-k over
//     a tensor of ones, which keeps the first k sources (CUDA's top-k keeps the first of equal values) and
//     adds their 1 to *their* destinations whatever channel values were merged: numerator and denominator
//     disagree as soon as the sources feed more than one destination.
//  R5 (pom.py, unmerge then the filter when preserve_length is false): tokens are put back at their
//     positions (kept even positions and every odd one), removed positions left zero, then every all-zero
//     row is dropped. Survivors therefore come out in their original order.
namespace ssmlens {
namespace {

at::Tensor descendingStableOrder(const at::Tensor& key) {
    return std::get<1>(at::sort(key, /*stable=*/true, /*dim=*/0, /*descending=*/true));
}

}  // namespace

int64_t referenceKeptTokenCount(int64_t n, double keepRatio) {
    // R1/R2: ceil(N q) in double precision, exactly as Python's math.ceil(N * q) (so q = 0.55, N = 100 keeps
    // 56, where keptTokenCount's rounding tolerance keeps 55), then at most floor(N / 2) removed.
    const int64_t keepAsked = static_cast<int64_t>(std::ceil(static_cast<double>(n) * keepRatio));
    const int64_t r = std::max<int64_t>(0, std::min(n - keepAsked, n / 2));
    return n - r;
}

ReductionStepResult reduceTokensLikeReference(const ReductionStepInput& in, const ReductionRecipe& recipe) {
    const int64_t N = in.hidden.size(0);
    const auto dev = in.hidden.device();
    const auto longOpts = at::TensorOptions().dtype(at::kLong).device(dev);
    at::Tensor h = in.hidden.to(at::kFloat), res = in.residual.to(at::kFloat), size = in.sizes.to(dev, at::kFloat);
    const int64_t r = N - referenceKeptTokenCount(N, in.keepRatio);

    at::Tensor importance = tokenImportance(h, recipe.metric);  // reported only: the reference's hybrid and
                                                                // merge never read its token score
    at::Tensor inB = at::zeros({N}, longOpts.dtype(at::kBool));
    at::Tensor match = at::full({N}, -1, longOpts), cosine = at::zeros({N}, h.options());
    at::Tensor fate = at::zeros({N}, longOpts), destination = at::full({N}, -1, longOpts);
    at::Tensor mergedFraction = at::zeros({N}, h.options());
    at::Tensor removed = at::empty({0}, longOpts);

    // r <= 0: the reference returns before computing any split or match, and the tensors pass unchanged.
    if (r > 0) {
        const int64_t nOdd = N / 2, nEven = N - nOdd;
        // R2: features, per-token normalisation (the reference divides by the norm as is, so an all-zero
        // feature row gives NaN there; we give it zero features instead), then each channel sorted alone.
        at::Tensor f = recipe.metric == ImportanceMetric::Clip ? at::relu(h) : h;
        f = f / f.norm(2, 1, true).clamp_min(std::numeric_limits<float>::min());
        at::Tensor sorted = std::get<0>(at::sort(f, /*dim=*/0, /*descending=*/true));
        at::Tensor bRows = sorted.narrow(0, 0, nOdd), aRows = sorted.narrow(0, nOdd, nEven);
        auto best = at::matmul(aRows, bRows.t()).max(1);  // ties: the first maximal b-row
        at::Tensor nodeMax = std::get<0>(best), nodeIdx = std::get<1>(best);
        // Sources: the r best-scoring a-rows (ties to the lower row: the reference's argsort leaves them
        // unspecified), sorted ascending; their destinations stay in the ranking order (the pairing quirk).
        at::Tensor ranked = descendingStableOrder(nodeMax).narrow(0, 0, r);
        at::Tensor srcRow = std::get<0>(at::sort(ranked));
        at::Tensor dstRow = nodeIdx.index_select(0, ranked);
        // R3: a-row i is position 2i, b-row j is position 2j + 1.
        at::Tensor evenPos = at::arange(nEven, longOpts) * 2, oddPos = at::arange(nOdd, longOpts) * 2 + 1;
        inB.index_fill_(0, oddPos, true);
        // Per-token trace: what the first step matched each even position with (as the merge step reads the
        // row numbers), and the score of that match; a dot product of sorted rows, not a token cosine.
        match.index_copy_(0, evenPos, nodeIdx * 2 + 1);
        cosine.index_copy_(0, evenPos, nodeMax);
        removed = srcRow * 2;
        at::Tensor dst = dstRow * 2 + 1;  // where each removed token's values actually go (slot by slot)

        // R4, residual stream: merge_only = every source summed into its paired destination, each weighing
        // 1, denominator 1 + (number of sources paired with it); prune_only leaves the destinations as they
        // are. in.sizes plays no part (the reference has no sizes across anchors).
        at::Tensor ones = at::ones({r}, h.options());
        if (recipe.residual == ResidualStrategy::Merge) {
            at::Tensor num = res.index_add(0, dst, res.index_select(0, removed));
            at::Tensor den = at::ones({N}, h.options()).index_add_(0, dst, ones);
            res = num / den.unsqueeze(1);
        }
        // R4, hidden stream.
        if (recipe.hidden == HiddenStrategy::Hybrid) {
            // Numerator: per channel, the k = floor(r / 2) largest source values (over all r sources, ties to
            // the lower position as CUDA's top-k does); with r = 1, k = 0 and nothing is merged.
            // Denominator: the top-k of a tensor of ones = the first k source slots (lowest positions), each
            // adding 1 to the destination it is paired with, whichever values were merged.
            const int64_t k = r / 2;
            at::Tensor srcH = h.index_select(0, removed);
            at::Tensor chosen = at::zeros_like(srcH);
            if (k > 0) {
                at::Tensor topk = std::get<1>(at::sort(srcH, /*stable=*/true, /*dim=*/0, /*descending=*/true)).narrow(0, 0, k);
                chosen.scatter_(0, topk, 1.0);
            }
            at::Tensor num = h.index_add(0, dst, srcH * chosen);
            at::Tensor den = at::ones({N}, h.options()).index_add_(0, dst.narrow(0, 0, k), ones.narrow(0, 0, k));
            h = num / den.unsqueeze(1);
            mergedFraction.index_copy_(0, removed, chosen.mean(1));
        } else if (recipe.hidden == HiddenStrategy::Merge) {
            at::Tensor num = h.index_add(0, dst, h.index_select(0, removed));
            at::Tensor den = at::ones({N}, h.options()).index_add_(0, dst, ones);
            h = num / den.unsqueeze(1);
            mergedFraction.index_fill_(0, removed, 1.0);
        }  // Prune (prune_only): destinations unchanged, sources dropped.

        // Bookkeeping in our terms (the reference keeps none): sizes and fates follow reduceTokens, with the
        // destination each removed token's values actually went to.
        if (recipe.residual == ResidualStrategy::Merge) size = size.index_add(0, dst, size.index_select(0, removed));
        at::Tensor merged = recipe.residual == ResidualStrategy::Merge ? at::ones({r}, longOpts.dtype(at::kBool))
                                                                       : mergedFraction.index_select(0, removed) > 0;
        fate.index_copy_(0, removed, at::where(merged, at::full({}, int64_t(FateMerged), longOpts),
                                               at::full({}, int64_t(FatePruned), longOpts)));
        destination.index_copy_(0, removed, at::where(merged, dst, at::full({}, int64_t(-1), longOpts)));
    }

    // R5: survivors in their original order (the reference writes every token back at its position before
    // dropping the removed rows; it finds them as all-zero rows, so a surviving row that is exactly zero
    // would break its reshape, where we select by index).
    return finishReductionStep(h, res, size, in.hidden.scalar_type(), removed,
                               {importance, inB, match, cosine, fate, destination, mergedFraction});
}

}  // namespace ssmlens
