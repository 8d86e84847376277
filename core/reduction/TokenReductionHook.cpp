#include "core/reduction/TokenReductionHook.h"

#include <cmath>
#include <limits>
#include <map>

#include <ATen/ATen.h>

namespace ssmlens {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr int64_t kMaxTokensForPairs = 4096;  // the pair matrix is n x n

template <typename T>
std::vector<T> toVector(const at::Tensor& t) {
    at::Tensor c = t.to(at::kCPU).contiguous();
    return std::vector<T>(c.data_ptr<T>(), c.data_ptr<T>() + c.numel());
}

}  // namespace

std::vector<SimilarPair> mostSimilarPairs(const at::Tensor& hidden, bool clipped, int64_t perToken) {
    const int64_t n = hidden.size(0);
    if (n < 2 || n > kMaxTokensForPairs) return {};
    at::Tensor f = hidden.to(at::kFloat);
    if (clipped) f = at::relu(f);
    f = f / f.norm(2, 1, true).clamp_min(1e-12);
    at::Tensor sim = at::matmul(f, f.t());
    sim.fill_diagonal_(-2.0);
    auto top = sim.topk(std::min(perToken, n - 1), 1);
    std::vector<float> cos = toVector<float>(std::get<0>(top));
    std::vector<int64_t> idx = toVector<int64_t>(std::get<1>(top));
    const int64_t k = std::get<0>(top).size(1);
    std::map<std::pair<int64_t, int64_t>, float> pairs;
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < k; ++j) {
            int64_t a = i, b = idx[i * k + j];
            if (a > b) std::swap(a, b);
            pairs[{a, b}] = cos[i * k + j];
        }
    std::vector<SimilarPair> out;
    for (const auto& p : pairs) out.push_back({p.first.first, p.first.second, p.second});
    return out;
}

TokenReductionHook::TokenReductionHook(ReductionSchedule schedule, std::vector<std::set<int64_t>> protectedPositions,
                                       bool recordTrace)
    : schedule_(std::move(schedule)),
      recipe_(recipeFor(schedule_.method, schedule_.options)),
      protected_(std::move(protectedPositions)),
      recordTrace_(recordTrace) {}

void TokenReductionHook::start(const LayerStreams& s) {
    const int64_t B = s.hidden.size(0);
    seqs_.assign(B, {});
    auto len = s.lengths.accessor<int64_t, 1>();
    for (int64_t b = 0; b < B; ++b) {
        SequenceState& q = seqs_[b];
        const int64_t n = len[b];
        q.sizes = at::ones({n}, s.residual.options());
        q.own.resize(n);
        q.members.resize(n);
        for (int64_t i = 0; i < n; ++i) {
            q.own[i] = i;
            q.members[i] = {i};
        }
        q.prunedAt.assign(n, -1);
        q.trace.length = n;
    }
}

LayerTrace TokenReductionHook::blankLayerTrace(const SequenceState& seq, int64_t layer, int64_t n) const {
    const size_t L = static_cast<size_t>(seq.trace.length);
    LayerTrace lt;
    lt.layer = layer;
    lt.keepRatio = schedule_.keepRatioAt(layer);
    lt.tokensIn = lt.tokensOut = n;
    lt.importance.assign(L, kNaN);
    lt.fate.assign(L, -1);
    lt.destination.assign(L, -1);
    lt.mergedFraction.assign(L, kNaN);
    lt.inB.assign(L, -1);
    lt.match.assign(L, -1);
    lt.matchCosine.assign(L, kNaN);
    return lt;
}

void TokenReductionHook::recordPresent(SequenceState& seq, LayerTrace& lt, const at::Tensor& importance) const {
    std::vector<float> imp = toVector<float>(importance);
    for (size_t i = 0; i < seq.own.size(); ++i) {
        lt.importance[seq.own[i]] = imp[i];
        lt.fate[seq.own[i]] = FateKept;
    }
}

void TokenReductionHook::afterLayer(int64_t layer, LayerStreams& s) {
    if (seqs_.empty() || layer == 0) start(s);
    bool anchor = false;
    for (const auto& a : schedule_.anchors) anchor = anchor || a.layer == layer;
    const int64_t B = s.hidden.size(0);
    auto len = s.lengths.accessor<int64_t, 1>();

    if (!anchor) {
        if (!recordTrace_) return;
        for (int64_t b = 0; b < B; ++b) {
            SequenceState& q = seqs_[b];
            LayerTrace lt = blankLayerTrace(q, layer, len[b]);
            recordPresent(q, lt, tokenImportance(s.hidden[b].narrow(0, 0, len[b]), recipe_.metric));
            q.trace.layers.push_back(std::move(lt));
        }
        return;
    }

    const double q = schedule_.keepRatioAt(layer);
    std::vector<at::Tensor> hs, rs;
    std::vector<int64_t> newLengths(B);
    for (int64_t b = 0; b < B; ++b) {
        SequenceState& seq = seqs_[b];
        const int64_t n = len[b];
        ReductionStepInput in;
        in.hidden = s.hidden[b].narrow(0, 0, n);
        in.residual = s.residual[b].narrow(0, 0, n);
        in.sizes = seq.sizes;
        std::vector<int64_t> protect(n, 0);
        protect[n - 1] = 1;
        if (b < static_cast<int64_t>(protected_.size()))
            for (int64_t i = 0; i < n; ++i) protect[i] = protect[i] || protected_[b].count(seq.own[i]);
        in.protect = at::tensor(protect, at::kLong).to(at::kBool);
        in.keepRatio = q;
        ReductionStepResult r = reduceTokens(in, recipe_);

        if (recordTrace_) {
            LayerTrace lt = blankLayerTrace(seq, layer, n);
            lt.anchor = true;
            std::vector<float> imp = toVector<float>(r.importance), mf = toVector<float>(r.mergedFraction),
                               cosv = toVector<float>(r.matchCosine);
            std::vector<int8_t> fate = toVector<int8_t>(r.fate);
            std::vector<int64_t> dest = toVector<int64_t>(r.destination), match = toVector<int64_t>(r.match);
            std::vector<uint8_t> inB = toVector<uint8_t>(r.inB.to(at::kByte));
            for (int64_t i = 0; i < n; ++i) {
                const int64_t p = seq.own[i];
                lt.importance[p] = imp[i];
                lt.fate[p] = fate[i];
                lt.destination[p] = dest[i] >= 0 ? seq.own[dest[i]] : -1;
                lt.mergedFraction[p] = mf[i];
                lt.inB[p] = static_cast<int8_t>(inB[i]);
                lt.match[p] = match[i] >= 0 ? seq.own[match[i]] : -1;
                lt.matchCosine[p] = match[i] >= 0 ? cosv[i] : kNaN;
            }
            lt.tokensOut = r.kept.size(0);
            for (SimilarPair pr : mostSimilarPairs(in.hidden, recipe_.clippedFeatures, 3)) {
                pr.a = seq.own[pr.a];
                pr.b = seq.own[pr.b];
                lt.similarPairs.push_back(pr);
            }
            seq.trace.layers.push_back(std::move(lt));
        }

        // Provenance: merged tokens hand their members to the destination; pruned ones are recorded.
        std::vector<int8_t> fate = toVector<int8_t>(r.fate);
        std::vector<int64_t> dest = toVector<int64_t>(r.destination), kept = toVector<int64_t>(r.kept);
        for (int64_t i = 0; i < n; ++i) {
            if (fate[i] == FateMerged) {
                auto& to = seq.members[dest[i]];
                to.insert(to.end(), seq.members[i].begin(), seq.members[i].end());
            } else if (fate[i] == FatePruned) {
                for (int64_t p : seq.members[i]) seq.prunedAt[p] = layer;
            }
        }
        std::vector<int64_t> own;
        std::vector<std::vector<int64_t>> members;
        for (int64_t i : kept) {
            own.push_back(seq.own[i]);
            members.push_back(std::move(seq.members[i]));
        }
        seq.own = std::move(own);
        seq.members = std::move(members);
        seq.sizes = r.sizes;
        newLengths[b] = r.kept.size(0);
        hs.push_back(r.hidden);
        rs.push_back(r.residual);
    }
    // Re-pad the batch to the longest survivor count; padding rows are never read as valid.
    const int64_t maxLen = *std::max_element(newLengths.begin(), newLengths.end());
    auto pad = [&](const std::vector<at::Tensor>& rows) {
        if (rows.size() == 1) return rows[0].unsqueeze(0);
        std::vector<at::Tensor> padded;
        for (const auto& t : rows) padded.push_back(at::constant_pad_nd(t, {0, 0, 0, maxLen - t.size(0)}));
        return at::stack(padded);
    };
    s.hidden = pad(hs);
    s.residual = pad(rs);
    s.lengths = at::tensor(newLengths, at::kLong);
}

TokenTrace TokenReductionHook::trace(size_t sequence) const {
    const SequenceState& q = seqs_.at(sequence);
    TokenTrace t = q.trace;
    t.survivorPositions = q.own;
    t.survivorMembers = q.members;
    t.prunedAtLayer = q.prunedAt;
    return t;
}

}  // namespace ssmlens
