#include "core/eval/AccuracySweep.h"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/eval/EvalResultJson.h"
#include "core/eval/SweepDetails.h"

namespace ssmlens {

std::vector<SweepPoint> runSweep(const Mamba2Model& model, const Tokenizer& tokenizer,
                                 const std::vector<EvalTaskData>& tasks, const SweepSettings& settings,
                                 SweepDetails* detailsOut) {
    const int64_t nLayer = model.config().nLayer;
    std::vector<PreparedEval> prepared;
    int64_t total = 0, reducedPasses = 0;
    for (double q : settings.keepRatios) reducedPasses += q < 1.0;
    reducedPasses *= static_cast<int64_t>(settings.methods.size());
    for (const EvalTaskData& t : tasks) {
        prepared.push_back(prepareEval(tokenizer, t, settings.selection));
        total += static_cast<int64_t>(prepared.back().requests.size()) * (1 + reducedPasses);
    }
    int64_t offset = 0;
    auto options = [&]() {
        ScoringOptions o = settings.scoring;
        if (settings.scoring.progress)
            o.progress = [&, base = offset](int64_t done, int64_t) { settings.scoring.progress(base + done, total); };
        return o;
    };
    SweepDetails details;
    details.methods = settings.methods;
    details.keepRatios = settings.keepRatios;
    details.protectScoringSpan = settings.protectScoringSpan;
    details.selection = settings.selection;
    details.maxLength = settings.scoring.maxLength;
    for (PreparedEval& p : prepared) {
        p.result.model = settings.modelName;
        const int64_t n = static_cast<int64_t>(p.requests.size());
        const std::vector<RequestScore> dense = scoreLoglikelihoods(model, p.requests, nullptr, options());
        offset += n;
        SweepTaskDetails task;
        task.dense = assembleEval(p, model, settings.scoring.maxLength, dense, nullptr, nullptr);
        for (ReductionMethod m : settings.methods)
            for (double q : settings.keepRatios) {
                ReductionSchedule s = depthScaledSchedule(nLayer, std::min(q, 1.0), m);
                s.options.protectScoringSpan = settings.protectScoringSpan;
                std::vector<RequestScore> reduced = dense;
                if (q < 1.0) {
                    reduced = scoreLoglikelihoods(model, p.requests, &s, options());
                    offset += n;
                }
                const EvalResult r = assembleEval(p, model, settings.scoring.maxLength, dense, &s, &reduced);
                task.points.push_back(sweepPointFrom(task, m, q, r));
            }
        details.tasks.push_back(std::move(task));
    }
    std::vector<SweepPoint> points = sweepPointsOf(details);
    if (detailsOut) *detailsOut = std::move(details);
    return points;
}

std::string sweepToCsv(const std::vector<SweepPoint>& points) {
    std::string out = "task,method,keep_ratio,metric,dense,reduced,difference,token_reduction_pct,"
                      "flops_reduction_pct,measured_token_reduction_pct,examples,unscorable_examples\n";
    char line[512];
    for (const SweepPoint& p : points)
        for (const MetricSummary& m : p.summary.metrics) {
            std::snprintf(line, sizeof line, "%s,%s,%.6g,%s,%.10g,%.10g,%.10g,%.4f,%.4f,%.4f,%lld,%lld\n",
                          p.task.c_str(), methodName(p.method).c_str(), p.keepRatio, evalMetricName(m.metric).c_str(),
                          m.dense, m.reduced, m.reduced - m.dense, p.summary.tokenReductionPercent,
                          p.summary.flopsReductionPercent, p.summary.measuredTokenReductionPercent,
                          static_cast<long long>(p.summary.examples), static_cast<long long>(p.summary.unscorableExamples));
            out += line;
        }
    return out;
}

nlohmann::json sweepToJson(const std::vector<SweepPoint>& points, const SweepSettings& settings, int64_t nLayer) {
    nlohmann::json rows = nlohmann::json::array();
    for (const SweepPoint& p : points) {
        ReductionSchedule s = depthScaledSchedule(nLayer, std::min(p.keepRatio, 1.0), p.method);
        s.options.protectScoringSpan = settings.protectScoringSpan;
        rows.push_back({{"task", p.task}, {"method", methodName(p.method)}, {"keep_ratio", p.keepRatio},
                        {"schedule", s.toJson()}, {"summary", evalSummaryToJson(p.summary, true)}});
    }
    const ExampleSelection& sel = settings.selection;
    return {{"format", "ssmlens-accuracy-sweep"},
            {"version", 1},
            {"selection", {{"limit", sel.limit}, {"seed", sel.seed ? nlohmann::json(*sel.seed) : nlohmann::json(nullptr)}}},
            {"max_length", settings.scoring.maxLength},
            {"points", rows}};
}

}  // namespace ssmlens
