#include "core/tune/ModelEvaluator.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include "core/Error.h"
#include "core/bench/ModelBenchmark.h"  // dtypeName
#include "core/eval/LoglikelihoodScorer.h"  // EvalCancelled
#include "core/reduction/TokenReductionHook.h"

namespace ssmlens {
namespace {

// Thrown from inside a forward pass when the caller asks to stop (checked after every block, so a stop takes
// effect within one block's time, not one batch's).
struct EvaluationStopped {};

class StopCheck : public LayerHook {
public:
    explicit StopCheck(const std::function<bool()>& stop) : stop_(stop) {}
    void afterLayer(int64_t, LayerStreams&) override {
        if (stop_ && stop_()) throw EvaluationStopped{};
    }

private:
    const std::function<bool()>& stop_;
};

// The streams after one block, as the block left them (before the hooks after this one in the chain).
class StreamRecorder : public LayerHook {
public:
    explicit StreamRecorder(int64_t layer) : layer_(layer) {}
    void afterLayer(int64_t layer, LayerStreams& s) override {
        if (layer == layer_) streams = s;
    }
    LayerStreams streams;

private:
    int64_t layer_;
};

// The final streams, for the head on the scored rows.
class FinalCapture : public LayerHook {
public:
    explicit FinalCapture(int64_t lastLayer) : last_(lastLayer) {}
    void afterLayer(int64_t layer, LayerStreams& s) override {
        if (layer == last_) streams = s;
    }
    LayerStreams streams;

private:
    int64_t last_;
};

int64_t streamBytes(const LayerStreams& s) {
    return static_cast<int64_t>(s.hidden.nbytes() + s.residual.nbytes());
}

}  // namespace

ModelEvaluator::ModelEvaluator(const Mamba2Model& model, const CalibrationSet& calibration, ModelEvaluatorOptions options)
    : model_(model), calibration_(calibration), options_(std::move(options)) {
    if (calibration_.sequences.empty()) throw Error("the calibration set has no sequences");
    if (options_.batchSize < 1) throw Error("the batch size must be at least 1");
    c10::InferenceMode inference;
    const auto t0 = std::chrono::steady_clock::now();
    const auto& seqs = calibration_.sequences;
    std::vector<size_t> order(seqs.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return seqs[a].ids.size() > seqs[b].ids.size(); });
    const at::Device dev = model_.device();
    const int64_t nLayer = model_.config().nLayer;
    const double logV = std::log(static_cast<double>(model_.vocabRows()));
    double nllSum = 0;
    int64_t positions = 0;
    const int64_t total = (static_cast<int64_t>(order.size()) + options_.batchSize - 1) / options_.batchSize;
    for (size_t start = 0; start < order.size(); start += static_cast<size_t>(options_.batchSize)) {
        Batch b;
        b.sequence.assign(order.begin() + start, order.begin() + std::min(order.size(), start + options_.batchSize));
        const int64_t B = static_cast<int64_t>(b.sequence.size()), L = static_cast<int64_t>(seqs[b.sequence[0]].ids.size());
        at::Tensor ids = at::zeros({B, L}, at::kLong);
        b.lengths = at::empty({B}, at::kLong);
        std::vector<int64_t> rows, targets;
        for (int64_t r = 0; r < B; ++r) {
            const CalibrationSequence& s = seqs[b.sequence[static_cast<size_t>(r)]];
            const int64_t n = static_cast<int64_t>(s.ids.size());
            ids[r].narrow(0, 0, n).copy_(at::tensor(s.ids, at::kLong));
            b.lengths[r] = n;
            std::set<int64_t> span;
            b.rowStart.push_back(static_cast<int64_t>(targets.size()));
            for (int64_t p = s.firstScored; p < n; ++p) {
                span.insert(p);
                rows.push_back(r * L + p);
                targets.push_back(s.targets[static_cast<size_t>(p - s.firstScored)]);
            }
            b.protect.push_back(std::move(span));
        }
        b.ids = ids.to(dev);
        b.targets = at::tensor(targets, at::kLong).to(dev);
        FinalCapture capture(nLayer - 1);
        StopCheck check(options_.stop);
        HookChain chain;
        chain.add(&check);
        chain.add(&capture);
        ForwardOptions fo;
        fo.lengths = b.lengths;
        fo.hook = &chain;
        fo.logitsAt = LogitsAt::None;
        try {
            model_.forward(b.ids, fo);
        } catch (const EvaluationStopped&) {
            throw EvalCancelled();
        }
        const int64_t D = capture.streams.hidden.size(2);
        const at::Tensor index = at::tensor(rows, at::kLong).to(dev);
        const at::Tensor logits = model_.head(capture.streams.hidden.reshape({-1, D}).index_select(0, index),
                                              capture.streams.residual.reshape({-1, D}).index_select(0, index));
        b.denseLogProbs = at::log_softmax(logits.to(at::kFloat), -1);
        b.denseKlToUniform = (b.denseLogProbs.exp() * (b.denseLogProbs + logV)).sum(-1);
        nllSum -= b.denseLogProbs.gather(1, b.targets.view({-1, 1})).to(at::kDouble).sum().item<double>();
        positions += static_cast<int64_t>(targets.size());
        batches_.push_back(std::move(b));
        if (options_.denseProgress) options_.denseProgress(static_cast<int64_t>(batches_.size()), total);
    }
    denseNll_ = positions ? nllSum / static_cast<double>(positions) : 0.0;
    // Batch order: from both ends of the length order in turn.
    for (size_t lo = 0, hi = batches_.size(); lo < hi;) {
        order_.push_back(lo++);
        if (lo < hi) order_.push_back(--hi);
    }
    // Checkpoints after a quarter and after half of the batches (none for sets too small to race on).
    for (size_t k : {(batches_.size() + 3) / 4, (batches_.size() + 1) / 2})
        if (k >= 1 && k < batches_.size() && (checkpointBatches_.empty() || checkpointBatches_.back() < k))
            checkpointBatches_.push_back(k);
    denseSeconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string ModelEvaluator::description() const {
    return std::string(model_.device().is_cuda() ? "cuda" : "cpu") + " " + dtypeName(model_.dtype()) + ", " +
           std::to_string(at::get_num_threads()) + " threads: " + calibration_.description + " in " +
           std::to_string(batches_.size()) + " batches";
}

void ModelEvaluator::scoreBatch(size_t bi, const ReductionSchedule& schedule, const CachedLayer* start,
                                int64_t startLayer, std::vector<SequenceScore>& out, std::vector<LayerStreams>* record,
                                int64_t recordLayer, const std::function<bool()>& stop) {
    const Batch& b = batches_[bi];
    const int64_t nLayer = model_.config().nLayer;
    HookChain chain;
    StopCheck check(stop);
    chain.add(&check);
    StreamRecorder recorder(recordLayer);
    if (record) chain.add(&recorder);
    TokenReductionHook reduction(schedule, schedule.options.protectScoringSpan ? b.protect : std::vector<std::set<int64_t>>{});
    chain.add(&reduction);
    FinalCapture capture(nLayer - 1);
    chain.add(&capture);
    ForwardOptions fo;
    fo.lengths = b.lengths;
    fo.hook = &chain;
    fo.logitsAt = LogitsAt::None;
    ForwardResume resume;
    if (start) {
        resume.afterLayer = startLayer;
        resume.streams = start->batches[bi];
        fo.resume = &resume;
        ++resumedPasses_;
    }
    model_.forward(b.ids, fo);
    if (record) record->push_back(recorder.streams);

    // Rows of the final streams for the scored positions, found by original position.
    const at::Device dev = model_.device();
    const int64_t Lout = capture.streams.hidden.size(1), D = capture.streams.hidden.size(2);
    std::vector<int64_t> finalRows, denseRows, lostRows;
    std::vector<int64_t> rowOwner;  // sequence row (in the batch) of each present and lost row, in that order
    std::vector<int64_t> lostOwner;
    const int64_t B = static_cast<int64_t>(b.sequence.size());
    for (int64_t r = 0; r < B; ++r) {
        const std::vector<int64_t>& own = reduction.survivorPositions(static_cast<size_t>(r));
        int64_t k = b.rowStart[static_cast<size_t>(r)];
        for (int64_t p : b.protect[static_cast<size_t>(r)]) {
            auto it = std::lower_bound(own.begin(), own.end(), p);
            if (it != own.end() && *it == p) {
                finalRows.push_back(r * Lout + (it - own.begin()));
                denseRows.push_back(k);
                rowOwner.push_back(r);
            } else {
                lostRows.push_back(k);
                lostOwner.push_back(r);
            }
            ++k;
        }
    }
    std::vector<double> kl, nll;
    if (!finalRows.empty()) {
        const at::Tensor fi = at::tensor(finalRows, at::kLong).to(dev), di = at::tensor(denseRows, at::kLong).to(dev);
        const at::Tensor logits = model_.head(capture.streams.hidden.reshape({-1, D}).index_select(0, fi),
                                              capture.streams.residual.reshape({-1, D}).index_select(0, fi));
        const at::Tensor lr = at::log_softmax(logits.to(at::kFloat), -1);
        const at::Tensor ld = b.denseLogProbs.index_select(0, di);
        const at::Tensor klRows = (ld.exp() * (ld - lr)).sum(-1);
        const at::Tensor nllRows = -lr.gather(1, b.targets.index_select(0, di).view({-1, 1})).squeeze(1);
        const at::Tensor both = at::stack({klRows, nllRows}).to(at::kCPU, at::kDouble).contiguous();
        const double* p = both.data_ptr<double>();
        const size_t n = finalRows.size();
        kl.assign(p, p + n);
        nll.assign(p + n, p + 2 * n);
    }
    std::vector<double> lostKl;
    if (!lostRows.empty()) {
        const at::Tensor t = b.denseKlToUniform.index_select(0, at::tensor(lostRows, at::kLong).to(dev)).to(at::kCPU, at::kDouble).contiguous();
        lostKl.assign(t.data_ptr<double>(), t.data_ptr<double>() + t.numel());
    }
    const double logV = std::log(static_cast<double>(model_.vocabRows()));
    for (size_t i = 0; i < kl.size(); ++i) {
        SequenceScore& s = out[b.sequence[static_cast<size_t>(rowOwner[i])]];
        s.meanKl += kl[i];
        s.nll += nll[i];
        ++s.positions;
    }
    for (size_t i = 0; i < lostKl.size(); ++i) {
        SequenceScore& s = out[b.sequence[static_cast<size_t>(lostOwner[i])]];
        s.meanKl += lostKl[i];
        s.nll += logV;
        ++s.positions;
        ++s.lost;
    }
}

ModelEvaluator::RunResult ModelEvaluator::run(const ReductionSchedule& schedule, const std::function<bool()>& stop,
                                              const std::vector<double>& rejectAbove) {
    schedule.validate(model_.config().nLayer);
    c10::InferenceMode inference;
    RunResult result;
    std::vector<SequenceScore>& out = result.sequences;
    out.assign(calibration_.sequences.size(), {});
    if (schedule.anchors.empty()) {
        // Dense: KL 0, and the dense NLL.
        for (const Batch& b : batches_) {
            const at::Tensor nll = -b.denseLogProbs.gather(1, b.targets.view({-1, 1})).squeeze(1).to(at::kCPU, at::kDouble).contiguous();
            const double* p = nll.data_ptr<double>();
            for (size_t r = 0; r < b.sequence.size(); ++r) {
                SequenceScore& s = out[b.sequence[r]];
                const int64_t from = b.rowStart[r], to = r + 1 < b.sequence.size() ? b.rowStart[r + 1] : nll.size(0);
                for (int64_t k = from; k < to; ++k) s.nll += p[k];
                s.positions = to - from;
            }
        }
        result.checkpoints.assign(checkpointBatches_.size(), 0.0);
        result.batchesDone = batches_.size();
        return result;
    }
    int64_t firstAnchor = schedule.anchors.front().layer;
    for (const auto& a : schedule.anchors) firstAnchor = std::min(firstAnchor, a.layer);
    // The kept streams of the deepest block at or before the first anchor.
    CachedLayer* start = nullptr;
    int64_t startLayer = -1;
    for (auto it = cache_.begin(); it != cache_.end() && it->first <= firstAnchor; ++it) {
        start = &it->second;
        startLayer = it->first;
    }
    const bool recordIt = options_.prefixCacheBytes > 0 && startLayer != firstAnchor;
    std::vector<LayerStreams> recorded(recordIt ? batches_.size() : 0);
    double klSum = 0;  // of the per-sequence means so far
    int64_t counted = 0;
    try {
        for (size_t k = 0; k < order_.size(); ++k) {
            if (stop && stop()) throw EvaluationStopped{};
            const size_t b = order_[k];
            std::vector<LayerStreams> one;
            scoreBatch(b, schedule, start, startLayer, out, recordIt ? &one : nullptr, firstAnchor, stop);
            if (recordIt) recorded[b] = one.front();
            for (size_t i : batches_[b].sequence)
                if (out[i].positions > 0) {
                    klSum += out[i].meanKl / static_cast<double>(out[i].positions);
                    ++counted;
                }
            result.batchesDone = k + 1;
            const size_t c = result.checkpoints.size();
            if (c < checkpointBatches_.size() && k + 1 == checkpointBatches_[c]) {
                result.checkpoints.push_back(counted ? klSum / static_cast<double>(counted) : 0.0);
                if (c < rejectAbove.size() && result.checkpoints.back() > rejectAbove[c]) break;  // clearly worse
            }
        }
    } catch (const EvaluationStopped&) {
        result.stopped = true;
        return result;
    }
    if (start) start->lastUse = ++useClock_;
    if (recordIt && result.batchesDone == batches_.size()) {
        CachedLayer c;
        for (const LayerStreams& s : recorded) c.bytes += streamBytes(s);
        c.batches = std::move(recorded);
        c.lastUse = ++useClock_;
        // Make room by dropping the least recently used layers; a layer larger than the whole budget is not kept.
        while (c.bytes <= options_.prefixCacheBytes && cacheBytes_ + c.bytes > options_.prefixCacheBytes && !cache_.empty()) {
            auto oldest = cache_.begin();
            for (auto it = cache_.begin(); it != cache_.end(); ++it)
                if (it->second.lastUse < oldest->second.lastUse) oldest = it;
            cacheBytes_ -= oldest->second.bytes;
            cache_.erase(oldest);
        }
        if (cacheBytes_ + c.bytes <= options_.prefixCacheBytes) {
            cacheBytes_ += c.bytes;
            cache_.emplace(firstAnchor, std::move(c));
        }
    }
    for (SequenceScore& s : out)
        if (s.positions > 0) s.meanKl /= static_cast<double>(s.positions);
    return result;
}

CandidateScore ModelEvaluator::score(const ReductionSchedule& schedule, const std::function<bool()>& stop, bool* stopped,
                                     const std::vector<double>& rejectAbove) {
    const auto t0 = std::chrono::steady_clock::now();
    const RunResult r = run(schedule, stop, rejectAbove);
    if (stopped) *stopped = r.stopped;
    CandidateScore s;
    double klSum = 0, nllSum = 0;
    int64_t counted = 0, sequences = 0, all = 0;
    for (size_t k = 0; k < r.batchesDone; ++k) sequences += static_cast<int64_t>(batches_[order_[k]].sequence.size());
    for (const Batch& b : batches_) all += static_cast<int64_t>(b.sequence.size());
    for (const SequenceScore& q : r.sequences) {
        if (q.positions == 0) continue;
        klSum += q.meanKl;  // run() has made it the mean over the sequence's positions
        nllSum += q.nll;
        s.scoredPositions += q.positions;
        s.lostPositions += q.lost;
        ++counted;
    }
    s.objective = counted ? klSum / static_cast<double>(counted) : 0.0;
    s.nll = s.scoredPositions ? nllSum / static_cast<double>(s.scoredPositions) : 0.0;
    s.checkpoints = r.checkpoints;
    s.evaluatedFraction = all ? static_cast<double>(sequences) / static_cast<double>(all) : 1.0;
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return s;
}

std::vector<ModelEvaluator::SequenceScore> ModelEvaluator::sequenceScores(const ReductionSchedule& schedule) {
    return run(schedule, {}, {}).sequences;
}

void ModelEvaluator::evaluate(const std::vector<ReductionSchedule>& round, const std::vector<std::vector<double>>& rejectAbove,
                              const std::function<void(size_t, const CandidateScore&)>& done,
                              const std::function<bool()>& stop) {
    for (size_t i = 0; i < round.size(); ++i) {
        bool stopped = false;
        const CandidateScore s = score(round[i], stop, &stopped, i < rejectAbove.size() ? rejectAbove[i] : std::vector<double>{});
        if (stopped) return;
        done(i, s);
    }
}

}  // namespace ssmlens
