#include "core/eval/AccuracySweep.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/eval/EvalResultJson.h"
#include "core/eval/SweepDetails.h"

namespace ssmlens {
namespace {

ReductionSchedule sweepSchedule(int64_t nLayer, ReductionMethod m, double q, bool protectScoringSpan) {
    ReductionSchedule s = depthScaledSchedule(nLayer, std::min(q, 1.0), m);
    s.options.protectScoringSpan = protectScoringSpan;
    return s;
}

}  // namespace

std::vector<SweepPoint> runSweep(const Mamba2Model& model, const Tokenizer& tokenizer,
                                 const std::vector<EvalTaskData>& tasks, const SweepSettings& settings,
                                 SweepDetails* detailsOut) {
    const int64_t nLayer = model.config().nLayer;
    std::vector<PreparedEval> prepared;
    int64_t total = 0, reducedPasses = 0;
    for (double q : settings.keepRatios) reducedPasses += q < 1.0;
    reducedPasses *= static_cast<int64_t>(settings.methods.size() * settings.scorings.size());
    for (const EvalTaskData& t : tasks) {
        prepared.push_back(prepareEval(tokenizer, t, settings.selection));
        total += static_cast<int64_t>(prepared.back().requests.size()) * (1 + reducedPasses);
    }
    int64_t offset = 0;
    auto options = [&](ScoringMode mode) {
        ScoringOptions o = settings.scoring;
        o.mode = mode;
        if (settings.scoring.progress)
            o.progress = [&, base = offset](int64_t done, int64_t) { settings.scoring.progress(base + done, total); };
        return o;
    };
    // Scores per task: dense, then one vector per (method, ratio, mode).
    std::vector<std::vector<RequestScore>> dense;
    for (PreparedEval& p : prepared) {
        p.result.model = settings.modelName;
        dense.push_back(scoreLoglikelihoods(model, p.requests, nullptr, options(ScoringMode::Correct)));
        offset += static_cast<int64_t>(p.requests.size());
    }
    using Key = std::tuple<size_t, size_t, size_t>;  // method, ratio, mode (indices into the settings)
    std::map<Key, std::vector<std::vector<RequestScore>>> reduced;
    for (size_t mi = 0; mi < settings.methods.size(); ++mi)
        for (size_t qi = 0; qi < settings.keepRatios.size(); ++qi)
            for (size_t si = 0; si < settings.scorings.size(); ++si) {
                const double q = settings.keepRatios[qi];
                const ScoringMode mode = settings.scorings[si];
                std::vector<std::vector<RequestScore>>& out = reduced[{mi, qi, si}];
                if (q >= 1.0) {
                    out = dense;
                    continue;
                }
                const ReductionSchedule s = sweepSchedule(nLayer, settings.methods[mi], q, settings.protectScoringSpan);
                if (mode == ScoringMode::Correct) {
                    for (const PreparedEval& p : prepared) {
                        out.push_back(scoreLoglikelihoods(model, p.requests, &s, options(mode)));
                        offset += static_cast<int64_t>(p.requests.size());
                    }
                    continue;
                }
                // The paper's evaluation ran all its tasks in one lm-eval call: one ordering, one set of batches.
                std::vector<TokenizedRequest> pooled;
                for (const PreparedEval& p : prepared) pooled.insert(pooled.end(), p.requests.begin(), p.requests.end());
                const std::vector<RequestScore> all = scoreLoglikelihoods(model, pooled, &s, options(mode));
                offset += static_cast<int64_t>(pooled.size());
                size_t at = 0;
                for (const PreparedEval& p : prepared) {
                    out.emplace_back(all.begin() + static_cast<std::ptrdiff_t>(at),
                                     all.begin() + static_cast<std::ptrdiff_t>(at + p.requests.size()));
                    at += p.requests.size();
                }
            }
    SweepDetails details;
    details.methods = settings.methods;
    details.keepRatios = settings.keepRatios;
    details.scorings = settings.scorings;
    details.protectScoringSpan = settings.protectScoringSpan;
    details.selection = settings.selection;
    details.maxLength = settings.scoring.maxLength;
    for (size_t t = 0; t < prepared.size(); ++t) {
        SweepTaskDetails task;
        ScoringOptions denseOptions = settings.scoring;
        denseOptions.mode = ScoringMode::Correct;
        task.dense = assembleEval(prepared[t], model, denseOptions, dense[t], nullptr, nullptr);
        for (size_t mi = 0; mi < settings.methods.size(); ++mi)
            for (size_t qi = 0; qi < settings.keepRatios.size(); ++qi)
                for (size_t si = 0; si < settings.scorings.size(); ++si) {
                    const ReductionMethod m = settings.methods[mi];
                    const double q = settings.keepRatios[qi];
                    const ReductionSchedule s = sweepSchedule(nLayer, m, q, settings.protectScoringSpan);
                    ScoringOptions o = settings.scoring;
                    o.mode = settings.scorings[si];
                    const EvalResult r = assembleEval(prepared[t], model, o, dense[t], &s, &reduced[{mi, qi, si}][t]);
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
                      "flops_reduction_pct,measured_token_reduction_pct,examples,unscorable_examples,scoring,"
                      "misread_requests,short_read_requests\n";
    char line[600];
    for (const SweepPoint& p : points)
        for (const MetricSummary& m : p.summary.metrics) {
            std::snprintf(line, sizeof line, "%s,%s,%.6g,%s,%.10g,%.10g,%.10g,%.4f,%.4f,%.4f,%lld,%lld,%s,%lld,%lld\n",
                          p.task.c_str(), methodName(p.method).c_str(), p.keepRatio, evalMetricName(m.metric).c_str(),
                          m.dense, m.reduced, m.reduced - m.dense, p.summary.tokenReductionPercent,
                          p.summary.flopsReductionPercent, p.summary.measuredTokenReductionPercent,
                          static_cast<long long>(p.summary.examples), static_cast<long long>(p.summary.unscorableExamples),
                          scoringModeName(p.scoring).c_str(), static_cast<long long>(p.summary.misreadRequests),
                          static_cast<long long>(p.summary.shortReadRequests));
            out += line;
        }
    return out;
}

nlohmann::json sweepToJson(const std::vector<SweepPoint>& points, const SweepSettings& settings, int64_t nLayer) {
    nlohmann::json rows = nlohmann::json::array();
    for (const SweepPoint& p : points)
        rows.push_back({{"task", p.task}, {"method", methodName(p.method)}, {"keep_ratio", p.keepRatio},
                        {"scoring", scoringModeName(p.scoring)},
                        {"schedule", sweepSchedule(nLayer, p.method, p.keepRatio, settings.protectScoringSpan).toJson()},
                        {"summary", evalSummaryToJson(p.summary, true)}});
    const ExampleSelection& sel = settings.selection;
    return {{"format", "ssmlens-accuracy-sweep"},
            {"version", 1},
            {"selection", {{"limit", sel.limit}, {"seed", sel.seed ? nlohmann::json(*sel.seed) : nlohmann::json(nullptr)}}},
            {"max_length", settings.scoring.maxLength},
            {"batch_size", settings.scoring.batchSize},
            {"points", rows}};
}

std::string sweepToMarkdown(const std::vector<SweepPoint>& points) {
    auto number = [](double v, EvalMetric m) {
        if (!std::isfinite(v)) return std::string("-");
        char b[64];
        std::snprintf(b, sizeof b, m == EvalMetric::Perplexity ? "%.2f" : "%.4f", v);
        return std::string(b);
    };
    // Tasks, methods, ratios and modes in the order the points come in.
    std::vector<std::string> tasks;
    std::vector<ReductionMethod> methods;
    std::vector<double> ratios;
    std::vector<ScoringMode> modes;
    auto note = [](auto& list, const auto& v) {
        if (std::find(list.begin(), list.end(), v) == list.end()) list.push_back(v);
    };
    for (const SweepPoint& p : points) {
        note(tasks, p.task);
        note(methods, p.method);
        note(ratios, p.keepRatio);
        note(modes, p.scoring);
    }
    std::sort(ratios.begin(), ratios.end(), std::greater<double>());
    const bool paper = std::find(modes.begin(), modes.end(), ScoringMode::Paper) != modes.end();
    const bool correct = std::find(modes.begin(), modes.end(), ScoringMode::Correct) != modes.end();
    std::string out;
    for (const std::string& task : tasks) {
        auto find = [&](ReductionMethod m, double q, ScoringMode s) -> const SweepPoint* {
            for (const SweepPoint& p : points)
                if (p.task == task && p.method == m && p.keepRatio == q && p.scoring == s) return &p;
            return nullptr;
        };
        const SweepPoint* any = nullptr;
        for (const SweepPoint& p : points)
            if (p.task == task && !any) any = &p;
        out += "**" + task + "** (" + std::to_string(any->summary.examples) + " examples)\n\n";
        std::string head = "| method | keep ratio | FLOPs -% |", rule = "| --- | ---: | ---: |";
        for (const MetricSummary& m : any->summary.metrics)
            for (ScoringMode s : modes) {
                head += " " + evalMetricName(m.metric) + (s == ScoringMode::Paper ? " (paper)" : "") + " |";
                rule += " ---: |";
            }
        if (correct) {
            head += " unscorable |";
            rule += " ---: |";
        }
        if (paper) {
            head += " misread (paper) |";
            rule += " ---: |";
        }
        out += head + "\n" + rule + "\n";
        std::string dense = "| dense | 1 | 0.0 |";
        for (const MetricSummary& m : any->summary.metrics)
            for (size_t i = 0; i < modes.size(); ++i) dense += " " + number(m.dense, m.metric) + " |";
        if (correct) dense += " |";
        if (paper) dense += " |";
        out += dense + "\n";
        for (double q : ratios) {
            if (q >= 1.0) continue;
            for (ReductionMethod method : methods) {
                const SweepPoint* first = find(method, q, modes.front());
                if (!first) continue;
                char lead[160];
                std::snprintf(lead, sizeof lead, "| %s | %.4g | %.1f |", methodName(method).c_str(), q,
                              first->summary.flopsReductionPercent);
                std::string row = lead;
                for (size_t k = 0; k < first->summary.metrics.size(); ++k)
                    for (ScoringMode s : modes) {
                        const SweepPoint* p = find(method, q, s);
                        row += " " + (p ? number(p->summary.metrics[k].reduced, p->summary.metrics[k].metric) : "-") + " |";
                    }
                if (correct) {
                    const SweepPoint* p = find(method, q, ScoringMode::Correct);
                    row += " " + (p ? std::to_string(p->summary.unscorableExamples) : "-") + " |";
                }
                if (paper) {
                    const SweepPoint* p = find(method, q, ScoringMode::Paper);
                    row += " " + (p ? std::to_string(p->summary.misreadRequests) : "-") + " |";
                }
                out += row + "\n";
            }
        }
        out += "\n";
    }
    return out;
}

}  // namespace ssmlens
