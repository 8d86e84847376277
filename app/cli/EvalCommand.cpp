// ssmlens-cli eval / sweep / merge-results: zero-shot accuracy as lm-evaluation-harness v0.4 computes it,
// dense and with token reduction (docs/evaluation.md).
#include <cmath>
#include <cstdio>
#include <fstream>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "app/cli/Commands.h"
#include "app/cli/ModelArgs.h"
#include "app/cli/ScheduleArgs.h"
#include "core/Error.h"
#include "core/eval/AccuracySweep.h"
#include "core/eval/EvalResultJson.h"
#include "core/eval/EvalRun.h"
#include "core/eval/ShardMerge.h"
#include "core/eval/TaskReaders.h"

namespace ssmlens::cli {
namespace {

std::vector<OptionSpec> scoringOptionSpecs() {
    return {{"tokenizer", "FILE", "tokenizer file, when the model folder has none"},
            {"limit", "N", "score N examples (the first N, or a seeded random N with --seed)"},
            {"seed", "S", "shuffle with this seed before taking --limit examples"},
            {"batch-size", "B", "sequences per forward pass (default 16)"},
            {"max-length", "L", "model window; longer inputs lose tokens on the left as in lm-eval (default 2048)"},
            {"no-protect-span", "", "do not protect the scored positions under reduction (mimics the reference)"}};
}

ExampleSelection selectionFrom(const CliArgs& args) {
    ExampleSelection s;
    s.limit = args.getInt("limit", -1);
    if (args.has("limit") && s.limit < 0) throw Error("--limit must be 0 or more");
    if (args.has("seed")) {
        const long long seed = args.getInt("seed", 0);
        if (seed < 0) throw Error("--seed must be 0 or more");
        s.seed = static_cast<uint64_t>(seed);
    }
    if (args.has("shard")) std::tie(s.shardIndex, s.shardCount) = parseShard(args.get("shard"));
    return s;
}

ScoringOptions scoringFrom(const CliArgs& args) {
    ScoringOptions o;
    o.batchSize = args.getInt("batch-size", 16);
    o.maxLength = args.getInt("max-length", 2048);
    if (o.batchSize < 1) throw Error("--batch-size must be at least 1");
    if (isatty(2))
        o.progress = [](int64_t done, int64_t total) {
            std::fprintf(stderr, "\rscored %lld / %lld requests", static_cast<long long>(done), static_cast<long long>(total));
            if (done == total) std::fprintf(stderr, "\n");
        };
    return o;
}

std::string cell(double v, int decimals) {
    if (!std::isfinite(v)) return "-";
    char b[64];
    std::snprintf(b, sizeof b, "%.*f", decimals, v);
    return b;
}

void printSummaryTable(const std::string& task, const EvalSummary& s, bool reduced) {
    for (const MetricSummary& m : s.metrics) {
        const int d = m.metric == EvalMetric::Perplexity ? 3 : 4;
        std::printf("%-15s %-11s %10s %10s %10s %12s\n", task.c_str(), evalMetricName(m.metric).c_str(),
                    cell(m.dense, d).c_str(), cell(reduced ? m.reduced : kNoValue, d).c_str(),
                    cell(reduced ? m.reduced - m.dense : kNoValue, d).c_str(),
                    cell(reduced ? s.tokenReductionPercent : kNoValue, 1).c_str());
    }
}

void printTableHeader() {
    std::printf("%-15s %-11s %10s %10s %10s %12s\n", "task", "metric", "dense", "reduced", "difference", "reduction %");
}

void printResult(const EvalResult& r) {
    printTableHeader();
    printSummaryTable(r.task, r.summary, r.reduced);
    std::printf("examples %lld of %lld", static_cast<long long>(r.summary.examples),
                static_cast<long long>(r.totalExamples));
    if (r.selection.shardCount > 1)
        std::printf(" (shard %lld/%lld)", static_cast<long long>(r.selection.shardIndex),
                    static_cast<long long>(r.selection.shardCount));
    if (r.reduced)
        std::printf("; %s, %zu anchors; reduction %% = token reduction (FlopsModel), measured %.1f%%, FLOPs -%.1f%%; "
                    "unscorable (counted wrong) %lld examples",
                    methodName(r.schedule.method).c_str(), r.schedule.anchors.size(),
                    r.summary.measuredTokenReductionPercent, r.summary.flopsReductionPercent,
                    static_cast<long long>(r.summary.unscorableExamples));
    std::printf("\n");
}

bool wantsReduction(const CliArgs& args) {
    for (const char* o : {"schedule", "preset", "keep-ratio", "method", "metric"})
        if (args.has(o)) return true;
    return false;
}

}  // namespace

int runEval(const Args& raw) {
    auto specs = modelOptionSpecs();
    for (const auto& s : scheduleOptionSpecs()) specs.push_back(s);
    for (const auto& s : scoringOptionSpecs()) specs.push_back(s);
    for (OptionSpec s : std::vector<OptionSpec>{
             {"task", "NAME", "lambada_openai, hellaswag, piqa, arc_easy, arc_challenge or winogrande"},
             {"data", "PATH", "the task's file as distributed, or a folder holding it"},
             {"shard", "i/n", "score only examples i, i+n, i+2n, ... of the selection (merge with merge-results)"},
             {"json", "FILE", "write the result with per-example details (JSON)"}})
        specs.push_back(s);
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli eval --model DIR --task NAME --data PATH [--schedule S.json | --preset P "
                                   "--keep-ratio Q ...] [--limit N] [--seed S] [--batch-size B] [--shard i/n] "
                                   "[--json OUT]",
                                   "Zero-shot accuracy as lm-evaluation-harness v0.4 computes it, dense and (with a "
                                   "schedule or preset) with token reduction, on the same examples. Prints the "
                                   "metrics table; --json keeps every example's scores.",
                                   specs)
                              .c_str());
        return 0;
    }
    const std::string task = args.required("task");
    evalTask(task);
    EvalTaskData data = loadEvalTask(task, args.required("data"));
    auto tokenizer = tokenizerFrom(args);
    Mamba2Model model = loadModelFrom(args);
    EvalSettings settings;
    settings.selection = selectionFrom(args);
    settings.scoring = scoringFrom(args);
    settings.modelName = modelDirFrom(args);
    if (wantsReduction(args)) {
        settings.schedule = scheduleFrom(args, model.config().nLayer);
        if (args.has("no-protect-span")) settings.schedule->options.protectScoringSpan = false;
    }
    EvalResult result = runEvaluation(model, *tokenizer, data, settings);
    if (args.has("json")) saveEvalResult(result, args.get("json"));
    printResult(result);
    return 0;
}

int runSweep(const Args& raw) {
    auto specs = modelOptionSpecs();
    for (const auto& s : scoringOptionSpecs()) specs.push_back(s);
    for (OptionSpec s : std::vector<OptionSpec>{
             {"tasks", "A,B", "tasks to score (default: piqa)"},
             {"data-dir", "DIR", "folder holding the tasks' files (each found by its distributed name)"},
             {"keep-ratios", "Q,...", "keep ratios of the depth-scaled schedule (default 1,0.9,0.8)"},
             {"methods", "M,...", "reduction methods (default utr)"},
             {"out-csv", "FILE", "write one row per task, method, ratio and metric"},
             {"out-json", "FILE", "write the grid as JSON (schedules included)"}})
        specs.push_back(s);
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli sweep --model DIR --tasks a,b --data-dir DIR --keep-ratios 1,0.9,0.8 "
                                   "--methods utr,evit [--limit N] [--out-csv F] [--out-json F]",
                                   "Accuracy against FLOPs reduction: each task scored dense once, then under the "
                                   "depth-scaled schedule of every method and keep ratio, on the same examples.",
                                   specs)
                              .c_str());
        return 0;
    }
    const std::string dataDir = args.required("data-dir");
    std::vector<EvalTaskData> tasks;
    for (const std::string& t : splitList(args.get("tasks", "piqa"))) tasks.push_back(loadEvalTask(t, dataDir));
    if (tasks.empty()) throw Error("--tasks is empty");
    SweepSettings settings;
    settings.methods.clear();
    for (const std::string& m : splitList(args.get("methods", "utr"))) settings.methods.push_back(parseMethodName(m));
    settings.keepRatios.clear();
    for (const std::string& q : splitList(args.get("keep-ratios", "1,0.9,0.8"))) {
        double v = 0;
        try {
            size_t used = 0;
            v = std::stod(q, &used);
            if (used != q.size()) v = 0;
        } catch (const std::exception&) {
        }
        if (!(v > 0 && v <= 1)) throw Error("--keep-ratios: \"" + q + "\" is not a ratio in (0, 1]");
        settings.keepRatios.push_back(v);
    }
    if (settings.methods.empty() || settings.keepRatios.empty()) throw Error("--methods and --keep-ratios need values");
    settings.selection = selectionFrom(args);
    settings.scoring = scoringFrom(args);
    settings.protectScoringSpan = !args.has("no-protect-span");
    auto tokenizer = tokenizerFrom(args);
    Mamba2Model model = loadModelFrom(args);
    std::vector<SweepPoint> points = runSweep(model, *tokenizer, tasks, settings);
    if (args.has("out-csv")) {
        std::ofstream out(args.get("out-csv"), std::ios::binary);
        if (!(out << sweepToCsv(points))) throw Error(args.get("out-csv") + ": cannot write");
    }
    if (args.has("out-json")) {
        std::ofstream out(args.get("out-json"), std::ios::binary);
        if (!(out << sweepToJson(points, settings, model.config().nLayer).dump(1) << "\n"))
            throw Error(args.get("out-json") + ": cannot write");
    }
    std::printf("%-15s %-11s %-10s %6s %10s %10s %10s %9s %9s\n", "task", "metric", "method", "q", "dense", "reduced",
                "difference", "tokens -%", "FLOPs -%");
    for (const SweepPoint& p : points)
        for (const MetricSummary& m : p.summary.metrics) {
            const int d = m.metric == EvalMetric::Perplexity ? 3 : 4;
            std::printf("%-15s %-11s %-10s %6.3f %10s %10s %10s %9.1f %9.1f\n", p.task.c_str(),
                        evalMetricName(m.metric).c_str(), methodName(p.method).c_str(), p.keepRatio,
                        cell(m.dense, d).c_str(), cell(m.reduced, d).c_str(), cell(m.reduced - m.dense, d).c_str(),
                        p.summary.tokenReductionPercent, p.summary.flopsReductionPercent);
        }
    return 0;
}

int runMergeResults(const Args& raw) {
    const std::vector<OptionSpec> specs = {{"json", "FILE", "write the merged result (JSON)"}};
    // Result files are positional; the options go to CliArgs.
    Args options;
    std::vector<std::string> files;
    for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i].rfind("-", 0) != 0) {
            files.push_back(raw[i]);
            continue;
        }
        options.push_back(raw[i]);
        if (raw[i] == "--json" && i + 1 < raw.size()) options.push_back(raw[++i]);
    }
    CliArgs args(options, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli merge-results A.json B.json ... [--json OUT]",
                                   "Combines the results of eval --shard 0/n ... n-1/n into the result of the whole "
                                   "selection (metrics recomputed from every example's scores).",
                                   specs)
                              .c_str());
        return 0;
    }
    if (files.empty()) throw Error("give the shard result files to merge (see --help)");
    std::vector<EvalResult> shards;
    for (const std::string& f : files) shards.push_back(loadEvalResult(f));
    EvalResult merged = mergeShards(shards, files);
    if (args.has("json")) saveEvalResult(merged, args.get("json"));
    printResult(merged);
    return 0;
}

}  // namespace ssmlens::cli
