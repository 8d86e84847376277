#include "core/eval/LoglikelihoodScorer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include <ATen/ATen.h>

#include "core/Error.h"
#include "core/model/LayerHook.h"
#include "core/reduction/TokenReductionHook.h"

namespace ssmlens {
namespace {

// Runs after every other hook: keeps the streams the head reads after the last block, and the number of
// tokens each layer hands on (for the measured token reduction).
class ScoringCapture : public LayerHook {
public:
    explicit ScoringCapture(int64_t lastLayer) : last_(lastLayer) {}
    void afterLayer(int64_t layer, LayerStreams& s) override {
        auto len = s.lengths.accessor<int64_t, 1>();  // on the CPU (LayerStreams)
        std::vector<int64_t> after(len.size(0));
        for (int64_t b = 0; b < len.size(0); ++b) after[b] = len[b];
        lengthsAfter.push_back(std::move(after));
        if (layer == last_) {
            hidden = s.hidden;
            residual = s.residual;
        }
    }
    std::vector<std::vector<int64_t>> lengthsAfter;  // [layer][sequence]
    at::Tensor hidden, residual;

private:
    int64_t last_;
};

// The head on the given rows of the last block's streams ([B*T, D] flattened): the log-probability of each row's
// target and the row's argmax, on the CPU. Both scoring modes read their rows through this.
void scoreRows(const Mamba2Model& model, const ScoringCapture& capture, int64_t D, const std::vector<int64_t>& rows,
               const std::vector<int64_t>& targets, std::vector<float>& picked, std::vector<int64_t>& argmax) {
    if (rows.empty()) return;
    const at::Tensor index = at::tensor(rows, at::kLong).to(capture.hidden.device());
    at::Tensor logits = model.head(capture.hidden.reshape({-1, D}).index_select(0, index),
                                   capture.residual.reshape({-1, D}).index_select(0, index));
    const at::Tensor target = at::tensor(targets, at::kLong).to(logits.device()).view({-1, 1});
    at::Tensor lp = at::log_softmax(logits, -1).gather(1, target).squeeze(1).to(at::kCPU).contiguous();
    at::Tensor am = logits.argmax(-1).to(at::kCPU).contiguous();
    picked.assign(lp.data_ptr<float>(), lp.data_ptr<float>() + lp.numel());
    argmax.assign(am.data_ptr<int64_t>(), am.data_ptr<int64_t>() + am.numel());
}

struct ModelInput {
    std::vector<int64_t> ids;      // what the model reads
    std::vector<int64_t> targets;  // the continuation tokens
    int64_t firstScored = 0;       // input position that predicts targets[0]; the span runs to the end
};

// lm-eval: inp = (context_enc + continuation_enc)[-(max_length + 1):][:-1]
ModelInput modelInput(const TokenizedRequest& r, int64_t maxLength) {
    // The window must hold the whole continuation: lm-eval's slicing would otherwise score positions
    // before the window's start (a negative index), which is a different number, not a truncation.
    if (maxLength > 0 && static_cast<int64_t>(r.continuation.size()) > maxLength)
        throw Error("a continuation of " + std::to_string(r.continuation.size()) + " tokens does not fit the model window of " +
                    std::to_string(maxLength) + " tokens (--max-length)");
    std::vector<int64_t> all = r.context;
    all.insert(all.end(), r.continuation.begin(), r.continuation.end());
    if (maxLength > 0 && static_cast<int64_t>(all.size()) > maxLength + 1)
        all.erase(all.begin(), all.end() - (maxLength + 1));
    ModelInput in;
    in.ids.assign(all.begin(), all.end() - 1);
    in.targets = r.continuation;
    in.firstScored = static_cast<int64_t>(in.ids.size() - r.continuation.size());
    return in;
}

// Stops a forward pass between two layers once the flag is set, so a cancel takes effect within one layer's
// time rather than a whole batch's (seconds for long requests on a CPU).
class CancelCheck : public LayerHook {
public:
    explicit CancelCheck(const std::atomic<bool>* flag) : flag_(flag) {}
    void afterLayer(int64_t, LayerStreams&) override {
        if (flag_->load()) throw EvalCancelled();
    }

private:
    const std::atomic<bool>* flag_;
};

void scoreBatch(const Mamba2Model& model, const std::vector<ModelInput>& inputs, const std::vector<size_t>& batch,
                const ReductionSchedule* schedule, const std::atomic<bool>* cancel, std::vector<RequestScore>& out) {
    const int64_t B = static_cast<int64_t>(batch.size());
    int64_t L = 0;
    for (size_t i : batch) L = std::max<int64_t>(L, inputs[i].ids.size());
    at::Tensor ids = at::zeros({B, L}, at::kLong), lengths = at::empty({B}, at::kLong);
    std::vector<std::set<int64_t>> protect(B);
    for (int64_t b = 0; b < B; ++b) {
        const ModelInput& in = inputs[batch[b]];
        const int64_t n = static_cast<int64_t>(in.ids.size());
        ids[b].narrow(0, 0, n).copy_(at::tensor(in.ids, at::kLong));
        lengths[b] = n;
        if (schedule && schedule->options.protectScoringSpan)
            for (int64_t p = in.firstScored; p < n; ++p) protect[b].insert(p);  // original coordinates
    }
    std::unique_ptr<TokenReductionHook> reduction;
    HookChain chain;
    if (schedule) {
        reduction = std::make_unique<TokenReductionHook>(*schedule, protect);
        chain.add(reduction.get());
    }
    std::optional<CancelCheck> cancelCheck;
    if (cancel) chain.add(&cancelCheck.emplace(cancel));
    ScoringCapture capture(model.config().nLayer - 1);
    chain.add(&capture);
    ForwardOptions fo;
    fo.lengths = lengths;
    fo.hook = &chain;
    fo.logitsAt = LogitsAt::None;  // the head runs below on the scored rows only
    model.forward(ids, fo);

    // Rows of the final streams that predict each continuation token, found by original position.
    const int64_t Lout = capture.hidden.size(1), D = capture.hidden.size(2);
    std::vector<int64_t> rows, targets;
    std::vector<size_t> rowStart(B, 0);
    std::vector<bool> scorable(B, true);
    for (int64_t b = 0; b < B; ++b) {
        const ModelInput& in = inputs[batch[b]];
        rowStart[b] = rows.size();
        std::vector<int64_t> mine;
        for (size_t j = 0; j < in.targets.size() && scorable[b]; ++j) {
            const int64_t p = in.firstScored + static_cast<int64_t>(j);
            int64_t row = p;
            if (reduction) {
                const std::vector<int64_t>& own = reduction->survivorPositions(b);
                auto it = std::lower_bound(own.begin(), own.end(), p);
                if (it == own.end() || *it != p) scorable[b] = false;  // merged or pruned away
                row = it - own.begin();
            }
            mine.push_back(b * Lout + row);
        }
        if (!scorable[b]) continue;
        rows.insert(rows.end(), mine.begin(), mine.end());
        targets.insert(targets.end(), in.targets.begin(), in.targets.end());
    }
    std::vector<float> picked;
    std::vector<int64_t> argmax;
    scoreRows(model, capture, D, rows, targets, picked, argmax);

    const int64_t nLayer = model.config().nLayer;
    for (int64_t b = 0; b < B; ++b) {
        const ModelInput& in = inputs[batch[b]];
        RequestScore& s = out[batch[b]];
        s.inputTokens = static_cast<int64_t>(in.ids.size());
        s.scoredTokens = static_cast<int64_t>(in.targets.size());
        double entering = static_cast<double>(s.inputTokens);  // layer 0 reads every token
        for (int64_t l = 1; l < nLayer; ++l) entering += static_cast<double>(capture.lengthsAfter[l - 1][b]);
        s.measuredTokenReductionPercent = 100.0 * (1.0 - entering / (static_cast<double>(s.inputTokens) * nLayer));
        s.scorable = scorable[b];
        if (!s.scorable) {
            s.loglikelihood = std::numeric_limits<double>::quiet_NaN();
            s.greedy = false;
            continue;
        }
        s.tokensRead = s.scoredTokens;
        s.loglikelihood = 0;
        s.greedy = true;
        for (size_t j = 0; j < in.targets.size(); ++j) {
            s.loglikelihood += picked[rowStart[b] + j];
            s.greedy = s.greedy && argmax[rowStart[b] + j] == in.targets[j];
        }
    }
}

// Python's a[start:stop] on a sequence of n items, as the half-open range [first, last): a negative bound
// counts from the end, then both are clamped to [0, n]; stop before start gives nothing. lm-eval slices a
// torch tensor, which follows the same rules.
std::pair<int64_t, int64_t> pythonSlice(int64_t start, int64_t stop, int64_t n) {
    auto bound = [n](int64_t i) { return std::clamp<int64_t>(i < 0 ? i + n : i, 0, n); };
    const int64_t first = bound(start), last = bound(stop);
    return {first, std::max(first, last)};
}

// ScoringMode::Paper: one batch as lm-evaluation-harness ran it over the authors' code (wuyushuwys/ToR_SSM,
// src/eval/huggingface.py, _loglikelihood_tokens; the same lines in lm-eval 0.4.2's HFLM):
//  - inputs right-padded with token 0 to the longest one, M tokens (pad_and_concat); the model reads the
//    padding as tokens and the reduction treats all M as one sequence (no lengths are passed to it);
//  - no span protected (the reference protects nothing; our other methods still keep each row's last
//    position, as they always do);
//  - the output has M' rows; for a request of inplen input tokens and contlen continuation tokens the
//    log-probabilities come from rows logits[ctx_len - contlen : ctx_len], ctx_len = inplen + (M' - M),
//    with Python's slice rules, and the continuation tokens are cut to the rows read;
//  - loglikelihood = the sum of the gathered log-probabilities, greedy = every read row's argmax is its
//    token (both over nothing when the slice is empty: 0 and true).
void scoreBatchAsThePaperDid(const Mamba2Model& model, const std::vector<ModelInput>& inputs,
                             const std::vector<size_t>& batch, const ReductionSchedule& schedule,
                             const std::atomic<bool>* cancel, std::vector<RequestScore>& out) {
    const int64_t B = static_cast<int64_t>(batch.size());
    int64_t M = 0;
    for (size_t i : batch) M = std::max<int64_t>(M, inputs[i].ids.size());
    at::Tensor ids = at::zeros({B, M}, at::kLong);  // token 0 pads, as lm-eval's pad_and_concat
    for (int64_t b = 0; b < B; ++b) {
        const ModelInput& in = inputs[batch[b]];
        ids[b].narrow(0, 0, static_cast<int64_t>(in.ids.size())).copy_(at::tensor(in.ids, at::kLong));
    }
    TokenReductionHook reduction(schedule);
    ScoringCapture capture(model.config().nLayer - 1);
    HookChain chain;
    chain.add(&reduction);
    std::optional<CancelCheck> cancelCheck;
    if (cancel) chain.add(&cancelCheck.emplace(cancel));
    chain.add(&capture);
    ForwardOptions fo;
    fo.lengths = at::full({B}, M, at::kLong);  // the padding is part of every sequence
    fo.hook = &chain;
    fo.logitsAt = LogitsAt::None;  // the head runs below on the rows read only
    model.forward(ids, fo);

    const int64_t Mout = capture.hidden.size(1), D = capture.hidden.size(2);
    // Every row had M tokens and the same protected count (its last), so every method leaves the same
    // number: the logits tensor lm-eval slices is [B, M', V] with no padding of its own.
    for (int64_t b = 0; b < B; ++b)
        if (capture.lengthsAfter.back()[b] != Mout)
            throw Error("paper scoring: the rows of a padded batch came out of the reduction with different lengths");
    std::vector<int64_t> rows, targets;
    std::vector<size_t> rowStart(B, 0), read(B, 0);
    std::vector<bool> misread(B, false);
    for (int64_t b = 0; b < B; ++b) {
        const ModelInput& in = inputs[batch[b]];
        const int64_t inplen = static_cast<int64_t>(in.ids.size()), contlen = static_cast<int64_t>(in.targets.size());
        const int64_t ctxLen = inplen + (Mout - M);
        const auto [first, last] = pythonSlice(ctxLen - contlen, ctxLen, Mout);
        const std::vector<int64_t>& own = reduction.survivorPositions(b);
        rowStart[b] = rows.size();
        read[b] = static_cast<size_t>(last - first);
        misread[b] = last - first < contlen;
        for (int64_t j = 0; j < last - first; ++j) {
            const int64_t row = first + j;
            rows.push_back(b * Mout + row);
            targets.push_back(in.targets[j]);
            // The row that predicts target j is the survivor of original position firstScored + j.
            misread[b] = misread[b] || own[row] != in.firstScored + j;
        }
    }
    std::vector<float> picked;
    std::vector<int64_t> argmax;
    scoreRows(model, capture, D, rows, targets, picked, argmax);

    const int64_t nLayer = model.config().nLayer;
    for (int64_t b = 0; b < B; ++b) {
        const ModelInput& in = inputs[batch[b]];
        RequestScore& s = out[batch[b]];
        s.inputTokens = static_cast<int64_t>(in.ids.size());
        s.scoredTokens = static_cast<int64_t>(in.targets.size());
        double entering = static_cast<double>(M);  // of the padded row, which is what was reduced
        for (int64_t l = 1; l < nLayer; ++l) entering += static_cast<double>(capture.lengthsAfter[l - 1][b]);
        s.measuredTokenReductionPercent = 100.0 * (1.0 - entering / (static_cast<double>(M) * nLayer));
        s.scorable = true;
        s.tokensRead = static_cast<int64_t>(read[b]);
        s.misread = misread[b];
        s.loglikelihood = 0;
        s.greedy = true;
        for (size_t j = 0; j < read[b]; ++j) {
            s.loglikelihood += picked[rowStart[b] + j];
            s.greedy = s.greedy && argmax[rowStart[b] + j] == in.targets[j];
        }
    }
}

}  // namespace

std::vector<RequestScore> scoreLoglikelihoods(const Mamba2Model& model, const std::vector<TokenizedRequest>& requests,
                                              const ReductionSchedule* schedule, const ScoringOptions& options) {
    if (schedule) schedule->validate(model.config().nLayer);
    const int64_t vocab = model.vocabRows();
    std::vector<RequestScore> out(requests.size());
    std::vector<ModelInput> inputs(requests.size());
    std::vector<size_t> order;
    for (size_t i = 0; i < requests.size(); ++i) {
        const TokenizedRequest& r = requests[i];
        if (r.context.empty()) throw Error("request " + std::to_string(i) + " has no context tokens");
        if (r.continuation.empty()) {
            // lm-eval: the sum over no tokens is 0 and all() of nothing is true.
            out[i].greedy = true;
            continue;
        }
        if (options.maxLength > 0 && static_cast<int64_t>(r.continuation.size()) > options.maxLength)
            throw Error("request " + std::to_string(i) + ": the continuation has " + std::to_string(r.continuation.size()) +
                        " tokens, more than the window of " + std::to_string(options.maxLength));
        for (const auto* part : {&r.context, &r.continuation})
            for (int64_t id : *part)
                if (id < 0 || id >= vocab)
                    throw Error("request " + std::to_string(i) + ": token id " + std::to_string(id) +
                                " is outside the model's vocabulary of " + std::to_string(vocab) +
                                " (does the tokenizer belong to this model?)");
        inputs[i] = modelInput(r, options.maxLength);
        order.push_back(i);
    }
    const bool asThePaper = schedule && options.mode == ScoringMode::Paper;
    if (asThePaper) {
        // lm-eval's order exactly (Reorderer / Collator key: -len(tokens), tuple(tokens), over the whole
        // context + continuation before truncation): in this mode the batches decide what is read.
        std::vector<std::vector<int64_t>> tokens(requests.size());
        for (size_t i : order) {
            tokens[i] = requests[i].context;
            tokens[i].insert(tokens[i].end(), requests[i].continuation.begin(), requests[i].continuation.end());
        }
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
            if (tokens[a].size() != tokens[b].size()) return tokens[a].size() > tokens[b].size();
            return tokens[a] < tokens[b];
        });
    } else {
        // Longest first, as lm-eval orders its batches; ties keep the request order, so runs are repeatable.
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t a, size_t b) { return inputs[a].ids.size() > inputs[b].ids.size(); });
    }
    const int64_t total = static_cast<int64_t>(requests.size());
    int64_t done = total - static_cast<int64_t>(order.size());
    const size_t batchSize = static_cast<size_t>(std::max<int64_t>(1, options.batchSize));
    for (size_t start = 0; start < order.size(); start += batchSize) {
        if (options.cancel && options.cancel->load()) throw EvalCancelled();
        const std::vector<size_t> batch(order.begin() + start, order.begin() + std::min(order.size(), start + batchSize));
        if (asThePaper) scoreBatchAsThePaperDid(model, inputs, batch, *schedule, options.cancel, out);
        else scoreBatch(model, inputs, batch, schedule, options.cancel, out);
        done += static_cast<int64_t>(batch.size());
        if (options.progress) options.progress(done, total);
    }
    return out;
}

}  // namespace ssmlens
