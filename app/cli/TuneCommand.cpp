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
#include "app/cli/ShardDispatch.h"
#include "app/cli/TuneArgs.h"
#include "core/Error.h"
#include "core/io/AtomicFile.h"
#include "core/bench/ModelBenchmark.h"
#include "core/cluster/ShardedEvaluator.h"
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

// Options for this process only, not handed to the workers of --devices / --slurm.
const std::vector<std::string> kParentOnlyOptions = {"out",    "state", "resume",     "report",   "csv",
                                                     "quiet",  "no-heldout", "pretrained", "time-limit", "max-evals"};

// raw without --NAME and its value (both forms: --NAME VALUE, --NAME=VALUE).
Args withoutOption(const Args& raw, const std::string& name, const std::vector<OptionSpec>& specs) {
    bool takesValue = false;
    for (const OptionSpec& s : specs)
        if (s.name == name) takesValue = !s.valueName.empty();
    Args out;
    for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == "--" + name) {
            i += takesValue;
            continue;
        }
        if (raw[i].rfind("--" + name + "=", 0) == 0) continue;
        out.push_back(raw[i]);
    }
    return out;
}

std::string anchorsSummary(const ReductionSchedule& s) {
    return methodText(s) + "; " + std::to_string(s.anchors.size()) + " anchors: " + anchorsText(s);
}

}  // namespace

int runTune(const Args& raw) {
    std::vector<OptionSpec> specs = tuneOptionSpecs();
    for (const OptionSpec& o : shardDispatchOptionSpecs()) specs.push_back(o);
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli tune [--model DIR] --target-flops-reduction PCT --out S.json [--method M] "
                                   "[--time-limit SEC] [--max-evals N] [--seed S] [--calibration SPEC] [--device D] "
                                   "[--resume] [--devices D,D,... | --slurm [--shards N] [--slurm-* ...]]",
                                   "Searches anchors, a keep ratio per anchor and the method's options for the schedule "
                                   "closest to the dense model (mean KL at the scored positions of the calibration data) "
                                   "whose FLOPs reduction reaches the target. Writes the schedule, every candidate and "
                                   "the Pareto front, compares the result with the paper's schedule on held-out data, "
                                   "and prints it in the reference code's argument form. Progress on stderr. With "
                                   "--devices or --slurm each round's candidates are scored by worker processes "
                                   "(one per device) or as a Slurm job array (docs/cluster.md), with the same results.",
                                   specs)
                              .c_str());
        return 0;
    }
    const std::string outPath = args.required("out");
    TuningRequest request = tuningRequestFrom(args);
    request.statePath = args.get("state", besideOutput(outPath, ".tune-state.json"));
    request.resume = args.has("resume");
    request.racing = !args.has("no-racing");
    const bool quiet = args.has("quiet");
    const std::string reportPath = args.get("report", besideOutput(outPath, ".tune.json"));
    const std::string csvPath = args.get("csv", besideOutput(outPath, ".candidates.csv"));
    for (const std::string& path : {outPath, reportPath, csvPath, request.statePath}) makeFolderFor(path);

    // --devices / --slurm: each round's candidates are scored by workers (`ssmlens-cli tune-round` with these
    // arguments); this process searches, and loads the model on the CPU only for the FLOPs budget, the
    // calibration data and the held-out comparison.
    std::unique_ptr<RoundDispatch> dispatch;
    if (wantsShardDispatch(args))
        dispatch = std::make_unique<RoundDispatch>(prepareRoundDispatch(
            raw, args, "tune", "tune-round", "ssmlens-tune", kParentOnlyOptions, specs, request.search.roundSize));
    const TuneModel loaded = loadTuneModel(dispatch ? CliArgs(withoutOption(raw, "device", specs), specs) : args);
    const std::unique_ptr<Mamba2Model>& model = loaded.model;
    const std::unique_ptr<Tokenizer>& tokenizer = loaded.tokenizer;
    const std::string& modelName = loaded.name;
    request.modelName = modelName;
    TuningSession session(*model, tokenizer.get(), request);
    std::unique_ptr<ShardedEvaluator> sharded;
    if (dispatch) {
        ShardedEvaluatorOptions o;
        o.name = "ssmlens-tune";
        o.dir = dispatch->dir;
        o.workingDir = dispatch->workingDir;
        o.workerCommand = dispatch->workerCommand;
        o.maxShards = dispatch->maxShards;
        o.calibrationFingerprint = session.data().calibration.fingerprint();
        o.description = dispatch->description;
        o.run = dispatch->options;
        o.report = [quiet](int64_t round, const std::vector<ShardStatus>&, const std::string& event) {
            if (!quiet && !event.empty()) std::fprintf(stderr, "tune round %lld: %s\n", static_cast<long long>(round), event.c_str());
        };
        sharded = std::make_unique<ShardedEvaluator>(*dispatch->runner, o);
        session.setExternalEvaluator(sharded.get());
    }
    const double target = request.search.targetPercent;
    if (!quiet) {
        std::fprintf(stderr, "tune: target FLOPs reduction %.2f%%, method %s, %s search, seed %llu\n", target,
                     methodName(request.search.method).c_str(), searchAlgorithmName(request.algorithm).c_str(),
                     static_cast<unsigned long long>(request.search.seed));
        std::fprintf(stderr, "calibration: %s\n", session.data().calibration.description.c_str());
        if (!session.data().heldout.sequences.empty())
            std::fprintf(stderr, "held out:    %s\n", session.data().heldout.description.c_str());
        if (dispatch) std::fprintf(stderr, "evaluations: %s\n", dispatch->description.c_str());
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
    if (dispatch) {
        // Ctrl-C stops the round's workers (cancels the array); the search ends with the best so far.
        ShardInterruptGuard guard;
        report.outcome = session.run(onCandidate, &shardStopRequested(), denseProgress);
        report.evaluator = sharded->description();
        report.denseNll = sharded->denseNll();
        report.denseSeconds = sharded->denseSeconds();
    } else {
        report.outcome = session.run(onCandidate, nullptr, denseProgress);
        const ModelEvaluator& evaluator = *session.evaluator();
        report.evaluator = evaluator.description();
        report.denseNll = evaluator.denseNll();
        report.denseSeconds = evaluator.denseSeconds();
    }
    report.setup = session.setup();
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
    if (dispatch) dispatch->removeTemporaryDir();
    return 0;
}

}  // namespace ssmlens::cli
