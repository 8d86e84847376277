#include "core/eval/EvalResultJson.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "core/Error.h"
#include "core/io/AtomicFile.h"
#include "core/io/JsonDocument.h"
#include "core/eval/EvalMetrics.h"
#include "core/io/AtomicFile.h"

namespace ssmlens {
namespace {

using nlohmann::json;

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
double numberFrom(const json& j) { return j.is_null() ? kNoValue : j.get<double>(); }

json scoreToJson(const RequestScore& s, bool reduced) {
    json j = {{"ll", number(s.loglikelihood)}, {"greedy", s.greedy}, {"input_tokens", s.inputTokens},
              {"scored_tokens", s.scoredTokens}};
    if (reduced) {
        j["scorable"] = s.scorable;
        j["measured_token_reduction_pct"] = s.measuredTokenReductionPercent;
        j["tokens_read"] = s.tokensRead;
        j["misread"] = s.misread;
    }
    return j;
}

RequestScore scoreFromJson(const json& j) {
    RequestScore s;
    s.loglikelihood = numberFrom(j.at("ll"));
    s.greedy = j.at("greedy").get<bool>();
    s.inputTokens = j.at("input_tokens").get<int64_t>();
    s.scoredTokens = j.at("scored_tokens").get<int64_t>();
    s.scorable = j.value("scorable", true);
    s.measuredTokenReductionPercent = j.value("measured_token_reduction_pct", 0.0);
    // Files written before scoring modes existed were scored correctly: every scorable token was read.
    s.tokensRead = j.value("tokens_read", s.scorable ? s.scoredTokens : int64_t(0));
    s.misread = j.value("misread", false);
    return s;
}

json outcomeToJson(const ExampleOutcome& o) {
    return {{"acc", o.acc}, {"acc_norm", o.accNorm}, {"prediction", o.prediction},
            {"prediction_norm", o.predictionNorm}, {"scorable", o.scorable}};
}

}  // namespace

json evalSummaryToJson(const EvalSummary& s, bool reduced) {
    json metrics = json::array();
    for (const MetricSummary& m : s.metrics) {
        json j = {{"metric", evalMetricName(m.metric)}, {"dense", number(m.dense)}, {"dense_stderr", number(m.denseStderr)}};
        if (reduced) {
            j["reduced"] = number(m.reduced);
            j["reduced_stderr"] = number(m.reducedStderr);
            j["difference"] = number(m.reduced - m.dense);
        }
        metrics.push_back(j);
    }
    json j = {{"examples", s.examples}, {"metrics", metrics}};
    if (reduced) {
        j["unscorable_examples"] = s.unscorableExamples;
        j["unscorable_requests"] = s.unscorableRequests;
        j["misread_requests"] = s.misreadRequests;
        j["short_read_requests"] = s.shortReadRequests;
        j["token_reduction_pct"] = s.tokenReductionPercent;
        j["flops_reduction_pct"] = s.flopsReductionPercent;
        j["measured_token_reduction_pct"] = s.measuredTokenReductionPercent;
    }
    return j;
}

json evalResultToJson(const EvalResult& r) {
    const TaskInfo& task = evalTask(r.task);
    json examples = json::array();
    for (const ExampleResult& e : r.examples) {
        json choices = json::array();
        for (const ChoiceResult& c : e.choices) {
            json cj = {{"context", c.context}, {"continuation", c.continuation}, {"context_tokens", c.contextTokens},
                       {"continuation_tokens", c.continuationTokens}, {"norm_length", c.normLength},
                       {"dense", scoreToJson(c.dense, false)},
                       {"flops", {{"dense", c.denseFlops}, {"reduced", c.reducedFlops},
                                  {"token_reduction_pct", c.tokenReductionPercent}}}};
            if (r.reduced) cj["reduced"] = scoreToJson(c.reduced, true);
            choices.push_back(cj);
        }
        json ej = {{"doc", e.doc}, {"gold", e.gold}, {"dense", outcomeToJson(exampleOutcome(task, e, false))}};
        if (r.reduced) ej["reduced"] = outcomeToJson(exampleOutcome(task, e, true));
        ej["choices"] = choices;
        examples.push_back(ej);
    }
    const ExampleSelection& s = r.selection;
    return {{"format", "ssmlens-eval-result"},
            {"version", 1},
            {"task", r.task},
            {"source", r.source},
            {"model", {{"dir", r.model}, {"n_layer", r.modelLayers}, {"d_model", r.modelWidth},
                       {"vocab_rows", r.modelVocabRows}}},
            {"schedule", r.reduced ? r.schedule.toJson() : json(nullptr)},
            {"selection", {{"limit", s.limit}, {"seed", s.seed ? json(*s.seed) : json(nullptr)},
                           {"shard_index", s.shardIndex}, {"shard_count", s.shardCount},
                           {"total_examples", r.totalExamples}}},
            {"max_length", r.maxLength},
            {"scoring", scoringModeName(r.scoring)},
            {"batch_size", r.batchSize},
            {"summary", evalSummaryToJson(r.summary, r.reduced)},
            {"examples", examples}};
}

EvalResult evalResultFromJson(const json& j, const std::string& source) {
    EvalResult r;
    try {
        if (!j.is_object() || j.value("format", "") != "ssmlens-eval-result")
            throw Error(source + ": not an SSM Lens eval result (no \"format\": \"ssmlens-eval-result\")");
        if (j.value("version", json(nullptr)) != json(1))
            throw Error(source + ": eval result version " + jsonSnippet(j.value("version", json(nullptr)), 40) +
                        " is not supported (1 is)");
        r.task = j.at("task").get<std::string>();
        evalTask(r.task);
        r.source = j.at("source").get<std::string>();
        const json& m = j.at("model");
        r.model = m.at("dir").get<std::string>();
        r.modelLayers = m.at("n_layer").get<int64_t>();
        r.modelWidth = m.at("d_model").get<int64_t>();
        r.modelVocabRows = m.at("vocab_rows").get<int64_t>();
        r.reduced = !j.at("schedule").is_null();
        if (r.reduced) r.schedule = ReductionSchedule::fromJson(j.at("schedule"), source);
        const json& s = j.at("selection");
        r.selection.limit = s.at("limit").get<int64_t>();
        if (!s.at("seed").is_null()) r.selection.seed = s.at("seed").get<uint64_t>();
        r.selection.shardIndex = s.at("shard_index").get<int64_t>();
        r.selection.shardCount = s.at("shard_count").get<int64_t>();
        r.totalExamples = s.at("total_examples").get<int64_t>();
        r.maxLength = j.at("max_length").get<int64_t>();
        r.scoring = parseScoringModeName(j.value("scoring", "correct"));
        r.batchSize = j.value("batch_size", int64_t(0));
        for (const json& ej : j.at("examples")) {
            ExampleResult e;
            e.doc = ej.at("doc").get<int64_t>();
            e.gold = ej.at("gold").get<int64_t>();
            for (const json& cj : ej.at("choices")) {
                ChoiceResult c;
                c.context = cj.at("context").get<std::string>();
                c.continuation = cj.at("continuation").get<std::string>();
                c.contextTokens = cj.at("context_tokens").get<int64_t>();
                c.continuationTokens = cj.at("continuation_tokens").get<int64_t>();
                c.normLength = cj.at("norm_length").get<double>();
                c.dense = scoreFromJson(cj.at("dense"));
                if (r.reduced) c.reduced = scoreFromJson(cj.at("reduced"));
                const json& f = cj.at("flops");
                c.denseFlops = f.at("dense").get<double>();
                c.reducedFlops = f.at("reduced").get<double>();
                c.tokenReductionPercent = f.at("token_reduction_pct").get<double>();
                e.choices.push_back(std::move(c));
            }
            r.examples.push_back(std::move(e));
        }
    } catch (const json::exception& e) {
        throw Error(source + ": malformed eval result (" + jsonProblem(e) + ")");
    }
    r.summary = summarizeEval(r.task, r.examples, r.reduced);
    return r;
}

void saveEvalResult(const EvalResult& result, const std::string& path) {
    // Atomically: the file of a shard says by its presence that the shard is done (core/cluster/ShardPlan.h).
    writeFileAtomically(path, evalResultToJson(result).dump(1, ' ', false, json::error_handler_t::replace) + "\n");
}

EvalResult loadEvalResult(const std::string& path) {
    return evalResultFromJson(readJsonFile(path, "an eval result (JSON)"), path);
}

}  // namespace ssmlens
