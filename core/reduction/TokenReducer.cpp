#include "core/reduction/TokenReducer.h"

#include "core/Error.h"
#include "core/reduction/PositionalReduction.h"
#include "core/reduction/ReductionCounts.h"
#include "core/reduction/ReferenceReduction.h"
#include "core/runtime/DeviceUpload.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include <ATen/ATen.h>

#ifdef SSMLENS_FUSED_CUDA
#include "core/cuda/FusedReduction.h"
#include "core/runtime/KernelPaths.h"
#endif

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
    // counts by index_add, not bincount: CUDA's bincount reads dst.max() back to the host (a sync).
    at::Tensor counts = at::zeros({n}, dst.options()).index_add_(0, dst, at::ones_like(dst));  // [N]
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

// base[dst[i]] += rows[i], in a fixed order. index_put_ with accumulate sorts the indices stably on CUDA and
// adds each destination's rows in index order; index_add_ there uses unordered atomics once there are more
// than a few indices (a batch has hundreds), so two runs could round fp32 sums differently and flip a near
// tie at a later anchor. On the CPU both add in index order, so the results there are unchanged.
at::Tensor addRowsInOrder(at::Tensor base, const at::Tensor& dst, const at::Tensor& rows) {
    c10::List<c10::optional<at::Tensor>> index;
    index.push_back(dst);
    return base.index_put_(index, rows, /*accumulate=*/true);
}

// Size-weighted merge of removed rows into their destinations; `weight` [k, 1] or [k, D] zero where a
// removed token does not take part (pruned in that channel). Rows that receive nothing stay as they are
// (bit for bit: x * size / size need not round back to x); `isDestination` [n, 1] marks the others.
at::Tensor weightedMerge(const at::Tensor& x, const at::Tensor& size, const at::Tensor& rem, const at::Tensor& dst,
                         const at::Tensor& weight, const at::Tensor& isDestination) {
    at::Tensor num = x * size.unsqueeze(1);
    addRowsInOrder(num, dst, x.index_select(0, rem) * weight);
    at::Tensor den = size.unsqueeze(1).expand({x.size(0), weight.size(1)}).clone();
    addRowsInOrder(den, dst, weight);
    return at::where(isDestination, num / den, x);
}

// Step 5 (docs/token-reduction.md) on flat streams [n, D]: the removed rows go into their destinations
// dst. The residual is merged with the sizes as weights (when the recipe merges it) and the sizes add up;
// the mixer output is merged in all channels, none, or the ones the hybrid rule picks (per channel, or per
// token by importance); rows that receive nothing are left as they are. Returns the new streams and sizes and,
// per removed token, the share of mixer-output channels merged (undefined when the recipe prunes h).
struct MergedRows {
    at::Tensor hidden, residual, sizes, mergedShare;
};

MergedRows mergeRemovedRows(const at::Tensor& h, const at::Tensor& r, const at::Tensor& size,
                            const at::Tensor& importance, const at::Tensor& removed,
                            const at::Tensor& dst, const ReductionRecipe& recipe) {
    const int64_t n = h.size(0), k = removed.size(0);
    MergedRows out{h, r, size, {}};
    const at::Tensor remSize = size.index_select(0, removed).unsqueeze(1);
    const at::Tensor isDestination =
        at::zeros({n, 1}, dst.options().dtype(at::kBool)).index_fill_(0, dst, true);
    if (recipe.residual == ResidualStrategy::Merge) {
        out.residual = weightedMerge(r, size, removed, dst, remSize, isDestination);
        out.sizes = addRowsInOrder(size.clone(), dst, remSize.squeeze(1));
    }
    if (recipe.hidden != HiddenStrategy::Prune) {
        at::Tensor chosen;
        if (recipe.hidden == HiddenStrategy::Merge)
            chosen = at::ones({k, 1}, h.options().dtype(at::kBool));
        else if (recipe.granularity == Granularity::Channel)
            chosen = hybridMergeChoice(h.index_select(0, removed), dst, n);
        else
            chosen = hybridMergeChoice(importance.index_select(0, removed).unsqueeze(1), dst, n);
        out.hidden = weightedMerge(h, size, removed, dst, chosen.to(at::kFloat) * remSize, isDestination);
        out.mergedShare = chosen.to(at::kFloat).mean(1);
    }
    return out;
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
    if (recipe.split == SplitRule::OldestAfterFirst) return reduceTokensByPosition(in, recipe);
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
                MergedRows m = mergeRemovedRows(h, r, size, importance, removed, dst, recipe);
                h = m.hidden;
                r = m.residual;
                size = m.sizes;
                if (recipe.hidden != HiddenStrategy::Prune) mergedFraction.index_copy_(0, removed, m.mergedShare);
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

namespace {

// Marks the first count[b] entries of each row's stable descending order of `key` [B, M] (ties to the
// lower row), as a [B, M] bool mask in row coordinates.
at::Tensor firstInDescendingOrder(const at::Tensor& key, const at::Tensor& count) {
    const int64_t M = key.size(1);
    at::Tensor order = std::get<1>(at::sort(key, /*stable=*/true, /*dim=*/1, /*descending=*/true));
    at::Tensor flag = at::arange(M, order.options()).unsqueeze(0) < count.unsqueeze(1);  // in sorted order
    return at::zeros_like(flag).scatter_(1, order, flag);
}

// The rows of each sequence where `mask` [B, M] is true, ascending, as a [B, width] list; entries past
// count[b] hold M (no row). A stable sort finds them, since the counts are known on the host.
at::Tensor rowList(const at::Tensor& mask, const at::Tensor& count, int64_t width) {
    const int64_t M = mask.size(1);
    at::Tensor rows = std::get<1>(at::sort(mask.to(at::kByte), /*stable=*/true, /*dim=*/1, /*descending=*/true))
                          .narrow(1, 0, width);
    const at::Tensor listed = at::arange(width, rows.options()).unsqueeze(0) < count.unsqueeze(1);
    return at::where(listed, rows, at::full({}, M, rows.options()));
}

// Step 3 for every sequence: each token of A (listed in aRows [B, nA]) gets its best match among the
// tokens of B (bRows [B, nB]) by the cosine of the rows of g [B, M, D] (norm [B, M, 1]: their norms). Returns
// the cosine and the matched row, [B, nA] each; entries for unlisted A slots are meaningless. As in
// reduceTokens, the similarity is the matrix f[A] f[B]^T, the best match the first maximal column (the
// lower position); the matrices are formed a group of sequences at a time to bound memory.
std::pair<at::Tensor, at::Tensor> bestMatches(const at::Tensor& g, const at::Tensor& norm, const at::Tensor& aRows,
                                              const at::Tensor& bRows) {
    const int64_t B = g.size(0), M = g.size(1), D = g.size(2), nA = aRows.size(1), nB = bRows.size(1);
    // Normalised features f = g / norm, formed for the listed rows only (the same elementwise division).
    // Unlisted slots read the sequence's last row: their results are masked (B) or dropped (A).
    const at::Tensor gFlat = g.reshape({B * M, D}), normFlat = norm.reshape({B * M, 1});
    const at::Tensor base = at::arange(B, aRows.options()).unsqueeze(1) * M;
    auto features = [&](const at::Tensor& rows, int64_t width) {
        const at::Tensor index = (rows.clamp_max(M - 1) + base).reshape(-1);
        return (gFlat.index_select(0, index) / normFlat.index_select(0, index)).view({B, width, D});
    };
    const at::Tensor fA = features(aRows, nA), fB = features(bRows, nB);
    constexpr int64_t kMaxSimilarityElements = int64_t(1) << 26;  // 256 MiB of fp32 per group
    const int64_t group = std::max<int64_t>(1, kMaxSimilarityElements / std::max<int64_t>(1, nA * nB));
    const at::Tensor unlistedB = (bRows == M).unsqueeze(1);  // [B, 1, nB]
    std::vector<at::Tensor> values, indices;
    for (int64_t b0 = 0; b0 < B; b0 += group) {
        const int64_t count = std::min(group, B - b0);
        at::Tensor sim = at::bmm(fA.narrow(0, b0, count), fB.narrow(0, b0, count).transpose(1, 2))
                             .masked_fill_(unlistedB.narrow(0, b0, count), -std::numeric_limits<float>::infinity());
        auto best = sim.max(2);
        values.push_back(std::get<0>(best));
        indices.push_back(std::get<1>(best));
    }
    const at::Tensor value = values.size() == 1 ? values[0] : at::cat(values);
    const at::Tensor index = indices.size() == 1 ? indices[0] : at::cat(indices);
    return {value, bRows.gather(1, index)};
}

// reduceTokens on every sequence, the results laid out as a batch (one sequence, or UtrReference). The
// per-token details and `kept` stay on the host, where reduceTokens returns them.
BatchReductionResult reduceTokensBySequence(const BatchReductionInput& in, const ReductionRecipe& recipe) {
    const int64_t B = in.hidden.size(0), M = in.hidden.size(1);
    std::vector<ReductionStepResult> steps(B);
    BatchReductionResult out;
    out.lengths.resize(B);
    for (int64_t b = 0; b < B; ++b) {
        const int64_t n = in.lengths[b];
        ReductionStepInput s;
        s.hidden = in.hidden[b].narrow(0, 0, n);
        s.residual = in.residual[b].narrow(0, 0, n);
        s.sizes = in.sizes[b].narrow(0, 0, n);
        s.protect = in.protect[b].narrow(0, 0, n);
        s.keepRatio = in.keepRatio;
        steps[b] = reduceTokens(s, recipe);
        out.lengths[b] = steps[b].kept.size(0);
        out.changed = out.changed || out.lengths[b] != n;
    }
    auto padded = [&](const at::Tensor& t, int64_t length, double fill = 0) {
        return length == t.size(0) ? t : at::constant_pad_nd(t, {0, length - t.size(0)}, fill);
    };
    auto detail = [&](at::Tensor ReductionStepResult::*field, at::ScalarType type) {
        std::vector<at::Tensor> rows;
        for (int64_t b = 0; b < B; ++b) rows.push_back(padded((steps[b].*field).to(type), M));
        return at::stack(rows);
    };
    out.details = {detail(&ReductionStepResult::importance, at::kFloat),
                   detail(&ReductionStepResult::inB, at::kByte).to(at::kBool),
                   detail(&ReductionStepResult::match, at::kLong),
                   detail(&ReductionStepResult::matchCosine, at::kFloat),
                   detail(&ReductionStepResult::fate, at::kLong),
                   detail(&ReductionStepResult::destination, at::kLong),
                   detail(&ReductionStepResult::mergedFraction, at::kFloat)};
    if (!out.changed) {
        out.hidden = in.hidden;
        out.residual = in.residual;
        out.sizes = in.sizes;
        out.protect = in.protect;
        out.kept = at::arange(M, at::kLong).unsqueeze(0).expand({B, M});
        return out;
    }
    const int64_t M2 = *std::max_element(out.lengths.begin(), out.lengths.end());
    std::vector<at::Tensor> hs, rs, ss, ps, ks;
    for (int64_t b = 0; b < B; ++b) {
        const ReductionStepResult& r = steps[b];
        const int64_t pad = M2 - out.lengths[b];
        auto rows = [&](const at::Tensor& x) { return pad ? at::constant_pad_nd(x, {0, 0, 0, pad}) : x; };
        hs.push_back(rows(r.hidden));
        rs.push_back(rows(r.residual));
        ss.push_back(padded(r.sizes, M2, 1.0));
        const at::Tensor p = in.protect[b].index_select(0, r.kept.to(in.protect.device()));
        ps.push_back(padded(p.to(at::kByte), M2).to(at::kBool));
        ks.push_back(padded(r.kept, M2));
    }
    auto batch = [](const std::vector<at::Tensor>& rows) { return rows.size() == 1 ? rows[0].unsqueeze(0) : at::stack(rows); };
    out.hidden = batch(hs);
    out.residual = batch(rs);
    out.sizes = batch(ss);
    out.protect = batch(ps);
    out.kept = batch(ks);
    return out;
}

// The batch's counts (core/reduction/ReductionCounts.h): per sequence on the host, and as one [B, 6] copy on the
// device, where the ATen step reads them column by column and the kernels struct by struct (the kernels take a
// small batch's counts in their first kernel's arguments instead: no copy of its own).
struct StepCounts {
    std::vector<SequenceCounts> sequences;  // [B]
    at::Tensor onDevice;                    // [B, kSequenceCountFields] int64, the same bytes (upload() makes it)
    int64_t totalRemoved = 0;
    bool anyMatching = false;  // some sequence has tokens in both A and B (the best-match search runs)

    int64_t largest(int64_t SequenceCounts::*field) const {
        int64_t m = 0;
        for (const SequenceCounts& c : sequences) m = std::max(m, c.*field);
        return m;
    }
    void upload(const at::Device& device) {
        const int64_t B = static_cast<int64_t>(sequences.size());
        at::Tensor host = at::empty({B, kSequenceCountFields}, at::kLong);
        std::memcpy(host.data_ptr(), sequences.data(), sequences.size() * sizeof(SequenceCounts));
        onDevice = uploadWithoutWaiting(host, device);
    }
    // [B] view of one field on the device.
    at::Tensor column(int64_t SequenceCounts::*field) const {
        const SequenceCounts probe;
        const auto offset = reinterpret_cast<const char*>(&(probe.*field)) - reinterpret_cast<const char*>(&probe);
        return onDevice.select(1, static_cast<int64_t>(offset) / static_cast<int64_t>(sizeof(int64_t)));
    }
};

// Where the rows of the batch stand before the choices: positions [1, M], the protection the choices use
// [B, M], the valid rows [B, M] and the set B [B, M] (bool). Made when first needed: the alternate-position
// split makes them while counting, the other splits only on the ATen path.
struct BatchRows {
    at::Tensor pos, prot, valid, inB;
};

void makePositionsAndProtection(const BatchReductionInput& in, const ReductionRecipe& recipe,
                                const at::Tensor& protect, BatchRows& rows) {
    const at::TensorOptions longOpts = at::TensorOptions().dtype(at::kLong).device(protect.device());
    rows.pos = at::arange(in.hidden.size(1), longOpts).unsqueeze(0);
    rows.prot = recipe.protectPositions ? protect : at::zeros_like(protect);
}

// The host's counts of every sequence (nothing waits for the device, except the alternate-position split, which
// reads its |A| back once); StepCounts::upload copies them to the device in one go. `protect` [B, M] bool on the
// streams' device.
StepCounts countStep(const BatchReductionInput& in, const ReductionRecipe& recipe, const at::Tensor& protect,
                     BatchRows& rows) {
    const int64_t B = in.hidden.size(0);
    const at::Device dev = in.hidden.device();
    StepCounts counts;
    counts.sequences.resize(B);
    for (int64_t b = 0; b < B; ++b) {
        SequenceCounts& c = counts.sequences[b];
        const int64_t nProtected = recipe.protectPositions ? in.protectedCount[b] : 0;
        c.length = in.lengths[b];
        c.keep = std::max(keptTokenCount(c.length, in.keepRatio), nProtected);
        c.nB = std::max((c.length + 1) / 2, nProtected);
        c.nA = c.length - c.nB;
    }
    if (recipe.split == SplitRule::AlternatePositions) {
        // B = odd positions and protected ones: |A| depends on where the protected tokens are now, which
        // only the device knows; read back once per step.
        makePositionsAndProtection(in, recipe, protect, rows);
        rows.valid = rows.pos < uploadWithoutWaiting(at::tensor(in.lengths, at::kLong), dev).unsqueeze(1);
        rows.inB = rows.valid & ((rows.pos % 2 == 1) | rows.prot);
        const at::Tensor aCount = (rows.valid & rows.inB.logical_not()).sum(1).to(at::kCPU, at::kLong).contiguous();
        for (int64_t b = 0; b < B; ++b) {
            counts.sequences[b].nA = aCount.data_ptr<int64_t>()[b];
            counts.sequences[b].nB = in.lengths[b] - counts.sequences[b].nA;
        }
    }
    for (SequenceCounts& c : counts.sequences) {
        const bool matching = recipe.split != SplitRule::ImportanceOnly && c.nA > 0 && c.nB > 0;
        counts.anyMatching = counts.anyMatching || matching;
        if (recipe.split == SplitRule::ImportanceOnly) c.removeCount = c.length - c.keep;
        else c.removeCount = matching ? std::min(c.length - c.keep, c.nA) : 0;
        c.outLength = c.length - c.removeCount;
        counts.totalRemoved += c.removeCount;
    }
    return counts;
}

// The result when nothing was removed: the input streams themselves, every row kept (kept: [B, M] positions
// on `device`).
BatchReductionResult unchangedStreams(const BatchReductionInput& in, const at::Tensor& positions) {
    BatchReductionResult out;
    out.hidden = in.hidden;
    out.residual = in.residual;
    out.sizes = in.sizes;
    out.protect = in.protect;
    out.kept = positions.expand({in.hidden.size(0), in.hidden.size(1)});
    return out;
}

// The per-token choices of the ATen step, [B, M] each in row coordinates.
struct BatchChoices {
    at::Tensor importance;      // fp32
    at::Tensor match, cosine;   // int64 (-1: none), fp32
    at::Tensor fate, destination;  // int64 TokenFate, int64 (-1: none)
    at::Tensor mergedFraction;  // fp32
    at::Tensor removed;         // bool
};

// Steps 3 to 5 of reduceTokens for every sequence: best matches in B by the cosine of the (clipped) mixer
// output `g` [B, M, D]; the removeCount most similar tokens of A go (ties to the lower position) and are merged
// into or pruned from h, r and size ([B, M, D], [B, M, D], [B, M] fp32, updated here) as the recipe says.
void matchAndMerge(const ReductionRecipe& recipe, const StepCounts& counts, const BatchRows& rows, const at::Tensor& g,
                   at::Tensor& h, at::Tensor& r, at::Tensor& size, BatchChoices& c) {
    const int64_t B = h.size(0), M = h.size(1), D = h.size(2);
    const at::TensorOptions longOpts = c.match.options();
    const float inf = std::numeric_limits<float>::infinity();
    const at::Tensor isA = rows.valid & rows.inB.logical_not();
    const at::Tensor aRows = rowList(isA, counts.column(&SequenceCounts::nA), counts.largest(&SequenceCounts::nA));
    const at::Tensor bRows = rowList(rows.inB, counts.column(&SequenceCounts::nB), counts.largest(&SequenceCounts::nB));
    auto [sigmaA, bestA] = bestMatches(g, g.norm(2, -1, true).clamp_min(1e-12), aRows, bRows);
    // Back to row coordinates; unlisted slots land in a spare column M.
    const at::Tensor sigma = at::zeros({B, M + 1}, h.options()).scatter_(1, aRows, sigmaA).narrow(1, 0, M);
    const at::Tensor bestB = at::zeros({B, M + 1}, longOpts).scatter_(1, aRows, bestA).narrow(1, 0, M);
    const at::Tensor hasMatch = isA & rows.inB.any(1, /*keepdim=*/true);
    c.match = at::where(hasMatch, bestB, c.match);
    c.cosine = at::where(hasMatch, sigma, c.cosine);
    if (counts.totalRemoved == 0) return;
    // Step 4: the k most similar tokens of A go; ties to the lower position.
    c.removed = firstInDescendingOrder(sigma.masked_fill(hasMatch.logical_not(), -inf),
                                       counts.column(&SequenceCounts::removeCount)) &
                hasMatch;
    // The removed tokens as one list of flat rows (b * M + i), ascending: sequence by sequence, each in the
    // order reduceTokens lists them. Their count is known, so a stable sort finds them.
    const int64_t total = counts.totalRemoved;
    const at::Tensor removed =
        std::get<1>(at::sort(c.removed.reshape(-1).to(at::kByte), /*stable=*/true, 0, /*descending=*/true))
            .narrow(0, 0, total);
    const at::Tensor dstLocal = bestB.reshape(-1).index_select(0, removed);
    const at::Tensor dst = at::floor_divide(removed, M) * M + dstLocal;
    // Step 5 on the flattened batch.
    at::Tensor mergedF = c.mergedFraction.view(-1);
    MergedRows m = mergeRemovedRows(h.reshape({B * M, D}), r.reshape({B * M, D}), size.reshape(-1),
                                    c.importance.reshape(-1), removed, dst, recipe);
    if (recipe.hidden != HiddenStrategy::Prune) mergedF.index_copy_(0, removed, m.mergedShare);
    h = m.hidden.view({B, M, D});
    r = m.residual.view({B, M, D});
    size = m.sizes.view({B, M});
    const at::Tensor merged = recipe.residual == ResidualStrategy::Merge
                                  ? at::ones({total}, longOpts.dtype(at::kBool))
                                  : mergedF.index_select(0, removed) > 0;
    c.fate.view(-1).index_copy_(
        0, removed, at::full({total}, int64_t(FatePruned), longOpts).masked_fill_(merged, int64_t(FateMerged)));
    c.destination.view(-1).index_copy_(0, removed, dstLocal.masked_fill(merged.logical_not(), -1));
}

// The survivors of each sequence first, in order (a stable sort of the keep flags), then zero padding rows:
// the streams h [B, M, D] fp32 (cast back to the model dtype), r [B, M, D], size [B, M] and the protection.
void compactSurvivors(const BatchReductionInput& in, const StepCounts& counts, const BatchRows& rows,
                      const at::Tensor& protect, const at::Tensor& removed, const at::Tensor& h, const at::Tensor& r,
                      const at::Tensor& size, BatchReductionResult& out) {
    const int64_t B = h.size(0), M = h.size(1), D = h.size(2);
    const at::TensorOptions longOpts = rows.pos.options();
    const int64_t M2 = counts.largest(&SequenceCounts::outLength);
    const at::Tensor keepFlag = (rows.valid & removed.logical_not()).to(at::kByte);
    out.kept = std::get<1>(at::sort(keepFlag, /*stable=*/true, /*dim=*/1, /*descending=*/true)).narrow(1, 0, M2);
    const at::Tensor padding =
        at::arange(M2, longOpts).unsqueeze(0) >= counts.column(&SequenceCounts::outLength).unsqueeze(1);
    const at::Tensor flat = (out.kept + at::arange(B, longOpts).unsqueeze(1) * M).reshape(-1);
    auto gather = [&](const at::Tensor& x) {
        return x.reshape({B * M, D}).index_select(0, flat).view({B, M2, D}).masked_fill_(padding.unsqueeze(2), 0);
    };
    out.hidden = gather(h).to(in.hidden.scalar_type());
    out.residual = gather(r);
    out.sizes = size.reshape(-1).index_select(0, flat).view({B, M2}).masked_fill_(padding, 1.0);
    out.protect = protect.reshape(-1).index_select(0, flat).view({B, M2}).masked_fill_(padding, false);
}

// reduceTokens for every sequence at once, in ATen operators; the comments name its steps. Rows past a
// sequence's length take part in no choice: they rank last, are neither in A nor in B, and are never a
// destination.
BatchReductionResult reduceWithAten(const BatchReductionInput& in, const ReductionRecipe& recipe,
                                    const StepCounts& counts, const at::Tensor& protect, BatchRows rows) {
    const int64_t B = in.hidden.size(0), M = in.hidden.size(1);
    const auto dev = in.hidden.device();
    const auto longOpts = at::TensorOptions().dtype(at::kLong).device(dev);
    const float inf = std::numeric_limits<float>::infinity();
    if (!rows.pos.defined()) makePositionsAndProtection(in, recipe, protect, rows);
    if (!rows.valid.defined()) rows.valid = rows.pos < counts.column(&SequenceCounts::length).unsqueeze(1);

    at::Tensor h = in.hidden.to(at::kFloat), r = in.residual.to(at::kFloat), size = in.sizes.to(dev, at::kFloat);
    // relu(h) once for the clip importance and the clipped features (tokenImportance computes the same).
    at::Tensor clipped;
    if (recipe.metric == ImportanceMetric::Clip || (recipe.clippedFeatures && recipe.split != SplitRule::ImportanceOnly))
        clipped = at::relu(h);
    BatchChoices c;
    c.importance = recipe.metric == ImportanceMetric::Clip ? clipped.sum(-1) : tokenImportance(h, recipe.metric);
    c.match = at::full({B, M}, -1, longOpts);
    c.cosine = at::zeros({B, M}, h.options());
    c.fate = at::zeros({B, M}, longOpts);
    c.destination = at::full({B, M}, -1, longOpts);
    c.mergedFraction = at::zeros({B, M}, h.options());
    c.removed = at::zeros_like(rows.valid);
    // Protected tokens rank above every other token in importance order; padding below all.
    auto rankKey = [&] { return c.importance.masked_fill(rows.prot, inf).masked_fill_(rows.valid.logical_not(), -inf); };

    // Steps 1 and 2: the split into the destination set B and the candidates A.
    if (recipe.split == SplitRule::ImportanceOnly) {
        // EViT: B is the tokens kept, the rest are pruned.
        rows.inB = firstInDescendingOrder(rankKey(), counts.column(&SequenceCounts::keep)) & rows.valid;
        c.removed = rows.valid & rows.inB.logical_not();
        c.fate.masked_fill_(c.removed, int64_t(FatePruned));
    } else {
        if (recipe.split == SplitRule::ImportanceHalves)
            rows.inB = firstInDescendingOrder(rankKey(), counts.column(&SequenceCounts::nB)) & rows.valid;
        if (counts.anyMatching) matchAndMerge(recipe, counts, rows, recipe.clippedFeatures ? clipped : h, h, r, size, c);
    }

    BatchReductionResult out;
    if (counts.totalRemoved == 0) out = unchangedStreams(in, rows.pos);
    else compactSurvivors(in, counts, rows, protect, c.removed, h, r, size, out);
    out.details = {c.importance, rows.inB, c.match, c.cosine, c.fate, c.destination, c.mergedFraction};
    for (const SequenceCounts& s : counts.sequences) out.lengths.push_back(s.outLength);
    out.changed = counts.totalRemoved > 0;
    return out;
}

#ifdef SSMLENS_FUSED_CUDA
// The step on the GPU kernels (core/cuda/FusedReduction.h), laid out as the ATen code lays out its result.
BatchReductionResult reduceWithKernels(const BatchReductionInput& in, const ReductionRecipe& recipe,
                                       const StepCounts& counts, const at::Tensor& protect) {
    fused::ReductionKernelResult k = fused::reduceTokensWithKernels(in.hidden, in.residual, in.sizes, protect,
                                                                    counts.sequences, counts.onDevice, recipe,
                                                                    kernelPaths().bestMatchProducts,
                                                                    kernelPaths().overlappedStepLaunches,
                                                                    kernelPaths().stepNextNorm ? in.nextNormWeight
                                                                                               : at::Tensor(),
                                                                    in.nextNormEps);
    BatchReductionResult out;
    if (!k.changed) {
        out = unchangedStreams(
            in, at::arange(in.hidden.size(1), at::TensorOptions().dtype(at::kLong).device(in.hidden.device())).unsqueeze(0));
    } else {
        out.hidden = k.hidden;
        out.residual = k.residual;
        out.normalized = k.normalized;
        out.sizes = k.sizes;
        out.protect = k.protect;
        out.kept = k.kept;
    }
    out.details = {k.importance, k.inB, k.match, k.matchCosine, k.fate, k.destination, k.mergedFraction};
    for (const SequenceCounts& s : counts.sequences) out.lengths.push_back(s.outLength);
    out.changed = k.changed;
    return out;
}
#endif

}  // namespace

bool reductionKernelsBuilt() {
#ifdef SSMLENS_FUSED_CUDA
    return true;
#else
    return false;
#endif
}

BatchReductionResult reduceTokensBatch(const BatchReductionInput& in, const ReductionRecipe& recipe) {
    // One sequence on the CPU: reduceTokens itself (fewer operators than the batch's bookkeeping; on a GPU
    // the batch code runs, as it never waits for the device).
    if (in.hidden.size(0) == 1 && in.hidden.device().is_cpu()) return reduceTokensBySequence(in, recipe);
    return reduceTokensBatched(in, recipe);
}

BatchReductionResult reduceTokensBatched(const BatchReductionInput& in, const ReductionRecipe& recipe) {
    // UtrReference and Positional have their own code, sequence by sequence.
    if (recipe.referenceQuirks || recipe.split == SplitRule::OldestAfterFirst) return reduceTokensBySequence(in, recipe);
    const at::Tensor protect = in.protect.to(in.hidden.device(), at::kBool);
    BatchRows rows;
    StepCounts counts = countStep(in, recipe, protect, rows);
#ifdef SSMLENS_FUSED_CUDA
    if (kernelPaths().reductionKernels && fused::fusedReductionSupported(in.hidden, recipe)) {
        if (!fused::countsInArgumentsFit(in.hidden.size(0))) counts.upload(in.hidden.device());
        return reduceWithKernels(in, recipe, counts, protect);
    }
#endif
    counts.upload(in.hidden.device());
    return reduceWithAten(in, recipe, counts, protect, std::move(rows));
}

}  // namespace ssmlens
