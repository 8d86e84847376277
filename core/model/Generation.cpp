#include "core/model/Generation.h"

#include <cmath>
#include <memory>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "core/Error.h"

namespace ssmlens {

int64_t sampleToken(const at::Tensor& logitsIn, const SamplingOptions& o, at::Generator& gen) {
    at::Tensor logits = logitsIn.to(at::kCPU, at::kDouble);
    // NaN logits come from NaN or infinite weights (reported at load); the argmax of NaN would be printed as a
    // token as if nothing were wrong.
    if (!at::isfinite(logits).all().item<bool>())
        throw Error("the model's logits are not finite (NaN or infinite): its weights are damaged; see the warning "
                    "printed when it was loaded");
    if (o.greedy || o.temperature <= 0.0) return logits.argmax().item<int64_t>();
    logits = logits / o.temperature;
    const int64_t V = logits.size(0);
    if (o.topK > 0 && o.topK < V) {
        at::Tensor kth = std::get<0>(logits.topk(o.topK)).select(0, o.topK - 1);
        logits = logits.masked_fill(logits < kth, -std::numeric_limits<double>::infinity());
    }
    if (o.topP < 1.0) {
        // Keep the smallest set of most probable tokens whose mass reaches top_p (always at least one).
        auto sorted = logits.sort(0, /*descending=*/true);
        at::Tensor probs = at::softmax(std::get<0>(sorted), 0);
        at::Tensor before = at::cumsum(probs, 0) - probs;  // mass of the tokens ranked above
        at::Tensor drop = before >= o.topP;
        at::Tensor dropIds = std::get<1>(sorted).masked_select(drop);
        logits.index_fill_(0, dropIds, -std::numeric_limits<double>::infinity());
    }
    at::Tensor probs = at::softmax(logits, 0);
    return at::multinomial(probs, 1, false, gen).item<int64_t>();
}

int64_t pickToken(const at::Tensor& logits, const SamplingOptions& o, at::Generator& gen) {
    // argmax returns the first of equal maxima on every device, as sampleToken's lowest-id rule. argmax picks a
    // NaN when there is one, so a non-finite pick is the same refusal as sampleToken's (damaged weights, warned
    // at load).
    if (o.greedy || o.temperature <= 0.0) {
        const at::Tensor flat = logits.reshape({-1});
        const int64_t id = flat.argmax().item<int64_t>();
        if (!std::isfinite(flat[id].item<double>()))
            throw Error("the model's logits are not finite (NaN or infinite): its weights are damaged; see the "
                        "warning printed when it was loaded");
        return id;
    }
    return sampleToken(logits, o, gen);
}

namespace {

// The decoder for the tokens after the prompt, started from the prompt's state. A path the caller chose is used
// or its error thrown; the default (the fastest path here) falls back to the ATen path when capturing the CUDA
// graph fails, so that generation still works where a driver or allocator setting refuses the capture
// (`ssmlens-cli check-decode` names such a failure).
std::unique_ptr<Decoder> startDecoder(const Mamba2Model& model, const std::optional<DecodePath>& chosen,
                                      const InferenceCache& cache) {
    const DecodePath path = chosen.value_or(fastestDecodePath(model));
    try {
        auto decoder = std::make_unique<Decoder>(model, path);
        decoder->start(cache);
        return decoder;
    } catch (const Error&) {
        if (chosen || path == DecodePath::Aten) throw;
    }
    auto decoder = std::make_unique<Decoder>(model, DecodePath::Aten);
    decoder->start(cache);
    return decoder;
}

}  // namespace

std::vector<int64_t> generate(const Mamba2Model& model, const std::vector<int64_t>& prompt, const SamplingOptions& o,
                              const std::function<bool(int64_t)>& onToken, LayerHook* prefillHook) {
    if (prompt.empty()) throw Error("generation needs a prompt of at least one token");
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(o.seed);
    InferenceCache cache;
    ForwardOptions f;
    f.cache = &cache;
    f.hook = prefillHook;
    f.logitsAt = LogitsAt::LastPosition;
    at::Tensor ids = at::tensor(prompt, at::kLong).view({1, -1});
    at::Tensor logits = model.forward(ids, f).logits[0];
    std::vector<int64_t> out;
    std::unique_ptr<Decoder> decoder;  // made once the prompt's first token is out (a graph capture takes a while)
    for (int64_t i = 0; i < o.maxNewTokens; ++i) {
        const int64_t next = pickToken(logits, o, gen);
        out.push_back(next);
        if (onToken && !onToken(next)) break;
        if (next == o.eosId || i + 1 == o.maxNewTokens) break;
        if (!decoder) decoder = startDecoder(model, o.decodePath, cache);
        logits = decoder->step(at::tensor(std::vector<int64_t>{next}, at::kLong))[0];
    }
    return out;
}

}  // namespace ssmlens
