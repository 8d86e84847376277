// ssmlens-cli eval / sweep / merge-results: zero-shot accuracy as lm-evaluation-harness v0.4 computes it,
// dense and with token reduction (docs/evaluation.md).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "app/cli/Commands.h"
#include "app/cli/ModelArgs.h"
#include "app/cli/ScheduleArgs.h"
#include "app/cli/ShardDispatch.h"
#include "core/Error.h"
#include "core/cluster/ShardProgress.h"
#include "core/io/AtomicFile.h"
#include "core/io/JsonDocument.h"
#include "core/eval/AccuracySweep.h"
#include "core/eval/EvalResultJson.h"
#include "core/eval/EvalRun.h"
#include "core/eval/ShardMerge.h"
#include "core/eval/SweepDetails.h"
#include "core/eval/TaskReaders.h"
#include "core/model/ModelConfig.h"

namespace ssmlens::cli {
namespace {

std::vector<OptionSpec> scoringOptionSpecs() {
    return {{"tokenizer", "FILE", "tokenizer file, when the model folder has none"},
            {"limit", "N", "score N examples (the first N, or a seeded random N with --seed)"},
            {"seed", "S", "shuffle with this seed before taking --limit examples"},
            {"batch-size", "B", "sequences per forward pass (default 16; 96 with paper scoring, as the paper's script)"},
            {"max-length", "L", "model window; longer inputs lose tokens on the left as in lm-eval (default 2048)"},
            {"no-protect-span", "", "do not protect the scored positions under reduction (mimics the reference)"}};
}

// The batch size: given, or the default of the scoring modes asked for (paper: the paper's script's 96,
// because in that mode the batches decide what is read).
int64_t batchSizeFor(const CliArgs& args, const std::vector<ScoringMode>& modes) {
    const bool paper = std::find(modes.begin(), modes.end(), ScoringMode::Paper) != modes.end();
    const long long b = args.getInt("batch-size", paper ? kPaperEvaluationBatchSize : 16);
    if (b < 1) throw Error("--batch-size must be at least 1");
    return b;
}

std::vector<ScoringMode> scoringModesFrom(const CliArgs& args) {
    std::vector<ScoringMode> modes;
    for (const std::string& m : splitList(args.get("scoring", "correct"))) {
        const ScoringMode mode = parseScoringModeName(m);
        if (std::find(modes.begin(), modes.end(), mode) == modes.end()) modes.push_back(mode);
    }
    if (modes.empty()) throw Error("--scoring needs a value (correct, paper)");
    return modes;
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

// Paper scoring reads each request according to the batch it was padded in (lm-eval's order over the whole
// run), so a shard, which batches other requests together, would not score what one run scores.
void refusePaperScoringShards(const CliArgs& args, const std::vector<ScoringMode>& modes) {
    const bool paper = std::find(modes.begin(), modes.end(), ScoringMode::Paper) != modes.end();
    if (paper && (args.has("shard") || wantsShardDispatch(args)))
        throw Error("--scoring paper runs in one process: what it reads depends on the batches of the whole run, "
                    "which shards change (leave out --shard, --devices and --slurm)");
}

ScoringOptions scoringFrom(const CliArgs& args, const std::vector<ScoringMode>& modes) {
    refusePaperScoringShards(args, modes);
    ScoringOptions o;
    o.mode = modes.front();
    o.batchSize = batchSizeFor(args, modes);
    o.maxLength = args.getInt("max-length", 2048);
    if (isatty(2))
        o.progress = [](int64_t done, int64_t total) {
            std::fprintf(stderr, "\rscored %lld / %lld requests", static_cast<long long>(done), static_cast<long long>(total));
            if (done == total) std::fprintf(stderr, "\n");
        };
    if (args.has("progress-file")) {
        // Written once now (where the run is: host and pid), then as batches finish.
        auto file = std::make_shared<ShardProgressWriter>(args.get("progress-file"));
        file->update(0, 0);
        o.progress = [file, terminal = o.progress](int64_t done, int64_t total) {
            if (terminal) terminal(done, total);
            file->update(done, total);
        };
    }
    return o;
}

// Requests of the examples that shard `index` of `count` of `selection` scores.
int64_t shardRequests(const EvalTaskData& data, ExampleSelection selection, int64_t index, int64_t count) {
    selection.shardIndex = index;
    selection.shardCount = count;
    int64_t requests = 0;
    for (int64_t doc : selectExamples(static_cast<int64_t>(data.examples.size()), selection))
        requests += static_cast<int64_t>(data.examples[static_cast<size_t>(doc)].requests.size());
    return requests;
}

// What a worker would reject, checked before any shard is dispatched: a mistake costs no queue time.
int64_t checkModelAndTokenizer(const CliArgs& args) {
    const std::string dir = modelDirFrom(args);
    const Mamba2Config config = loadMamba2Config(dir + "/config.json");
    tokenizerFrom(args);
    scoringFrom(args, scoringModesFrom(args));
    return config.nLayer;
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

int64_t requestCount(const EvalResult& r) {
    int64_t n = 0;
    for (const ExampleResult& e : r.examples) n += static_cast<int64_t>(e.choices.size());
    return n;
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
    if (r.reduced && r.scoring == ScoringMode::Paper)
        std::printf("scored as the paper's evaluation read it (batch size %lld): %lld of %lld requests read "
                    "log-probabilities at other positions than those that predict their tokens, %lld read fewer "
                    "tokens than the continuation has\n",
                    static_cast<long long>(r.batchSize), static_cast<long long>(r.summary.misreadRequests),
                    static_cast<long long>(requestCount(r)), static_cast<long long>(r.summary.shortReadRequests));
}

bool wantsReduction(const CliArgs& args) {
    for (const char* o : {"schedule", "preset", "keep-ratio", "method", "metric"})
        if (args.has(o)) return true;
    return false;
}


int runEvalSharded(const Args& raw, const CliArgs& args, const std::vector<OptionSpec>& specs, const EvalTaskData& data) {
    const int64_t nLayer = checkModelAndTokenizer(args);
    const ExampleSelection selection = selectionFrom(args);
    const bool reduced = wantsReduction(args);
    if (reduced) scheduleFrom(args, nLayer);
    ShardedCommand c;
    c.command = "eval";
    c.name = "ssmlens-eval-" + data.task;
    c.resultOption = "--json";
    c.parentOptions = {"json"};
    c.specs = specs;
    c.shardWork = [&, passes = reduced ? 2 : 1](int64_t i, int64_t n) { return passes * shardRequests(data, selection, i, n); };
    c.mergeHint = "ssmlens-cli merge-results FILES --json " + args.get("json", "merged.json");
    runShards(raw, args, c, [&](const std::vector<std::string>& files) {
        std::vector<EvalResult> shards;
        for (const std::string& f : files) shards.push_back(loadEvalResult(f));
        const EvalResult merged = mergeShards(shards, files);
        if (args.has("json")) saveEvalResult(merged, args.get("json"));
        printResult(merged);
    });
    return 0;
}

SweepSettings sweepSettingsFrom(const CliArgs& args) {
    SweepSettings settings;
    settings.methods.clear();
    for (const std::string& m : splitList(args.get("methods", methodName(kDefaultReductionMethod)))) {
        if (m == "all") {
            for (ReductionMethod every : allMethods()) settings.methods.push_back(every);
            continue;
        }
        settings.methods.push_back(parseMethodName(m));
    }
    settings.keepRatios = args.getDoubleList("keep-ratios", {1, 0.9, 0.8});  // each in (0, 1] (CliArgs rules)
    if (settings.methods.empty() || settings.keepRatios.empty()) throw Error("--methods and --keep-ratios need values");
    settings.selection = selectionFrom(args);
    settings.scorings = scoringModesFrom(args);
    settings.scoring = scoringFrom(args, settings.scorings);
    settings.protectScoringSpan = !args.has("no-protect-span");
    settings.modelName = modelDirFrom(args);
    return settings;
}

// --out-csv, --out-json, the details (--details, or `detailsPath` when given) and the table: the same for
// one process, a merge of shards and merge-results.
void writeSweepOutputs(const CliArgs& args, const std::vector<SweepPoint>& points, const SweepSettings& settings,
                       int64_t nLayer, const SweepDetails& details, const std::string& detailsPath = "") {
    if (args.has("out-csv")) writeFileAtomically(args.get("out-csv"), sweepToCsv(points));
    if (args.has("out-json")) writeFileAtomically(args.get("out-json"), sweepToJson(points, settings, nLayer).dump(1) + "\n");
    if (args.has("out-md")) writeFileAtomically(args.get("out-md"), sweepToMarkdown(points));
    const std::string detailsFile = detailsPath.empty() ? args.get("details") : detailsPath;
    if (!detailsFile.empty()) saveSweepDetails(details, detailsFile);
    std::printf("%-15s %-11s %-13s %-7s %6s %10s %10s %10s %9s %9s %10s %8s\n", "task", "metric", "method", "scoring",
                "q", "dense", "reduced", "difference", "tokens -%", "FLOPs -%", "unscorable", "misread");
    for (const SweepPoint& p : points)
        for (const MetricSummary& m : p.summary.metrics) {
            const int d = m.metric == EvalMetric::Perplexity ? 3 : 4;
            std::printf("%-15s %-11s %-13s %-7s %6.3f %10s %10s %10s %9.1f %9.1f %10lld %8lld\n", p.task.c_str(),
                        evalMetricName(m.metric).c_str(), methodName(p.method).c_str(),
                        scoringModeName(p.scoring).c_str(), p.keepRatio, cell(m.dense, d).c_str(),
                        cell(m.reduced, d).c_str(), cell(m.reduced - m.dense, d).c_str(),
                        p.summary.tokenReductionPercent, p.summary.flopsReductionPercent,
                        static_cast<long long>(p.summary.unscorableExamples),
                        static_cast<long long>(p.summary.misreadRequests));
        }
}

int runSweepSharded(const Args& raw, const CliArgs& args, const std::vector<OptionSpec>& specs,
                    const std::vector<EvalTaskData>& tasks, const SweepSettings& settings) {
    checkModelAndTokenizer(args);
    int64_t passes = 0;
    for (double q : settings.keepRatios) passes += q < 1.0;
    passes = 1 + passes * static_cast<int64_t>(settings.methods.size());
    ShardedCommand c;
    c.command = "sweep";
    c.name = "ssmlens-sweep";
    c.resultOption = "--details";
    c.parentOptions = {"out-csv", "out-json", "out-md", "details"};
    c.specs = specs;
    c.shardWork = [&](int64_t i, int64_t n) {
        int64_t requests = 0;
        for (const EvalTaskData& t : tasks) requests += shardRequests(t, settings.selection, i, n);
        return passes * requests;
    };
    c.mergeHint = "ssmlens-cli merge-results FILES --out-csv " + args.get("out-csv", "sweep.csv") + " --out-json " +
                  args.get("out-json", "sweep.json");
    runShards(raw, args, c, [&](const std::vector<std::string>& files) {
        std::vector<SweepDetails> shards;
        for (const std::string& f : files) shards.push_back(loadSweepDetails(f));
        const SweepDetails merged = mergeSweepShards(shards, files);
        writeSweepOutputs(args, sweepPointsOf(merged), settings, merged.tasks.at(0).dense.modelLayers, merged);
    });
    return 0;
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
             {"scoring", "MODE", "correct (default) or paper: read the reduced pass as the paper's evaluation did"},
             {"json", "FILE", "write the result with per-example details (JSON)"}})
        specs.push_back(s);
    for (const auto& s : shardDispatchOptionSpecs()) specs.push_back(s);
    specs.push_back(progressFileOptionSpec());
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli eval --model DIR --task NAME --data PATH [--schedule S.json | --preset P "
                                   "--keep-ratio Q ...] [--limit N] [--seed S] [--batch-size B] [--shard i/n] "
                                   "[--json OUT] [--devices cuda:0,cuda:1 | --slurm --shards N ...]",
                                   "Zero-shot accuracy as lm-evaluation-harness v0.4 computes it, dense and (with a "
                                   "schedule or preset) with token reduction, on the same examples. Prints the "
                                   "metrics table; --json keeps every example's scores. --devices and --slurm cut "
                                   "the run into shards run by workers (one per GPU, or Slurm array tasks) and "
                                   "merge them into the same result (docs/cluster.md).\n\n"
                                   "--scoring paper reads the reduced pass as the paper's evaluation did (lm-eval "
                                   "over the authors' code: batches padded, logits counted from the shortened end); "
                                   "correct scoring finds each scored position among the survivors "
                                   "(docs/evaluation.md).\n\n" + methodListText(),
                                   specs)
                              .c_str());
        return 0;
    }
    const std::string task = args.required("task");
    evalTask(task);
    EvalTaskData data = loadEvalTask(task, args.required("data"));
    if (wantsShardDispatch(args)) return runEvalSharded(raw, args, specs, data);
    auto tokenizer = tokenizerFrom(args);
    Mamba2Model model = loadModelFrom(args);
    EvalSettings settings;
    settings.selection = selectionFrom(args);
    const std::vector<ScoringMode> modes = scoringModesFrom(args);
    if (modes.size() != 1) throw Error("--scoring: eval takes one mode (sweep takes several)");
    settings.scoring = scoringFrom(args, modes);
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
             {"methods", "M,...", "reduction methods (default " + methodName(kDefaultReductionMethod) +
                                      "; all: every method; list below)"},
             {"scoring", "MODE,...", "correct (default), paper, or correct,paper: how each reduced pass is read"},
             {"shard", "i/n", "score only examples i, i+n, ... of each task's selection (merge with merge-results; "
                              "needs --details)"},
             {"out-csv", "FILE", "write one row per task, method, ratio, scoring mode and metric"},
             {"out-json", "FILE", "write the grid as JSON (schedules included)"},
             {"out-md", "FILE", "write the comparison table of docs/findings.md (Markdown)"},
             {"details", "FILE", "write every example's scores at every point (JSON; what merge-results combines)"}})
        specs.push_back(s);
    for (const auto& s : shardDispatchOptionSpecs()) specs.push_back(s);
    specs.push_back(progressFileOptionSpec());
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli sweep --model DIR --tasks a,b --data-dir DIR --keep-ratios 1,0.9,0.8 "
                                   "--methods utr,evit [--scoring correct,paper] [--limit N] [--out-csv F] "
                                   "[--out-json F] [--out-md F] [--details F] "
                                   "[--devices cuda:0,cuda:1 | --slurm --shards N ...]",
                                   "Accuracy against FLOPs reduction: each task scored dense once, then under the "
                                   "depth-scaled schedule of every method and keep ratio, on the same examples. "
                                   "Every method removes the same number of tokens at a keep ratio (EViT too, for "
                                   "ratios of 0.5 and more), so a ratio is one FLOPs budget. With paper scoring the "
                                   "tasks' requests are batched together, as one lm-eval run does. "
                                   "--devices and --slurm cut the sweep into shards run by workers (one per GPU, or "
                                   "Slurm array tasks) and merge them into the same grid (docs/cluster.md); paper "
                                   "scoring runs in one process.\n\n" +
                                       methodListText(),
                                   specs)
                              .c_str());
        return 0;
    }
    const std::string dataDir = args.required("data-dir");
    std::vector<EvalTaskData> tasks;
    for (const std::string& t : splitList(args.get("tasks", "piqa"))) tasks.push_back(loadEvalTask(t, dataDir));
    if (tasks.empty()) throw Error("--tasks is empty");
    const SweepSettings settings = sweepSettingsFrom(args);
    if (wantsShardDispatch(args)) return runSweepSharded(raw, args, specs, tasks, settings);
    if (settings.selection.shardCount > 1 && !args.has("details"))
        throw Error("--shard without --details: a shard's grid alone cannot be merged (add --details FILE)");
    auto tokenizer = tokenizerFrom(args);
    Mamba2Model model = loadModelFrom(args);
    SweepDetails details;
    const std::vector<SweepPoint> points = runSweep(model, *tokenizer, tasks, settings, &details);
    writeSweepOutputs(args, points, settings, model.config().nLayer, details);
    return 0;
}

int runMergeResults(const Args& raw) {
    const std::vector<OptionSpec> specs = {
        {"json", "FILE", "write the merged result (eval) or the merged details (sweep) as JSON"},
        {"out-csv", "FILE", "sweep details: write the merged grid as CSV, as sweep --out-csv"},
        {"out-json", "FILE", "sweep details: write the merged grid as JSON, as sweep --out-json"},
        {"out-md", "FILE", "sweep details: write the merged comparison table, as sweep --out-md"}};
    // Result files are positional; the options (with their values) go to CliArgs.
    Args options;
    std::vector<std::string> files;
    for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i].rfind("-", 0) != 0) {
            files.push_back(raw[i]);
            continue;
        }
        options.push_back(raw[i]);
        for (const OptionSpec& s : specs)
            if (raw[i] == "--" + s.name && i + 1 < raw.size()) options.push_back(raw[++i]);
    }
    CliArgs args(options, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli merge-results A.json B.json ... [--json OUT] [--out-csv F --out-json F --out-md F]",
                                   "Combines the results of eval --shard 0/n ... n-1/n (or the --details of sweep "
                                   "--shard 0/n ... n-1/n) into the result of the whole selection, with the metrics "
                                   "recomputed from every example's scores.",
                                   specs)
                              .c_str());
        return 0;
    }
    if (files.empty()) throw Error("give the shard result files to merge (see --help)");
    std::vector<nlohmann::json> docs;
    for (const std::string& f : files) docs.push_back(readJsonFile(f, "an eval result or sweep details (JSON)"));
    const std::string format = docs.front().is_object() ? docs.front().value("format", "") : "";
    if (format == "ssmlens-sweep-details") {
        std::vector<SweepDetails> shards;
        for (size_t i = 0; i < files.size(); ++i) {
            shards.push_back(sweepDetailsFromJson(docs[i], files[i]));
            docs[i] = nullptr;  // the parsed document can be large; keep only the details
        }
        const SweepDetails merged = mergeSweepShards(shards, files);
        if (merged.tasks.empty()) throw Error(files.front() + ": the sweep has no tasks");
        SweepSettings settings;
        settings.methods = merged.methods;
        settings.keepRatios = merged.keepRatios;
        settings.scorings = merged.scorings;
        settings.selection = merged.selection;
        settings.scoring.maxLength = merged.maxLength;
        settings.protectScoringSpan = merged.protectScoringSpan;
        writeSweepOutputs(args, sweepPointsOf(merged), settings, merged.tasks.front().dense.modelLayers, merged,
                          args.get("json"));
        return 0;
    }
    if (args.has("out-csv") || args.has("out-json") || args.has("out-md"))
        throw Error("--out-csv, --out-json and --out-md are for merging sweep details (sweep --details files)");
    std::vector<EvalResult> shards;
    for (size_t i = 0; i < files.size(); ++i) shards.push_back(evalResultFromJson(docs[i], files[i]));
    EvalResult merged = mergeShards(shards, files);
    if (args.has("json")) saveEvalResult(merged, args.get("json"));
    printResult(merged);
    return 0;
}

}  // namespace ssmlens::cli
