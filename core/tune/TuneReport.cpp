#include "core/tune/TuneReport.h"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace ssmlens {
namespace {

std::string num(double v, const char* format = "%.6g") {
    if (!std::isfinite(v)) return "";
    char b[48];
    std::snprintf(b, sizeof b, format, v);
    return b;
}

nlohmann::json finiteOrNull(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

}  // namespace

nlohmann::json TuneReport::toJson() const {
    nlohmann::json candidates = nlohmann::json::array();
    for (const auto& c : outcome.candidates) candidates.push_back(c.toJson());
    nlohmann::json j = {{"format", "ssmlens-tune-report"},
                        {"version", 1},
                        {"setup", setup.toJson()},
                        {"evaluator", evaluator},
                        {"dense_nll", denseNll},
                        {"dense_pass_seconds", denseSeconds},
                        {"seconds", outcome.seconds},
                        {"seconds_earlier_sessions", previousSeconds},
                        {"stop", tuneStopText(outcome.stop)},
                        {"evaluated_now", outcome.evaluatedNow},
                        {"replayed", outcome.replayed},
                        {"pareto_front", outcome.front},
                        {"best", outcome.best},
                        {"candidates", candidates}};
    if (outcome.best >= 0) {
        const ReductionSchedule& best = outcome.candidates[static_cast<size_t>(outcome.best)].schedule;
        const ReferenceExport e = referenceExport(best, pretrained);
        j["reference_export"] = {{"expressible", e.expressible}, {"model_args", e.modelArgs}, {"command", e.command},
                                 {"notes", e.notes}};
    }
    if (hasHeldout) {
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& r : heldout.rows) {
            nlohmann::json values = nlohmann::json::array();
            for (double v : r.values) values.push_back(finiteOrNull(v));
            rows.push_back({{"source", r.source}, {"metric", r.metric}, {"higher_is_better", r.higherIsBetter},
                            {"dense", finiteOrNull(r.dense)}, {"values", values}});
        }
        nlohmann::json schedules = nlohmann::json::array();
        for (const auto& s : heldout.schedules) schedules.push_back(s.toJson());
        j["heldout"] = {{"data", heldout.data}, {"names", heldout.names}, {"schedules", schedules}, {"rows", rows},
                        {"seconds", heldout.seconds}};
    }
    return j;
}

std::string candidatesCsv(const std::vector<TuneCandidate>& candidates, const std::vector<size_t>& front, int64_t best) {
    std::vector<bool> onFront(candidates.size(), false);
    for (size_t i : front) onFront[i] = true;
    std::string out =
        "index,round,origin,target_flops_reduction_pct,flops_reduction_pct,token_reduction_pct,objective_kl,nll,"
        "perplexity,anchors,method,metric,hidden,residual,granularity,seconds,on_front,best\n";
    for (size_t i = 0; i < candidates.size(); ++i) {
        const TuneCandidate& c = candidates[i];
        const ReductionOptions& o = c.schedule.options;
        out += std::to_string(c.index) + "," + std::to_string(c.round) + "," + candidateOriginName(c.origin) + "," +
               num(c.targetPercent, "%.4f") + "," + num(c.flopsReductionPercent, "%.4f") + "," +
               num(c.tokenReductionPercent, "%.4f") + "," + num(c.score.objective, "%.8g") + "," +
               num(c.score.nll, "%.8g") + "," + num(std::exp(c.score.nll), "%.6g") + "," + anchorsText(c.schedule) +
               "," + methodName(c.schedule.method) + "," + metricName(o.metric) + "," + hiddenStrategyName(o.hidden) +
               "," + residualStrategyName(o.residual) + "," + granularityName(o.granularity) + "," +
               num(c.score.seconds, "%.3f") + "," + (onFront[i] ? "1" : "0") + "," +
               (static_cast<int64_t>(i) == best ? "1" : "0") + "\n";
    }
    return out;
}

std::string frontTable(const std::vector<TuneCandidate>& candidates, const std::vector<size_t>& front) {
    std::string out = "FLOPs -%   KL (nats)   candidate  origin       method and options; anchors (layer:keep ratio)\n";
    for (size_t i : front) {
        const TuneCandidate& c = candidates[i];
        char b[96];
        std::snprintf(b, sizeof b, "%8.2f  %10.5f  %9lld  %-11s  ", c.flopsReductionPercent, c.score.objective,
                      static_cast<long long>(c.index), candidateOriginName(c.origin).c_str());
        out += b + methodText(c.schedule) + "; " + anchorsText(c.schedule) + "\n";
    }
    return out;
}

std::string heldoutTable(const HeldoutComparison& h) {
    std::string out;
    char b[64];
    std::snprintf(b, sizeof b, "%-20s %-26s %10s", "source", "metric", "dense");
    out += b;
    for (size_t k = 0; k < h.names.size(); ++k) {
        std::snprintf(b, sizeof b, " %12s", ("[" + std::to_string(k + 1) + "]").c_str());
        out += b;
    }
    out += "\n";
    for (const auto& r : h.rows) {
        std::snprintf(b, sizeof b, "%-20s %-26s %10s", r.source.c_str(), r.metric.c_str(), num(r.dense, "%.4f").c_str());
        out += b;
        for (double v : r.values) {
            std::snprintf(b, sizeof b, " %12s", std::isfinite(v) ? num(v, "%.4f").c_str() : "-");
            out += b;
        }
        out += "\n";
    }
    for (size_t k = 0; k < h.names.size(); ++k)
        out += "[" + std::to_string(k + 1) + "] " + h.names[k] + ": " + methodText(h.schedules[k]) + "; " +
               anchorsText(h.schedules[k]) + "\n";
    return out;
}

}  // namespace ssmlens
