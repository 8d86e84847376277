#include "core/tune/HeldoutReport.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "core/Error.h"
#include "core/eval/EvalRun.h"
#include "core/tune/FlopsBudget.h"

namespace ssmlens {
namespace {

bool isTaskName(const std::string& name) {
    for (const TaskInfo& t : evalTasks())
        if (t.name == name) return true;
    return false;
}

}  // namespace

HeldoutComparison compareOnHeldout(const Mamba2Model& model, const Tokenizer* tokenizer, const CalibrationData& data,
                                   const std::vector<NamedSchedule>& schedules, const ScoringOptions& scoring,
                                   const ModelEvaluatorOptions& evaluatorOptions) {
    const auto t0 = std::chrono::steady_clock::now();
    HeldoutComparison out;
    out.data = data.heldout.description;
    for (const NamedSchedule& s : schedules) {
        out.names.push_back(s.name);
        out.schedules.push_back(s.schedule);
    }
    const size_t n = schedules.size();
    auto row = [&](const std::string& source, const std::string& metric, bool higherIsBetter, double dense) {
        HeldoutComparison::Row r;
        r.source = source;
        r.metric = metric;
        r.higherIsBetter = higherIsBetter;
        r.dense = dense;
        r.values.assign(n, NAN);
        out.rows.push_back(r);
        return out.rows.size() - 1;
    };

    // Tasks, as `eval` scores them.
    for (const HeldoutTask& task : data.heldoutTasks) {
        if (!tokenizer) throw Error("the held-out tasks need a tokenizer");
        const PreparedEval prepared = prepareEval(*tokenizer, task.data, task.selection);
        if (prepared.requests.empty()) continue;
        if (scoring.cancel && scoring.cancel->load()) throw EvalCancelled();
        const std::vector<RequestScore> dense = scoreLoglikelihoods(model, prepared.requests, nullptr, scoring);
        std::map<std::string, size_t> rowOf;
        size_t flopsRow = 0;
        for (size_t k = 0; k < n; ++k) {
            const std::vector<RequestScore> reduced = scoreLoglikelihoods(model, prepared.requests, &schedules[k].schedule, scoring);
            const EvalResult r = assembleEval(prepared, model, scoring, dense, &schedules[k].schedule, &reduced);
            for (const MetricSummary& m : r.summary.metrics) {
                const std::string metric = evalMetricName(m.metric);
                if (!rowOf.count(metric))
                    rowOf[metric] = row(task.data.task + " (" + std::to_string(r.summary.examples) + ")", metric,
                                        m.metric != EvalMetric::Perplexity, m.dense);
                out.rows[rowOf[metric]].values[k] = m.reduced;
            }
            if (k == 0) flopsRow = row(task.data.task, "FLOPs reduction %", true, 0.0);
            out.rows[flopsRow].values[k] = r.summary.flopsReductionPercent;
        }
    }

    // Every held-out sequence: the objective, and the perplexity of each text source's scored tokens.
    if (!data.heldout.sequences.empty()) {
        ModelEvaluator evaluator(model, data.heldout, evaluatorOptions);
        const std::vector<ModelEvaluator::SequenceScore> denseScores = evaluator.sequenceScores(ReductionSchedule{});
        std::vector<std::string> textSources;
        for (const auto& s : data.heldout.sequences)
            if (std::find(textSources.begin(), textSources.end(), s.source) == textSources.end() && !isTaskName(s.source))
                textSources.push_back(s.source);
        auto perplexity = [&](const std::vector<ModelEvaluator::SequenceScore>& scores, const std::string& source) {
            double nll = 0;
            int64_t positions = 0;
            for (size_t i = 0; i < scores.size(); ++i)
                if (data.heldout.sequences[i].source == source) {
                    nll += scores[i].nll;
                    positions += scores[i].positions;
                }
            return positions ? std::exp(nll / static_cast<double>(positions)) : NAN;
        };
        std::vector<size_t> textRows;
        for (const std::string& t : textSources) textRows.push_back(row(t, "perplexity (scored tokens)", false, perplexity(denseScores, t)));
        const size_t klRow = row("all held-out", "objective KL (nats)", false, 0.0);
        const FlopsBudget budget(model.config(), data.heldout.lengths());
        const size_t flopsRow = row("all held-out", "FLOPs reduction %", true, 0.0);
        for (size_t k = 0; k < n; ++k) {
            if (scoring.cancel && scoring.cancel->load()) throw EvalCancelled();
            const auto scores = evaluator.sequenceScores(schedules[k].schedule);
            for (size_t t = 0; t < textSources.size(); ++t) out.rows[textRows[t]].values[k] = perplexity(scores, textSources[t]);
            double kl = 0;
            int64_t counted = 0;
            for (const auto& s : scores)
                if (s.positions) kl += s.meanKl, ++counted;
            out.rows[klRow].values[k] = counted ? kl / static_cast<double>(counted) : NAN;
            out.rows[flopsRow].values[k] = budget.reductionPercent(schedules[k].schedule);
        }
    }
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

}  // namespace ssmlens
