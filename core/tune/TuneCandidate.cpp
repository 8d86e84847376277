#include "core/tune/TuneCandidate.h"

#include <cstdio>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/Error.h"

namespace ssmlens {
namespace {

const std::vector<std::pair<CandidateOrigin, const char*>> kOrigins = {
    {CandidateOrigin::Preset, "preset"}, {CandidateOrigin::Seed, "seed"},     {CandidateOrigin::Search, "search"},
    {CandidateOrigin::Random, "random"}, {CandidateOrigin::Ladder, "ladder"}, {CandidateOrigin::Expressible, "expressible"}};

}  // namespace

std::string candidateOriginName(CandidateOrigin o) {
    for (const auto& e : kOrigins)
        if (e.first == o) return e.second;
    return "?";
}

CandidateOrigin parseCandidateOriginName(const std::string& name) {
    for (const auto& e : kOrigins)
        if (name == e.second) return e.first;
    throw Error("unknown candidate origin \"" + name + "\"");
}

nlohmann::json TuneCandidate::toJson() const {
    return {{"index", index},
            {"round", round},
            {"origin", candidateOriginName(origin)},
            {"target_flops_reduction_pct", targetPercent},
            {"flops_reduction_pct", flopsReductionPercent},
            {"token_reduction_pct", tokenReductionPercent},
            {"objective_kl", score.objective},
            {"nll", score.nll},
            {"scored_positions", score.scoredPositions},
            {"lost_positions", score.lostPositions},
            {"seconds", score.seconds},
            {"checkpoints_kl", score.checkpoints},
            {"evaluated_fraction", score.evaluatedFraction},
            {"anchors_text", anchorsText(schedule)},
            {"schedule", schedule.toJson()}};
}

TuneCandidate TuneCandidate::fromJson(const nlohmann::json& j, const std::string& source) {
    TuneCandidate c;
    try {
        c.index = j.at("index").get<int64_t>();
        c.round = j.at("round").get<int64_t>();
        c.origin = parseCandidateOriginName(j.at("origin").get<std::string>());
        c.targetPercent = j.at("target_flops_reduction_pct").get<double>();
        c.flopsReductionPercent = j.at("flops_reduction_pct").get<double>();
        c.tokenReductionPercent = j.at("token_reduction_pct").get<double>();
        c.score.objective = j.at("objective_kl").get<double>();
        c.score.nll = j.at("nll").get<double>();
        c.score.scoredPositions = j.at("scored_positions").get<int64_t>();
        c.score.lostPositions = j.at("lost_positions").get<int64_t>();
        c.score.seconds = j.at("seconds").get<double>();
        c.score.checkpoints = j.value("checkpoints_kl", std::vector<double>{});
        c.score.evaluatedFraction = j.value("evaluated_fraction", 1.0);
    } catch (const nlohmann::json::exception& e) {
        throw Error(source + ": malformed candidate (" + e.what() + ")");
    } catch (const Error& e) {
        throw Error(source + ": " + e.what());
    }
    if (!j.contains("schedule")) throw Error(source + ": a candidate has no \"schedule\"");
    c.schedule = ReductionSchedule::fromJson(j["schedule"], source);
    return c;
}

std::string anchorsText(const ReductionSchedule& s) {
    if (s.anchors.empty()) return "dense";
    std::string out;
    for (const auto& a : s.anchors) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "%s%lld:%.3f", out.empty() ? "" : " ", static_cast<long long>(a.layer), a.keepRatio);
        out += buf;
    }
    return out;
}

std::string methodText(const ReductionSchedule& s) {
    const ReductionOptions d, &o = s.options;
    std::string out = methodName(s.method);
    if (o.metric != d.metric) out += ", metric " + metricName(o.metric);
    if (o.hidden != d.hidden) out += ", hidden " + hiddenStrategyName(o.hidden);
    if (o.residual != d.residual) out += ", residual " + residualStrategyName(o.residual);
    if (o.granularity != d.granularity) out += ", granularity " + granularityName(o.granularity);
    if (o.protectScoringSpan != d.protectScoringSpan) out += ", scoring span not protected";
    return out;
}

std::string scheduleKey(const ReductionSchedule& s) { return s.toJson().dump(); }

}  // namespace ssmlens
