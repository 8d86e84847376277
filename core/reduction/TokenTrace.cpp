#include "core/reduction/TokenTrace.h"

#include <cmath>

#include <nlohmann/json.hpp>

namespace ssmlens {
namespace {

// JSON has no NaN: absent values are written as null.
nlohmann::json floats(const std::vector<float>& v) {
    nlohmann::json out = nlohmann::json::array();
    for (float x : v) out.push_back(std::isfinite(x) ? nlohmann::json(x) : nlohmann::json());
    return out;
}

nlohmann::json topK(const std::vector<NextTokenProbability>& v) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& p : v) out.push_back({{"id", p.id}, {"piece", p.piece}, {"probability", p.probability}});
    return out;
}

}  // namespace

nlohmann::json TokenTrace::toJson() const {
    nlohmann::json layerList = nlohmann::json::array();
    for (const auto& l : layers) {
        nlohmann::json pairs = nlohmann::json::array();
        for (const auto& p : l.similarPairs) pairs.push_back({p.a, p.b, p.cosine});
        std::vector<int> fate(l.fate.begin(), l.fate.end()), inB(l.inB.begin(), l.inB.end());
        nlohmann::json entry = {{"layer", l.layer},
                                {"anchor", l.anchor},
                                {"content_independent", l.contentIndependent},
                                {"keep_ratio", l.keepRatio},
                                {"tokens_in", l.tokensIn},
                                {"tokens_out", l.tokensOut},
                                {"importance", floats(l.importance)},
                                {"fate", fate},
                                {"destination", l.destination},
                                {"merged_fraction", floats(l.mergedFraction)},
                                {"in_b", inB},
                                {"match", l.match},
                                {"match_cosine", floats(l.matchCosine)},
                                {"similar_pairs", pairs}};
        if (!l.attentionReceived.empty()) entry["attention_received"] = floats(l.attentionReceived);
        layerList.push_back(std::move(entry));
    }
    nlohmann::json out = {{"format", "ssmlens-token-trace"},
                          {"version", 1},
                          {"length", length},
                          {"layers", layerList},
                          {"survivor_positions", survivorPositions},
                          {"survivor_members", survivorMembers},
                          {"pruned_at_layer", prunedAtLayer},
                          {"dense_top_k", topK(denseTopK)},
                          {"reduced_top_k", topK(reducedTopK)},
                          {"kl_divergence",
                           std::isfinite(klDivergence) ? nlohmann::json(klDivergence) : nlohmann::json()}};
    if (!attributionDense.empty()) out["attribution_dense"] = floats(attributionDense);
    if (!attributionReduced.empty()) out["attribution_reduced"] = floats(attributionReduced);
    return out;
}

}  // namespace ssmlens
