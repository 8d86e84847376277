#include "core/eval/SweepDetails.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "core/Error.h"
#include "core/eval/EvalMetrics.h"
#include "core/eval/EvalResultJson.h"
#include "core/eval/ShardMerge.h"
#include "core/io/AtomicFile.h"
#include "core/io/JsonDocument.h"

namespace ssmlens {
namespace {

using nlohmann::json;

size_t choiceCount(const EvalResult& r) {
    size_t n = 0;
    for (const ExampleResult& e : r.examples) n += e.choices.size();
    return n;
}

std::string pointName(const SweepPointDetails& p) {
    char b[64];
    std::snprintf(b, sizeof b, "%s at keep ratio %.6g (%s scoring)", methodName(p.method).c_str(), p.keepRatio,
                  scoringModeName(p.scoring).c_str());
    return b;
}

json selectionToJson(const ExampleSelection& s) {
    return {{"limit", s.limit}, {"seed", s.seed ? json(*s.seed) : json(nullptr)}, {"shard_index", s.shardIndex},
            {"shard_count", s.shardCount}};
}

ExampleSelection selectionFromJson(const json& j) {
    ExampleSelection s;
    s.limit = j.at("limit").get<int64_t>();
    if (!j.at("seed").is_null()) s.seed = j.at("seed").get<uint64_t>();
    s.shardIndex = j.at("shard_index").get<int64_t>();
    s.shardCount = j.at("shard_count").get<int64_t>();
    return s;
}

json pointToJson(const SweepPointDetails& p) {
    json ll = json::array(), greedy = json::array(), input = json::array(), scored = json::array(),
         scorable = json::array(), measured = json::array(), read = json::array(), misread = json::array();
    for (const RequestScore& s : p.reduced) {
        ll.push_back(std::isfinite(s.loglikelihood) ? json(s.loglikelihood) : json(nullptr));
        greedy.push_back(s.greedy);
        input.push_back(s.inputTokens);
        scored.push_back(s.scoredTokens);
        scorable.push_back(s.scorable);
        measured.push_back(s.measuredTokenReductionPercent);
        read.push_back(s.tokensRead);
        misread.push_back(s.misread);
    }
    return {{"method", methodName(p.method)},
            {"keep_ratio", p.keepRatio},
            {"scoring", scoringModeName(p.scoring)},
            {"schedule", p.schedule.toJson()},
            {"reduced", {{"ll", ll}, {"greedy", greedy}, {"input_tokens", input}, {"scored_tokens", scored},
                         {"scorable", scorable}, {"measured_token_reduction_pct", measured},
                         {"tokens_read", read}, {"misread", misread},
                         {"flops", p.reducedFlops}, {"token_reduction_pct", p.tokenReductionPercent}}}};
}

SweepPointDetails pointFromJson(const json& j, size_t choices, const std::string& source) {
    SweepPointDetails p;
    p.method = parseMethodName(j.at("method").get<std::string>());
    p.keepRatio = j.at("keep_ratio").get<double>();
    p.scoring = parseScoringModeName(j.value("scoring", "correct"));
    p.schedule = ReductionSchedule::fromJson(j.at("schedule"), source);
    const json& r = j.at("reduced");
    for (const char* column : {"ll", "greedy", "input_tokens", "scored_tokens", "scorable",
                               "measured_token_reduction_pct", "flops", "token_reduction_pct"})
        if (!r.at(column).is_array() || r.at(column).size() != choices)
            throw Error(source + ": point " + pointName(p) + ": \"" + column + "\" has " +
                        std::to_string(r.at(column).size()) + " entries for " + std::to_string(choices) + " choices");
    // Written with the paper scoring mode; older files were scored correctly.
    const bool hasReadColumns = r.contains("tokens_read") && r.contains("misread");
    if (hasReadColumns)
        for (const char* column : {"tokens_read", "misread"})
            if (!r.at(column).is_array() || r.at(column).size() != choices)
                throw Error(source + ": point " + pointName(p) + ": \"" + column + "\" has " +
                            std::to_string(r.at(column).size()) + " entries for " + std::to_string(choices) +
                            " choices");
    for (size_t k = 0; k < choices; ++k) {
        RequestScore s;
        s.loglikelihood = r["ll"][k].is_null() ? kNoValue : r["ll"][k].get<double>();
        s.greedy = r["greedy"][k].get<bool>();
        s.inputTokens = r["input_tokens"][k].get<int64_t>();
        s.scoredTokens = r["scored_tokens"][k].get<int64_t>();
        s.scorable = r["scorable"][k].get<bool>();
        s.measuredTokenReductionPercent = r["measured_token_reduction_pct"][k].get<double>();
        s.tokensRead = hasReadColumns ? r["tokens_read"][k].get<int64_t>() : (s.scorable ? s.scoredTokens : 0);
        s.misread = hasReadColumns && r["misread"][k].get<bool>();
        p.reduced.push_back(s);
        p.reducedFlops.push_back(r["flops"][k].get<double>());
        p.tokenReductionPercent.push_back(r["token_reduction_pct"][k].get<double>());
    }
    return p;
}

}  // namespace

SweepPointDetails sweepPointFrom(const SweepTaskDetails& task, ReductionMethod method, double keepRatio,
                                 const EvalResult& point) {
    if (point.examples.size() != task.dense.examples.size() || choiceCount(point) != choiceCount(task.dense))
        throw Error("sweep point of " + point.task + ": its examples are not those of the dense pass");
    SweepPointDetails p;
    p.method = method;
    p.keepRatio = keepRatio;
    p.scoring = point.scoring;
    p.schedule = point.schedule;
    for (const ExampleResult& e : point.examples)
        for (const ChoiceResult& c : e.choices) {
            p.reduced.push_back(c.reduced);
            p.reducedFlops.push_back(c.reducedFlops);
            p.tokenReductionPercent.push_back(c.tokenReductionPercent);
        }
    return p;
}

EvalResult sweepPointResult(const SweepTaskDetails& task, size_t point) {
    const SweepPointDetails& p = task.points.at(point);
    EvalResult r = task.dense;
    r.reduced = true;
    r.schedule = p.schedule;
    r.scoring = p.scoring;
    size_t k = 0;
    for (ExampleResult& e : r.examples)
        for (ChoiceResult& c : e.choices) {
            c.reduced = p.reduced.at(k);
            c.reducedFlops = p.reducedFlops.at(k);
            c.tokenReductionPercent = p.tokenReductionPercent.at(k);
            ++k;
        }
    r.summary = summarizeEval(r.task, r.examples, true);
    return r;
}

std::vector<SweepPoint> sweepPointsOf(const SweepDetails& details) {
    std::vector<SweepPoint> points;
    for (const SweepTaskDetails& t : details.tasks)
        for (size_t i = 0; i < t.points.size(); ++i)
            points.push_back({t.dense.task, t.points[i].method, t.points[i].keepRatio, t.points[i].scoring,
                              sweepPointResult(t, i).summary});
    return points;
}

json sweepDetailsToJson(const SweepDetails& d) {
    json methods = json::array(), scorings = json::array(), tasks = json::array();
    for (ReductionMethod m : d.methods) methods.push_back(methodName(m));
    for (ScoringMode m : d.scorings) scorings.push_back(scoringModeName(m));
    for (const SweepTaskDetails& t : d.tasks) {
        json points = json::array();
        for (const SweepPointDetails& p : t.points) points.push_back(pointToJson(p));
        tasks.push_back({{"dense", evalResultToJson(t.dense)}, {"points", points}});
    }
    return {{"format", "ssmlens-sweep-details"},
            {"version", 1},
            {"methods", methods},
            {"keep_ratios", d.keepRatios},
            {"scorings", scorings},
            {"protect_scoring_span", d.protectScoringSpan},
            {"max_length", d.maxLength},
            {"selection", selectionToJson(d.selection)},
            {"tasks", tasks}};
}

SweepDetails sweepDetailsFromJson(const json& j, const std::string& source) {
    SweepDetails d;
    try {
        if (!j.is_object() || j.value("format", "") != "ssmlens-sweep-details")
            throw Error(source + ": not SSM Lens sweep details (no \"format\": \"ssmlens-sweep-details\")");
        if (j.value("version", json(nullptr)) != json(1))
            throw Error(source + ": sweep details version " + jsonSnippet(j.value("version", json(nullptr))) +
                        " is not supported (1 is)");
        for (const json& m : j.at("methods")) d.methods.push_back(parseMethodName(m.get<std::string>()));
        d.keepRatios = j.at("keep_ratios").get<std::vector<double>>();
        if (j.contains("scorings")) {
            d.scorings.clear();
            for (const json& m : j.at("scorings")) d.scorings.push_back(parseScoringModeName(m.get<std::string>()));
        }
        d.protectScoringSpan = j.at("protect_scoring_span").get<bool>();
        d.maxLength = j.at("max_length").get<int64_t>();
        d.selection = selectionFromJson(j.at("selection"));
        for (const json& tj : j.at("tasks")) {
            SweepTaskDetails t;
            t.dense = evalResultFromJson(tj.at("dense"), source);
            if (t.dense.reduced) throw Error(source + ": task " + t.dense.task + ": its dense pass has a schedule");
            const size_t choices = choiceCount(t.dense);
            for (const json& pj : tj.at("points")) t.points.push_back(pointFromJson(pj, choices, source));
            d.tasks.push_back(std::move(t));
        }
    } catch (const json::exception& e) {
        std::string what = e.what();
        const size_t cut = what.find("] ");
        throw Error(source + ": malformed sweep details (" + (cut == std::string::npos ? what : what.substr(cut + 2)) + ")");
    }
    return d;
}

void saveSweepDetails(const SweepDetails& details, const std::string& path) {
    writeFileAtomically(path, sweepDetailsToJson(details).dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
}

SweepDetails loadSweepDetails(const std::string& path) {
    return sweepDetailsFromJson(readJsonFile(path, "a sweep's details (JSON)"), path);
}

SweepDetails mergeSweepShards(const std::vector<SweepDetails>& shards, const std::vector<std::string>& names) {
    if (shards.empty()) throw Error("no sweep details to merge");
    auto name = [&](size_t i) { return i < names.size() ? names[i] : "sweep shard " + std::to_string(i + 1); };
    const SweepDetails& first = shards.front();
    for (size_t i = 1; i < shards.size(); ++i) {
        const SweepDetails& s = shards[i];
        auto differs = [&](const std::string& what) {
            throw Error(name(i) + ": its " + what + " differ from " + name(0) + "'s; only shards of one sweep merge");
        };
        if (s.methods != first.methods || s.keepRatios != first.keepRatios) differs("methods or keep ratios");
        if (s.scorings != first.scorings) differs("scoring modes");
        if (s.protectScoringSpan != first.protectScoringSpan) differs("span protection settings");
        if (s.tasks.size() != first.tasks.size()) differs("tasks");
        for (size_t t = 0; t < s.tasks.size(); ++t) {
            if (s.tasks[t].dense.task != first.tasks[t].dense.task) differs("tasks");
            if (s.tasks[t].points.size() != first.tasks[t].points.size()) differs("points");
        }
    }
    SweepDetails merged = first;
    merged.selection.shardIndex = 0;
    merged.selection.shardCount = 1;
    merged.tasks.clear();
    for (size_t t = 0; t < first.tasks.size(); ++t) {
        // The dense passes and then every point merge as eval shards do: ShardMerge checks that the shards
        // come from one run and cover every shard once.
        std::vector<EvalResult> dense;
        for (const SweepDetails& s : shards) dense.push_back(s.tasks[t].dense);
        SweepTaskDetails task;
        task.dense = mergeShards(dense, names);
        for (size_t p = 0; p < first.tasks[t].points.size(); ++p) {
            std::vector<EvalResult> point;
            for (const SweepDetails& s : shards) point.push_back(sweepPointResult(s.tasks[t], p));
            const SweepPointDetails& ref = first.tasks[t].points[p];
            task.points.push_back(sweepPointFrom(task, ref.method, ref.keepRatio, mergeShards(point, names)));
        }
        merged.tasks.push_back(std::move(task));
    }
    return merged;
}

}  // namespace ssmlens
