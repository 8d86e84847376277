// ssmlens-cli tune-round: the worker of `tune --devices` and `tune --slurm` (core/cluster/ShardedEvaluator.h).
// Given the tune command's own arguments (so it reads the model and the calibration data as tune does), a
// round file and --shard K/N, it makes the dense pass, scores its share of the round's schedules with the
// racing bounds of the round, and writes the scores to --result atomically when all are done (the file's
// presence tells the runner the shard is done). Progress (candidates scored) goes to --progress-file.
#include <unistd.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "app/cli/Commands.h"
#include "app/cli/TuneArgs.h"
#include "core/Error.h"
#include "core/cluster/ShardProgress.h"
#include "core/eval/ExampleSelection.h"
#include "core/io/AtomicFile.h"
#include "core/tune/ModelEvaluator.h"
#include "core/tune/TuneRoundFile.h"

namespace ssmlens::cli {
namespace {

std::string hostName() {
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) != 0) return "";
    return name;
}

}  // namespace

int runTuneRound(const Args& raw) {
    std::vector<OptionSpec> specs = tuneOptionSpecs();
    for (OptionSpec s : std::vector<OptionSpec>{
             {"round", "FILE", "the round to score (written by tune --devices / --slurm)"},
             {"shard", "K/N", "score share K of N of the round's candidates (default 0/1: all)"},
             {"result", "FILE", "write the scores here (JSON, atomically, when all are done)"},
             {"progress-file", "FILE", "keep FILE up to date with the candidates scored and the share's size"}})
        specs.push_back(s);
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli tune-round [tune's options] --round FILE --shard K/N --result FILE",
                                   "The worker of tune --devices and tune --slurm: scores share K of N of a round of "
                                   "candidates on the calibration data the tune options describe and writes the scores. "
                                   "Started by tune; by hand only to rerun a failed share.",
                                   specs)
                              .c_str());
        return 0;
    }
    const std::string roundPath = args.required("round"), resultPath = args.required("result");
    const auto [shard, shards] = args.has("shard") ? parseShard(args.get("shard")) : std::pair<int64_t, int64_t>{0, 1};
    std::unique_ptr<ShardProgressWriter> progress;
    if (args.has("progress-file")) {
        progress = std::make_unique<ShardProgressWriter>(args.get("progress-file"));
        progress->update(0, 0);  // where it runs, at once
    }
    const TuneRound round = TuneRound::load(roundPath);
    const auto [first, end] = roundShareOf(round.schedules.size(), shard, shards);

    const TuningRequest request = tuningRequestFrom(args);
    const TuneModel loaded = loadTuneModel(args);
    const CalibrationData data =
        loadCalibration(request.sources, loaded.tokenizer.get(), loaded.model->vocabRows(), request.calibration);
    const std::string fingerprint = data.calibration.fingerprint();
    if (fingerprint != round.calibrationFingerprint)
        throw Error(roundPath + ": the round is for calibration data with fingerprint " + round.calibrationFingerprint +
                    ", but the data read here (" + data.calibration.description + ") has " + fingerprint +
                    ": are the files the same on this machine?");
    for (size_t i = first; i < end; ++i) round.schedules[i].validate(loaded.model->config().nLayer);

    ModelEvaluator evaluator(*loaded.model, data.calibration, request.evaluator);
    TuneRoundResult result;
    result.round = round.round;
    result.shard = shard;
    result.shards = shards;
    result.calibrationFingerprint = fingerprint;
    result.evaluator = evaluator.description();
    result.host = hostName();
    result.denseNll = evaluator.denseNll();
    result.denseSeconds = evaluator.denseSeconds();
    const int64_t total = static_cast<int64_t>(end - first);
    if (progress) progress->update(0, total);
    for (size_t i = first; i < end; ++i) {
        result.scores.emplace_back(i, evaluator.score(round.schedules[i], {}, nullptr, round.rejectAbove[i]));
        if (progress) progress->update(static_cast<int64_t>(i + 1 - first), total);
    }
    writeFileAtomically(resultPath, result.toJson().dump(1) + "\n");
    std::printf("scored candidates %zu .. %zu of round %lld (%s): %s\n", first, end - 1,
                static_cast<long long>(round.round), evaluator.description().c_str(), resultPath.c_str());
    return 0;
}

}  // namespace ssmlens::cli
