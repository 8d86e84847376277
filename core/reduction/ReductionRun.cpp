#include "core/reduction/ReductionRun.h"

#include <chrono>

#include <ATen/ATen.h>

#include "core/Error.h"
#include "core/bench/DeviceTimer.h"
#include "core/reduction/TokenReductionHook.h"

namespace ssmlens {
namespace {

std::vector<NextTokenProbability> topTokens(const at::Tensor& probs, int64_t k, const Tokenizer* tok) {
    auto top = probs.topk(std::min<int64_t>(k, probs.size(0)));
    std::vector<NextTokenProbability> out;
    for (int64_t i = 0; i < std::get<0>(top).size(0); ++i) {
        const int64_t id = std::get<1>(top)[i].item<int64_t>();
        std::string piece = tok ? tok->decode({id}) : std::to_string(id);
        // Control tokens decode to nothing: name them, so a view never shows an empty candidate.
        if (piece.empty()) piece = tok && id == tok->eosId() ? "<end of text>" : "<id " + std::to_string(id) + ">";
        out.push_back({id, piece, std::get<0>(top)[i].item<float>()});
    }
    return out;
}

double millisecondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

ReductionRunResult runReduction(const Mamba2Model& model, const std::vector<int64_t>& ids,
                                const ReductionSchedule& schedule, const Tokenizer* tok,
                                const ReductionRunOptions& options) {
    const int64_t topK = options.topK;
    if (ids.empty()) throw Error("the prompt has no tokens");
    schedule.validate(model.config().nLayer);
    at::Tensor input = at::tensor(ids, at::kLong).view({1, -1});
    ReductionRunResult out;

    auto t0 = std::chrono::steady_clock::now();
    at::Tensor denseLast;
    if (options.cache && options.cache->lastLogits.defined() && options.cache->ids == ids) {
        denseLast = options.cache->lastLogits;
        out.denseFromCache = true;
    } else {
        ForwardOptions dense;
        dense.logitsAt = LogitsAt::LastPosition;
        dense.probe = options.denseProbe;
        denseLast = model.forward(input, dense).logits[0].to(at::kCPU, at::kDouble);
        out.denseMs = millisecondsSince(t0);
        if (options.cache) {
            options.cache->ids = ids;
            options.cache->lastLogits = denseLast;
        }
    }

    t0 = std::chrono::steady_clock::now();
    TokenReductionHook hook(schedule, {}, /*recordTrace=*/true);
    ForwardOptions reduced;
    reduced.hook = &hook;
    reduced.probe = options.reducedProbe;
    if (!options.allReducedLogits) reduced.logitsAt = LogitsAt::LastPosition;
    out.reducedLogits = model.forward(input, reduced).logits[0].to(at::kCPU);
    if (!options.allReducedLogits) out.reducedLogits = out.reducedLogits.unsqueeze(0);
    out.reducedMs = millisecondsSince(t0);

    out.trace = hook.trace(0);
    at::Tensor reducedLast = out.reducedLogits[out.reducedLogits.size(0) - 1].to(at::kDouble);
    at::Tensor logPDense = at::log_softmax(denseLast, 0), logPReduced = at::log_softmax(reducedLast, 0);
    out.trace.denseTopK = topTokens(logPDense.exp(), topK, tok);
    out.trace.reducedTopK = topTokens(logPReduced.exp(), topK, tok);
    out.trace.klDivergence = (logPDense.exp() * (logPDense - logPReduced)).sum().item<double>();
    out.flops = scheduleFlops(model.config(), schedule, static_cast<int64_t>(ids.size()));
    return out;
}

}  // namespace ssmlens
