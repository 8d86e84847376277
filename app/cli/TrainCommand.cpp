#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <ATen/ATen.h>

#include "app/cli/CliArgs.h"
#include "app/cli/Commands.h"
#include "app/cli/ModelArgs.h"
#include "core/Error.h"
#include "core/bench/ModelBenchmark.h"  // parseDtypeName
#include "core/model/Checkpoint.h"
#include "core/text/Tokenizer.h"
#include "core/runtime/MemoryBudget.h"
#include "core/train/Trainer.h"

namespace ssmlens::cli {
namespace {

Mamba2Config shapeFrom(const CliArgs& args, int64_t vocabRows) {
    Mamba2Config c;
    c.dModel = args.getInt("d-model", 384);
    c.nLayer = args.getInt("layers", 16);
    c.dState = args.getInt("d-state", 64);
    c.headdim = args.getInt("headdim", 64);
    c.expand = args.getInt("expand", 2);
    c.chunkSize = args.getInt("chunk-size", 128);
    c.vocabSize = vocabRows;
    c.tieEmbeddings = true;
    c.layout = CheckpointLayout::HuggingFace;
    c.validate("the options of train");
    return c;
}

}  // namespace

int runTrain(const Args& raw) {
    const std::vector<OptionSpec> specs = {
        {"train", "FILE", "training token ids (.npy from encode-corpus)"},
        {"heldout", "FILE", "held-out token ids (.npy) for evaluation"},
        {"tokenizer", "FILE", "the tokenizer the ids come from: sets the vocabulary and is copied next to the model"},
        {"vocab", "N", "embedding rows (default: the tokenizer's vocabulary, rounded up to a multiple of 16)"},
        {"eos", "N", "end-of-text id (default: the tokenizer's)"},
        {"out", "DIR", "run folder: loss.csv, checkpoint/, model/ (resumes when checkpoint/ exists)"},
        {"d-model", "N", "model width (default 384)"},
        {"layers", "N", "number of blocks (default 16)"},
        {"d-state", "N", "SSM state size (default 64)"},
        {"headdim", "N", "head dimension (default 64)"},
        {"expand", "N", "inner width factor (default 2)"},
        {"chunk-size", "N", "SSD chunk length (default 128)"},
        {"batch", "N", "sequences per update (default 32)"},
        {"seq-len", "N", "tokens per sequence (default 512)"},
        {"steps", "N", "updates in all; the cosine ends here (default 2000)"},
        {"warmup", "N", "warm-up updates (default 100)"},
        {"lr", "X", "peak learning rate (default 3e-3)"},
        {"min-lr", "X", "final learning rate (default lr / 10)"},
        {"weight-decay", "X", "AdamW decoupled weight decay on matrices (default 0.1)"},
        {"clip", "X", "gradient norm limit (default 1.0)"},
        {"eval-every", "N", "updates between held-out evaluations (default 200)"},
        {"eval-windows", "N", "held-out windows per evaluation (default 64)"},
        {"checkpoint-every", "N", "updates between checkpoints (default 500; always at the end)"},
        {"time-limit", "S", "stop after S seconds of training, checkpointed and resumable (default: none)"},
        {"device", "D", "cpu (default) or cuda[:N]"},
        {"dtype", "T", "compute dtype: bf16 (default on cuda) or fp32 (default on cpu); masters stay fp32"},
        {"export-dtype", "T", "dtype of model/model.safetensors: bf16 (default), fp16 or fp32"},
        {"seed", "N", "initialisation and batch order (default 0)"}};
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli train --train T.npy --heldout H.npy --tokenizer FILE --out DIR [...]",
                                   "Trains a Mamba-2 language model from scratch with the project's own forward pass "
                                   "(libtorch autograd): AdamW, warm-up and cosine learning rate, bf16 on GPU. Run it "
                                   "again with the same --out to resume.",
                                   specs)
                              .c_str());
        return 0;
    }
    const TokenStream train = TokenStream::load(args.required("train"));
    const TokenStream heldout = TokenStream::load(args.required("heldout"));
    const std::string tokenizerPath = args.required("tokenizer");
    int64_t vocabRows = args.getInt("vocab", 0), eos = args.getInt("eos", -1);
    if (vocabRows <= 0 || eos < 0) {  // --vocab and --eos let a build without sentencepiece train too
        auto tokenizer = loadTokenizer(tokenizerPath);
        if (vocabRows <= 0) vocabRows = (tokenizer->vocabSize() + 15) / 16 * 16;  // aligned matmuls
        if (eos < 0) eos = std::max<int64_t>(0, tokenizer->eosId());
    }
    Mamba2Config config = shapeFrom(args, vocabRows);
    config.eosId = eos;

    TrainOptions o;
    o.outDir = args.required("out");
    o.device = deviceFrom(args);
    o.batchSize = args.getInt("batch", 32);
    o.seqLen = args.getInt("seq-len", 512);
    o.learningRate.peak = args.getDouble("lr", 3e-3);
    o.learningRate.floor = args.getDouble("min-lr", o.learningRate.peak / 10);
    o.learningRate.warmupSteps = args.getInt("warmup", 100);
    o.learningRate.totalSteps = args.getInt("steps", 2000);
    o.adamw.weightDecay = args.getDouble("weight-decay", 0.1);
    o.gradClip = args.getDouble("clip", 1.0);
    o.evalEvery = args.getInt("eval-every", 200);
    o.evalWindows = args.getInt("eval-windows", 64);
    o.checkpointEvery = args.getInt("checkpoint-every", 500);
    o.timeLimitSeconds = args.getDouble("time-limit", 0);
    o.seed = static_cast<uint64_t>(args.getInt("seed", 0));
    o.computeDtype = parseDtypeName(args.get("dtype", o.device.is_cuda() ? "bf16" : "fp32"));
    o.exportDtype = parseDtypeName(args.get("export-dtype", "bf16"));
    if (o.computeDtype == at::kHalf) throw Error("--dtype fp16 is not supported for training (use bf16)");
    requireParametersFit(config, 4, o.device, "the options of train");

    std::fprintf(stderr, "model: %s, %.2fM parameters\ntrain: %lld tokens, held-out: %lld tokens\n",
                 config.summary().c_str(), config.parameterCount() / 1e6, static_cast<long long>(train.size()),
                 static_cast<long long>(heldout.size()));
    TrainResult r = trainMamba2(config, train, heldout, o, [](const TrainProgress& p) {
        std::fprintf(stderr, "step %6lld  lr %.2e  loss %.4f  |g| %.3f  %8.0f tok/s  %7.1f s", static_cast<long long>(p.step),
                     p.learningRate, p.trainLoss, p.gradNorm, p.tokensPerSecond, p.elapsedSeconds);
        if (p.heldoutLoss >= 0) std::fprintf(stderr, "  held-out %.4f (ppl %.2f)", p.heldoutLoss, std::exp(p.heldoutLoss));
        std::fprintf(stderr, "\n");
    });
    namespace fs = std::filesystem;
    const fs::path modelDir = fs::path(o.outDir) / "model";
    fs::copy_file(tokenizerPath, modelDir / fs::path(tokenizerPath).filename(), fs::copy_options::overwrite_existing);
    std::printf("steps\t%lld\ntokens\t%lld\nresumed\t%s\nfinished\t%s\nheldout_loss\t%.6f\nheldout_perplexity\t%.4f\n"
                "seconds\t%.1f\nmodel\t%s\n",
                static_cast<long long>(r.steps), static_cast<long long>(r.tokens), r.resumed ? "yes" : "no",
                r.finished ? "yes" : "no (time limit; run again to resume)", r.heldoutLoss, std::exp(r.heldoutLoss),
                r.seconds, modelDir.string().c_str());
    return 0;
}

}  // namespace ssmlens::cli
