// ssmlens-cli tune: the reduction schedule with the best quality under a FLOPs budget (docs/tuning.md).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <unistd.h>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>

#include "app/cli/Commands.h"
#include "app/cli/ModelArgs.h"
#include "core/Error.h"
#include "core/io/AtomicFile.h"
#include "core/bench/ModelBenchmark.h"
#include "core/eval/LoglikelihoodScorer.h"
#include "core/runtime/DemoModel.h"
#include "core/tune/HeldoutReport.h"
#include "core/tune/ParetoFront.h"
#include "core/tune/StartingSchedules.h"
#include "core/tune/TuneReport.h"
#include "core/tune/TuningSession.h"

namespace ssmlens::cli {
namespace {

// OUT.json -> OUT<suffix>
std::string besideOutput(const std::string& out, const std::string& suffix) {
    const std::string stem = out.size() > 5 && out.substr(out.size() - 5) == ".json" ? out.substr(0, out.size() - 5) : out;
    return stem + suffix;
}

// The folder a result goes to, made before the search (a search of an hour must not end in "cannot write").
void makeFolderFor(const std::string& path) {
    const std::filesystem::path folder = std::filesystem::path(path).parent_path();
    if (folder.empty()) return;
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec || !std::filesystem::is_directory(folder))
        throw Error(path + ": cannot make the folder " + folder.string() + (ec ? " (" + ec.message() + ")" : ""));
}

std::string anchorsSummary(const ReductionSchedule& s) {
    return methodText(s) + "; " + std::to_string(s.anchors.size()) + " anchors: " + anchorsText(s);
}

}  // namespace

int runTune(const Args& raw) {
    auto specs = modelOptionSpecs();
    for (OptionSpec s : std::vector<OptionSpec>{
             {"target-flops-reduction", "PCT", "FLOPs reduction the schedule must reach, in % (FlopsModel on the calibration lengths)"},
             {"out", "S.json", "write the best schedule here (the format `reduce`, `eval`, `sweep` and the window read)"},
             {"method", "M", "reduction method (default utr); its options are searched too unless --fixed-options"},
             {"metric", "X", "starting importance metric: clip (default), raw, l2"},
             {"fixed-options", "", "keep the method's options as given (search anchors and ratios only)"},
             {"uniform-ratio", "", "one keep ratio at every anchor: schedules the reference code can run"},
             {"no-protect-span", "", "do not protect the scored positions (a removed one counts as a uniform guess)"},
             {"search", "A", "evolution (default) or random (the baseline: random shapes at the target)"},
             {"time-limit", "SEC", "stop after this many seconds of search (default 600 when --max-evals is not given)"},
             {"max-evals", "N", "stop after N candidates in the whole search (a resumed one included)"},
             {"seed", "S", "seed of the search (default 0): the same seed, data and limits give the same candidates"},
             {"round-size", "N", "candidates per round after the first (default 8)"},
             {"no-racing", "", "score every candidate on all the data (no early stop of clearly worse ones)"},
             {"preset-ratios", "Q,..", "keep ratios of the paper preset also scored, for comparison (default: none)"},
             {"min-keep-ratio", "Q", "the smallest keep ratio an anchor may get (default 0.5)"},
             {"calibration", "SPEC", "data to tune on: TASK:PATH, text:FILE, a file (task recognised by name) or "
                                     "random:COUNTxLENGTH, comma-separated; default: the demo model's bundled data"},
             {"tokenizer", "FILE", "tokenizer file, when the model folder has none"},
             {"calibration-limit", "N", "at most N calibration examples per source (default: all; 24 of the demo data)"},
             {"heldout-every", "N", "hold out every N-th example of each source for the report (default 2; 0: none)"},
             {"heldout-limit", "N", "at most N held-out examples per source"},
             {"no-heldout", "", "skip the held-out comparison at the end"},
             {"text-window", "N", "tokens per text window (default 256)"},
             {"text-scored", "N", "scored positions at the end of each text window (default 32)"},
             {"batch-size", "B", "sequences per forward pass (default 8)"},
             {"max-length", "L", "model window; longer inputs lose tokens on the left as in lm-eval (default 2048)"},
             {"prefix-cache-mb", "MB", "memory for dense streams reused by later candidates (default 1024; 0: off)"},
             {"state", "FILE", "the search state, saved after every round (default: beside --out, .tune-state.json)"},
             {"resume", "", "continue the search saved in the state file"},
             {"report", "FILE", "the whole run as JSON (default: beside --out, .tune.json)"},
             {"csv", "FILE", "every candidate as CSV (default: beside --out, .candidates.csv)"},
             {"pretrained", "NAME", "the model as the reference code loads it, for the exported command line"},
             {"size", "S", "random weights of a published shape (130m ... 2.7b) instead of --model (benchmarks)"},
             {"quiet", "", "no progress on stderr"}})
        specs.push_back(s);
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli tune [--model DIR] --target-flops-reduction PCT --out S.json [--method M] "
                                   "[--time-limit SEC] [--max-evals N] [--seed S] [--calibration SPEC] [--device D] "
                                   "[--resume]",
                                   "Searches anchors, a keep ratio per anchor and the method's options for the schedule "
                                   "closest to the dense model (mean KL at the scored positions of the calibration data) "
                                   "whose FLOPs reduction reaches the target. Writes the schedule, every candidate and "
                                   "the Pareto front, compares the result with the paper's schedule on held-out data, "
                                   "and prints it in the reference code's argument form. Progress on stderr.",
                                   specs)
                              .c_str());
        return 0;
    }
    const std::string outPath = args.required("out");
    TuningRequest request;
    request.search.targetPercent = args.getDouble("target-flops-reduction", 0);
    if (!args.has("target-flops-reduction")) throw Error("missing --target-flops-reduction");
    if (!(request.search.targetPercent > 0 && request.search.targetPercent < 100))
        throw Error("--target-flops-reduction must lie between 0 and 100 (a percentage)");
    if (args.has("method")) request.search.method = parseMethodName(args.get("method"));
    if (args.has("metric")) request.search.options.metric = parseMetricName(args.get("metric"));
    request.search.options.protectScoringSpan = !args.has("no-protect-span");
    request.search.searchOptions = !args.has("fixed-options");
    request.search.uniformRatio = args.has("uniform-ratio");
    request.algorithm = parseSearchAlgorithmName(args.get("search", "evolution"));
    // Ranges of the numeric options are CliArgs.cpp's rules, checked when the arguments were parsed.
    request.search.seed = static_cast<uint64_t>(args.getInt("seed", 0));
    request.search.roundSize = args.getInt("round-size", 8);
    if (args.has("preset-ratios")) request.search.presetRatios = args.getDoubleList("preset-ratios", {});
    request.minKeepRatio = args.getDouble("min-keep-ratio", 0.5);
    request.limits.timeLimitSeconds = args.getDouble("time-limit", args.has("max-evals") ? 0.0 : 600.0);
    request.limits.maxEvaluations = args.getInt("max-evals", 0);
    if (args.has("time-limit") && !(request.limits.timeLimitSeconds > 0)) throw Error("--time-limit must be above 0");
    CalibrationOptions& c = request.calibration;
    c.heldoutEvery = args.getInt("heldout-every", 2);
    c.limitPerSource = args.getInt("calibration-limit", -1);
    c.heldoutLimitPerSource = args.getInt("heldout-limit", -1);
    c.textWindow = args.getInt("text-window", 256);
    c.textScored = args.getInt("text-scored", 32);
    c.maxLength = args.getInt("max-length", 2048);
    c.randomSeed = request.search.seed;
    request.evaluator.batchSize = args.getInt("batch-size", 8);
    request.evaluator.prefixCacheBytes = args.getInt("prefix-cache-mb", 1024) * (int64_t{1} << 20);
    request.statePath = args.get("state", besideOutput(outPath, ".tune-state.json"));
    request.resume = args.has("resume");
    request.racing = !args.has("no-racing");
    const bool quiet = args.has("quiet");
    const std::string reportPath = args.get("report", besideOutput(outPath, ".tune.json"));
    const std::string csvPath = args.get("csv", besideOutput(outPath, ".candidates.csv"));
    for (const std::string& path : {outPath, reportPath, csvPath, request.statePath}) makeFolderFor(path);

    // The model: a checkpoint (or the demo model), or random weights of a published shape.
    std::unique_ptr<Mamba2Model> model;
    std::unique_ptr<Tokenizer> tokenizer;
    std::string modelName;
    if (args.has("size")) {
        if (args.has("model")) throw Error("give --model or --size, not both");
        if (args.has("threads")) at::set_num_threads(static_cast<int>(args.getInt("threads", 1)));
        const Mamba2Config config = namedMamba2Config(args.get("size"));
        model = std::make_unique<Mamba2Model>(
            config, randomMamba2Weights(config, 0, parseDtypeName(args.get("dtype", "fp32")), deviceFrom(args)));
        modelName = "random " + args.get("size");
        if (args.has("tokenizer")) tokenizer = loadTokenizer(args.get("tokenizer"));
    } else {
        modelName = modelDirFrom(args);
        model = std::make_unique<Mamba2Model>(loadModelFrom(args));
        if (args.has("tokenizer")) tokenizer = loadTokenizer(args.get("tokenizer"));
        else tokenizer = loadTokenizerFromModelDir(modelName);
    }
    request.modelName = modelName;
    if (args.has("calibration")) {
        request.sources = parseCalibrationSources(args.get("calibration"));
    } else {
        const std::string demo = defaultModelDir();
        if (args.has("size") || args.has("model") || demo.empty())
            throw Error("give the data to tune on with --calibration (only the demo model has default data)");
        request.sources = demoCalibrationSources(demo);
        if (!args.has("calibration-limit")) request.calibration.limitPerSource = kDemoCalibrationLimit;
    }

    TuningSession session(*model, tokenizer.get(), request);
    const double target = request.search.targetPercent;
    if (!quiet) {
        std::fprintf(stderr, "tune: target FLOPs reduction %.2f%%, method %s, %s search, seed %llu\n", target,
                     methodName(request.search.method).c_str(), searchAlgorithmName(request.algorithm).c_str(),
                     static_cast<unsigned long long>(request.search.seed));
        std::fprintf(stderr, "calibration: %s\n", session.data().calibration.description.c_str());
        if (!session.data().heldout.sequences.empty())
            std::fprintf(stderr, "held out:    %s\n", session.data().heldout.description.c_str());
        if (session.resumed())
            std::fprintf(stderr, "resuming %s: %lld candidates recorded\n", request.statePath.c_str(),
                         static_cast<long long>(session.recordedCandidates()));
    }
    const bool tty = isatty(2);
    auto denseProgress = [&](int64_t done, int64_t total) {
        if (quiet) return;
        if (tty || done == total)
            std::fprintf(stderr, "%sdense pass: %lld / %lld batches%s", tty ? "\r" : "", static_cast<long long>(done),
                         static_cast<long long>(total), done == total ? "\n" : "");
    };
    auto onCandidate = [&](const TuneEvent& e) {
        if (quiet) return;
        const TuneCandidate& c = *e.candidate;
        std::fprintf(stderr, "[%6.0f s] #%-4lld r%-3lld %-11s FLOPs -%6.2f%%  KL %.5f%s%s", e.elapsedSeconds,
                     static_cast<long long>(c.index), static_cast<long long>(c.round),
                     candidateOriginName(c.origin).c_str(), c.flopsReductionPercent, c.score.objective,
                     c.score.complete() ? "" : " (stopped early: worse)", e.replayed ? " (recorded)" : "");
        if (e.best)
            std::fprintf(stderr, "  | best #%lld KL %.5f, %s", static_cast<long long>(e.best->index), e.best->score.objective,
                         anchorsSummary(e.best->schedule).c_str());
        std::fprintf(stderr, "\n");
    };
    TuneReport report;
    report.outcome = session.run(onCandidate, nullptr, denseProgress);
    const ModelEvaluator& evaluator = *session.evaluator();
    report.setup = session.setup();
    report.evaluator = evaluator.description();
    report.denseNll = evaluator.denseNll();
    report.denseSeconds = evaluator.denseSeconds();
    report.previousSeconds = session.previousSeconds();
    report.pretrained = args.get("pretrained", args.has("size") ? "state-spaces/mamba2-" + args.get("size") : modelName);
    const TuneOutcome& out = report.outcome;
    if (!quiet)
        std::fprintf(stderr, "stopped: %s after %.0f s; %lld candidates (%lld evaluated now, %lld recorded); state in %s\n",
                     tuneStopText(out.stop).c_str(), out.seconds, static_cast<long long>(out.candidates.size()),
                     static_cast<long long>(out.evaluatedNow), static_cast<long long>(out.replayed),
                     request.statePath.c_str());

    writeFileAtomically(csvPath, candidatesCsv(out.candidates, out.front, out.best));
    if (out.best < 0) {
        writeFileAtomically(reportPath, report.toJson().dump(1) + "\n");
        throw Error("no candidate reached the target before the search stopped (give it more time or evaluations, or "
                    "--resume); every candidate is in " + csvPath);
    }
    const TuneCandidate& best = out.candidates[static_cast<size_t>(out.best)];
    best.schedule.save(outPath);

    // The paper's schedule that spends at least the FLOPs of the tuned one, and the tuned anchors with one ratio.
    const ReductionSchedule paper =
        paperScheduleAtMost(session.budget(), best.flopsReductionPercent, request.search.method, request.search.options);
    std::vector<NamedSchedule> compared = {{"tuned", best.schedule}};
    char name[96];
    std::snprintf(name, sizeof name, "paper (depth-scaled, q %.3f, FLOPs -%.2f%% on calibration)",
                  paper.anchors.empty() ? 1.0 : paper.anchors.front().keepRatio, session.budget().reductionPercent(paper));
    compared.push_back({name, paper});
    const ReferenceExport exportForm = referenceExport(best.schedule, report.pretrained);
    if (!exportForm.expressible) {
        // The best candidate the reference can run (origin expressible or any one-ratio schedule) at the target.
        int64_t oneRatio = -1;
        for (size_t i = 0; i < out.candidates.size(); ++i) {
            const TuneCandidate& x = out.candidates[i];
            if (x.flopsReductionPercent < target || !referenceExport(x.schedule, "").expressible) continue;
            if (oneRatio < 0 || x.score.objective < out.candidates[static_cast<size_t>(oneRatio)].score.objective)
                oneRatio = static_cast<int64_t>(i);
        }
        if (oneRatio >= 0)
            compared.push_back({"best one-ratio candidate #" + std::to_string(oneRatio),
                                out.candidates[static_cast<size_t>(oneRatio)].schedule});
    }
    if (!args.has("no-heldout") && (!session.data().heldout.sequences.empty() || !session.data().heldoutTasks.empty())) {
        if (!quiet) std::fprintf(stderr, "held-out comparison: %s\n", session.data().heldout.description.c_str());
        ScoringOptions scoring;
        scoring.batchSize = request.evaluator.batchSize;
        scoring.maxLength = request.calibration.maxLength;
        ModelEvaluatorOptions eo = request.evaluator;
        eo.prefixCacheBytes = 0;
        report.heldout = compareOnHeldout(*model, tokenizer.get(), session.data(), compared, scoring, eo);
        report.hasHeldout = true;
    }
    writeFileAtomically(reportPath, report.toJson().dump(1) + "\n");

    // What the user reads.
    std::printf("Best schedule (candidate #%lld of %zu, %s): FLOPs -%.2f%% (target %.2f%%), tokens -%.1f%%, "
                "KL %.5f nats, calibration perplexity %.3f (dense %.3f)\n  %s\n",
                static_cast<long long>(best.index), out.candidates.size(), candidateOriginName(best.origin).c_str(),
                best.flopsReductionPercent, target, best.tokenReductionPercent, best.score.objective,
                std::exp(best.score.nll), std::exp(report.denseNll), anchorsSummary(best.schedule).c_str());
    for (const TuneCandidate& x : out.candidates)
        if (x.origin == CandidateOrigin::Preset && x.targetPercent == target)
            std::printf("Paper preset at the target (candidate #%lld): FLOPs -%.2f%%, KL %.5f nats (%.2fx the tuned)\n",
                        static_cast<long long>(x.index), x.flopsReductionPercent, x.score.objective,
                        x.score.objective / std::max(1e-30, best.score.objective));
    std::printf("\nPareto front (FLOPs reduction against the objective, calibration data):\n%s",
                frontTable(out.candidates, out.front).c_str());
    if (report.hasHeldout)
        std::printf("\nHeld-out comparison (%s):\n%s", report.heldout.data.c_str(), heldoutTable(report.heldout).c_str());
    std::printf("\nReference code (wuyushuwys/ToR_SSM):\n");
    if (exportForm.expressible) std::printf("  %s\n", exportForm.command.c_str());
    for (const std::string& n : exportForm.notes) std::printf("  note: %s\n", n.c_str());
    std::printf("\nWrote %s (schedule), %s (report), %s (candidates), %s (state)\n", outPath.c_str(), reportPath.c_str(),
                csvPath.c_str(), request.statePath.c_str());
    return 0;
}

}  // namespace ssmlens::cli
