#pragma once
// Text generation: a prefill of the prompt, then one-step decoding with greedy or sampled tokens,
// streamed to a callback as they are produced.
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/model/Decoder.h"
#include "core/model/Mamba2Model.h"

namespace ssmlens {

struct SamplingOptions {
    bool greedy = true;
    double temperature = 1.0;
    int64_t topK = 0;      // 0 = off
    double topP = 1.0;     // 1 = off
    uint64_t seed = 0;
    int64_t maxNewTokens = 32;
    int64_t eosId = -1;    // stop after producing this id (-1 = never)
    // How the tokens after the prompt are decoded (core/model/Decoder.h); unset: the fastest path available
    // (CUDA graphs on a GPU). Every path gives the same tokens but where fp32 sums in another order decide a near
    // tie (`ssmlens-cli check-decode`).
    std::optional<DecodePath> decodePath;
};

// Picks the next token from logits [V]. temperature/top-k/top-p are applied in that order; ties in greedy
// selection go to the lowest id.
int64_t sampleToken(const at::Tensor& logits, const SamplingOptions& options, at::Generator& generator);

// Picks the next token from logits [V] on any device. Greedy picks on the device (the argmax read back, not
// the logits), with sampleToken's tie rule; sampling copies the logits to the host for sampleToken.
int64_t pickToken(const at::Tensor& logits, const SamplingOptions& options, at::Generator& generator);

// Returns the new ids (not the prompt). `onToken` sees each id as it is produced; returning false stops.
// `prefillHook` (optional) runs during the prompt's prefill, e.g. token reduction.
std::vector<int64_t> generate(const Mamba2Model& model, const std::vector<int64_t>& prompt,
                              const SamplingOptions& options, const std::function<bool(int64_t)>& onToken = {},
                              LayerHook* prefillHook = nullptr);

}  // namespace ssmlens
