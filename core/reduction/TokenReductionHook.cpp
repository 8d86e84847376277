#include "core/reduction/TokenReductionHook.h"

#include <cmath>
#include <limits>
#include <map>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "core/runtime/DeviceUpload.h"

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
    const int64_t B = s.hidden.size(0), M = s.hidden.size(1);
    seqs_.assign(B, {});
    pending_.clear();
    protectedCount_.assign(B, 0);
    // The protection as one [B, M] mask, made on the host once per forward pass and copied in one go.
    at::Tensor protect = at::zeros({B, M}, at::kBool);
    auto pr = protect.accessor<bool, 2>();
    auto len = s.lengths.accessor<int64_t, 1>();
    for (int64_t b = 0; b < B; ++b) {
        SequenceState& q = seqs_[b];
        const int64_t n = len[b];
        q.own.resize(n);
        q.members.resize(n);
        for (int64_t i = 0; i < n; ++i) {
            q.own[i] = i;
            q.members[i] = {i};
        }
        q.prunedAt.assign(n, -1);
        q.trace.length = n;
        if (b < static_cast<int64_t>(protected_.size()))
            for (int64_t p : protected_[b])
                if (p >= 0 && p < n) pr[b][p] = true;
        // The last token: protected tokens are never removed and survivors keep their order, so the
        // original last token stays the last one at every anchor.
        pr[b][n - 1] = true;
        for (int64_t i = 0; i < n; ++i) protectedCount_[b] += pr[b][i];
    }
    // The protection on the streams' device (reduceTokensBatch reads it there; on the CPU one sequence runs
    // reduceTokens, which reads it on the host). Elsewhere the protected rows go there as a list of flat
    // indices (without waiting for the device, core/runtime/DeviceUpload.h), and the mask is made there.
    const at::Device dev = s.residual.device();
    if (dev.is_cpu()) {
        protect_ = protect;
    } else {
        std::vector<int64_t> flat;
        const bool* p = protect.data_ptr<bool>();
        for (int64_t i = 0; i < B * M; ++i)
            if (p[i]) flat.push_back(i);
        const at::Tensor rows = uploadWithoutWaiting(at::tensor(flat, at::kLong), dev);
        protect_ = at::zeros({B * M}, at::TensorOptions().dtype(at::kBool).device(dev))
                       .index_fill_(0, rows, true)
                       .view({B, M});
    }
    sizes_ = at::ones({B, M}, s.residual.options());
}

LayerTrace TokenReductionHook::blankLayerTrace(const SequenceState& seq, int64_t layer, int64_t n) const {
    const size_t L = static_cast<size_t>(seq.trace.length);
    LayerTrace lt;
    lt.layer = layer;
    lt.keepRatio = schedule_.keepRatioAt(layer);
    lt.tokensIn = lt.tokensOut = n;
    lt.importance.assign(L, kNaN);
    lt.fate.assign(L, FateGone);
    lt.destination.assign(L, -1);
    lt.mergedFraction.assign(L, kNaN);
    lt.inB.assign(L, -1);
    lt.match.assign(L, -1);
    lt.matchCosine.assign(L, kNaN);
    return lt;
}

void TokenReductionHook::afterLayer(int64_t layer, LayerStreams& s) {
    if (seqs_.empty() || layer == 0) start(s);
    bool anchor = false;
    for (const auto& a : schedule_.anchors) anchor = anchor || a.layer == layer;
    if (!anchor) {
        if (recordTrace_) recordLayer(layer, s);
        return;
    }
    const int64_t B = s.hidden.size(0);
    auto len = s.lengths.accessor<int64_t, 1>();
    BatchReductionInput in;
    in.hidden = s.hidden;
    in.residual = s.residual;
    in.sizes = sizes_;
    in.protect = protect_;
    in.lengths.resize(B);
    for (int64_t b = 0; b < B; ++b) in.lengths[b] = len[b];
    in.protectedCount = protectedCount_;
    in.keepRatio = schedule_.keepRatioAt(layer);
    in.nextNormWeight = s.nextNormWeight;
    in.nextNormEps = s.nextNormEps;
    BatchReductionResult r;
    {
        // No autograd bookkeeping for the step's ~200 small operators (they are host-bound on a GPU). The
        // results are inference tensors: later code only reads them (or updates them inside this guard).
        c10::InferenceMode inferenceOnly;
        r = reduceTokensBatch(in, recipe_);
    }
    if (recordTrace_) recordAnchor(layer, s, in.lengths, r);
    if (!r.changed) return;
    pending_.push_back({layer, r.details.fate, r.details.destination, r.kept, in.lengths, r.lengths});
    if (recordTrace_) resolve();  // the next layer's trace reads the provenance
    // Padding rows (zero) are never read as valid.
    s.hidden = r.hidden;  // undefined where the step did the next block's add and norm (r.normalized)
    s.residual = r.residual;
    s.normalized = r.normalized;
    s.lengths = at::tensor(r.lengths, at::kLong);
    sizes_ = r.sizes;
    protect_ = r.protect;
}

void TokenReductionHook::resolve() const {
    if (pending_.empty()) return;
    // Provenance: merged tokens hand their members to the destination; pruned ones are recorded. Every
    // pending anchor comes to the host in one copy.
    std::vector<at::Tensor> parts;
    bool oneDevice = true;
    for (const AnchorRecord& a : pending_)
        for (const at::Tensor* t : {&a.fate, &a.destination, &a.kept}) {
            parts.push_back(t->reshape(-1).to(at::kLong));
            oneDevice = oneDevice && parts.back().device() == parts.front().device();
        }
    if (!oneDevice)
        for (at::Tensor& t : parts) t = t.to(at::kCPU);
    const at::Tensor host = at::cat(parts).to(at::kCPU).contiguous();
    const int64_t* p = host.data_ptr<int64_t>();
    for (const AnchorRecord& a : pending_) {
        const int64_t B = a.fate.size(0), M = a.fate.size(1), M2 = a.kept.size(1);
        const int64_t* fate = p;
        const int64_t* dest = fate + B * M;
        const int64_t* kept = dest + B * M;
        p = kept + B * M2;
        for (int64_t b = 0; b < B; ++b) {
            SequenceState& seq = seqs_[b];
            for (int64_t i = 0; i < a.lengthsIn[b]; ++i) {
                const int64_t f = fate[b * M + i];
                if (f == FateMerged) {
                    auto& to = seq.members[dest[b * M + i]];
                    to.insert(to.end(), seq.members[i].begin(), seq.members[i].end());
                } else if (f == FatePruned) {
                    for (int64_t q : seq.members[i]) seq.prunedAt[q] = a.layer;
                }
            }
            std::vector<int64_t> own;
            std::vector<std::vector<int64_t>> members;
            own.reserve(a.lengthsOut[b]);
            members.reserve(a.lengthsOut[b]);
            for (int64_t j = 0; j < a.lengthsOut[b]; ++j) {
                const int64_t i = kept[b * M2 + j];
                own.push_back(seq.own[i]);
                members.push_back(std::move(seq.members[i]));
            }
            seq.own = std::move(own);
            seq.members = std::move(members);
        }
    }
    pending_.clear();
}

const TokenReductionHook::SequenceState& TokenReductionHook::resolved(size_t sequence) const {
    resolve();
    return seqs_.at(sequence);
}

void TokenReductionHook::recordLayer(int64_t layer, const LayerStreams& s) {
    resolve();
    const at::Tensor imp = tokenImportance(s.hidden, recipe_.metric).to(at::kCPU).contiguous();  // [B, M]
    auto a = imp.accessor<float, 2>();
    for (size_t b = 0; b < seqs_.size(); ++b) {
        SequenceState& q = seqs_[b];
        LayerTrace lt = blankLayerTrace(q, layer, static_cast<int64_t>(q.own.size()));
        for (size_t i = 0; i < q.own.size(); ++i) {
            lt.importance[q.own[i]] = a[b][i];
            lt.fate[q.own[i]] = FateKept;
        }
        q.trace.layers.push_back(std::move(lt));
    }
}

void TokenReductionHook::recordAnchor(int64_t layer, const LayerStreams& s, const std::vector<int64_t>& lengths,
                                      const BatchReductionResult& r) {
    resolve();
    const ReductionStepDetails& d = r.details;
    const at::Tensor host = at::stack({d.importance.to(at::kDouble), d.inB.to(at::kDouble), d.match.to(at::kDouble),
                                       d.matchCosine.to(at::kDouble), d.fate.to(at::kDouble),
                                       d.destination.to(at::kDouble), d.mergedFraction.to(at::kDouble)})
                                .to(at::kCPU)
                                .contiguous();  // [7, B, M]
    auto a = host.accessor<double, 3>();
    for (size_t b = 0; b < seqs_.size(); ++b) {
        SequenceState& seq = seqs_[b];
        const int64_t n = lengths[b];
        LayerTrace lt = blankLayerTrace(seq, layer, n);
        lt.anchor = true;
        lt.contentIndependent = choicesIgnoreContent(recipe_);
        for (int64_t i = 0; i < n; ++i) {
            const int64_t p = seq.own[i];
            const int64_t dest = static_cast<int64_t>(a[5][b][i]), match = static_cast<int64_t>(a[2][b][i]);
            lt.importance[p] = static_cast<float>(a[0][b][i]);
            lt.fate[p] = static_cast<int8_t>(a[4][b][i]);
            lt.destination[p] = dest >= 0 ? seq.own[dest] : -1;
            lt.mergedFraction[p] = static_cast<float>(a[6][b][i]);
            lt.inB[p] = static_cast<int8_t>(a[1][b][i]);
            lt.match[p] = match >= 0 ? seq.own[match] : -1;
            lt.matchCosine[p] = match >= 0 ? static_cast<float>(a[3][b][i]) : kNaN;
        }
        lt.tokensOut = r.lengths[b];
        for (SimilarPair pr : mostSimilarPairs(s.hidden[b].narrow(0, 0, n), recipe_.clippedFeatures, 3)) {
            pr.a = seq.own[pr.a];
            pr.b = seq.own[pr.b];
            lt.similarPairs.push_back(pr);
        }
        seq.trace.layers.push_back(std::move(lt));
    }
}

TokenTrace TokenReductionHook::trace(size_t sequence) const {
    const SequenceState& q = resolved(sequence);
    TokenTrace t = q.trace;
    t.survivorPositions = q.own;
    t.survivorMembers = q.members;
    t.prunedAtLayer = q.prunedAt;
    return t;
}

}  // namespace ssmlens
