// The options of `ssmlens-cli tune` and of its workers (`tune-round`), which must read the model and the
// calibration data exactly as the tune command does.
#include "app/cli/TuneArgs.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include "app/cli/ModelArgs.h"
#include "core/Error.h"
#include "core/bench/ModelBenchmark.h"
#include "core/runtime/DemoModel.h"

namespace ssmlens::cli {

std::vector<OptionSpec> tuneOptionSpecs() {
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
    return specs;
}

TuningRequest tuningRequestFrom(const CliArgs& args) {
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
    if (args.has("calibration")) {
        request.sources = parseCalibrationSources(args.get("calibration"));
    } else {
        const std::string demo = defaultModelDir();
        if (args.has("size") || args.has("model") || demo.empty())
            throw Error("give the data to tune on with --calibration (only the demo model has default data)");
        request.sources = demoCalibrationSources(demo);
        if (!args.has("calibration-limit")) request.calibration.limitPerSource = kDemoCalibrationLimit;
    }
    return request;
}

TuneModel loadTuneModel(const CliArgs& args) {
    TuneModel m;
    if (args.has("size")) {
        if (args.has("model")) throw Error("give --model or --size, not both");
        if (args.has("threads")) at::set_num_threads(static_cast<int>(args.getInt("threads", 1)));
        const Mamba2Config config = namedMamba2Config(args.get("size"));
        m.model = std::make_unique<Mamba2Model>(
            config, randomMamba2Weights(config, 0, parseDtypeName(args.get("dtype", "fp32")), deviceFrom(args)));
        m.name = "random " + args.get("size");
        if (args.has("tokenizer")) m.tokenizer = loadTokenizer(args.get("tokenizer"));
    } else {
        m.name = modelDirFrom(args);
        m.model = std::make_unique<Mamba2Model>(loadModelFrom(args));
        if (args.has("tokenizer")) m.tokenizer = loadTokenizer(args.get("tokenizer"));
        else m.tokenizer = loadTokenizerFromModelDir(m.name);
    }
    return m;
}

}  // namespace ssmlens::cli
