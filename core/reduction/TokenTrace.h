#pragma once
// TokenTrace: what the views draw for one prompt and one schedule. Every per-token array is indexed by the
// position in the ORIGINAL prompt, so all layers line up however many tokens a layer still has.
// The JSON form is documented in docs/trace-format.md.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace ssmlens {

// What happens to a token at one layer. Traces store it per original position as int8_t, the reduction step
// as an int64 tensor in input coordinates; the CUDA step uses the same values (core/cuda/ReductionKernels.cuh).
// Gone: the token left at an earlier layer, so this layer never sees it (traces only).
enum TokenFate : int8_t { FateGone = -1, FateKept = 0, FateMerged = 1, FatePruned = 2 };

struct SimilarPair {
    int64_t a = 0, b = 0;  // original positions, a < b
    float cosine = 0;
};

struct LayerTrace {
    int64_t layer = 0;
    bool anchor = false;
    double keepRatio = 1.0;
    int64_t tokensIn = 0, tokensOut = 0;
    // Anchors only: the method chose which tokens go, and where, from their positions alone
    // (choicesIgnoreContent, core/reduction/ReductionMethod.h); the views mark such anchors.
    bool contentIndependent = false;
    // Per original position. A position that left at an earlier layer has fate FateGone and NaN importance.
    std::vector<float> importance;
    std::vector<int8_t> fate;            // TokenFate at this layer (FateGone for a position that left earlier)
    std::vector<int64_t> destination;    // merged into this original position (-1 otherwise)
    std::vector<float> mergedFraction;   // share of hidden channels merged (channel mode)
    std::vector<int8_t> inB;             // 1 destination set, 0 candidate set, -1 gone / not an anchor
    std::vector<int64_t> match;          // best match's original position (-1 none)
    std::vector<float> matchCosine;      // NaN when there is no match
    std::vector<SimilarPair> similarPairs;  // the most similar pairs among the tokens present (anchors only)
    // Filled only when asked for (ssmlens-cli reduce --attention, the window's Attention view): the share of all
    // reads at this layer that goes to each token, from blocks.L.hook_pattern of the reduced pass (column sums of
    // the mean over heads of the row-normalised |M|; docs/implicit-attention.md). NaN: gone. Empty otherwise.
    std::vector<float> attentionReceived;
};

struct NextTokenProbability {
    int64_t id = 0;
    std::string piece;
    float probability = 0;
};

struct TokenTrace {
    int64_t length = 0;  // original prompt tokens
    std::vector<LayerTrace> layers;
    std::vector<int64_t> survivorPositions;              // own original position of each final token
    std::vector<std::vector<int64_t>> survivorMembers;   // original positions each final token stands for
    std::vector<int64_t> prunedAtLayer;                  // per original position: layer it was pruned at, or -1
    // Filled by the caller that runs dense and reduced models.
    std::vector<NextTokenProbability> denseTopK, reducedTopK;
    double klDivergence = std::numeric_limits<double>::quiet_NaN();  // KL(dense || reduced) at the last position
    // Filled only when asked for, like LayerTrace::attentionReceived: the attention-rollout attribution of the
    // next-token prediction to each original position, dense and reduced (core/attention/AttentionRollout.h).
    std::vector<float> attributionDense, attributionReduced;

    nlohmann::json toJson() const;
};

}  // namespace ssmlens
