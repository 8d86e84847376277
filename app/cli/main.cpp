// ssmlens-cli: the command-line front end of SSM Lens. Every number the app shows can be reproduced here.
#include <cstdio>
#include <cstring>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "app/cli/Commands.h"
#include "core/Error.h"
#include "core/runtime/CrashReport.h"
#include "core/runtime/HeapPolicy.h"
#include "core/runtime/KernelPaths.h"
#include "core/runtime/ThreadWaitPolicy.h"

namespace {

struct Command {
    const char* name;
    const char* summary;
    std::function<int(const ssmlens::cli::Args&)> run;
};

const std::vector<Command>& commands() {
    using namespace ssmlens::cli;
    static const std::vector<Command> list = {
        {"info", "model configuration, parameter count, dtype, device", runInfo},
        {"tokenize", "text to token ids, pieces and character offsets", runTokenize},
        {"logits", "logits of every position as a float32 .npy [L, V]", runLogits},
        {"generate", "greedy or sampled continuation, streamed", runGenerate},
        {"score", "per-token log-probabilities and perplexity of a text", runScore},
        {"reduce", "run a prompt dense and with token reduction; trace, logits, KL", runReduce},
        {"attention", "implicit attention matrix of a layer (.npy), dense or reduced; received, rollout", runAttention},
        {"activations", "intermediates of the forward pass by hook-point name (blocks.L.hook_B, ...) as .npy",
         runActivations},
        {"schedule", "build or check a reduction schedule; tokens per layer and FLOPs", runSchedule},
        {"eval", "zero-shot accuracy (lm-eval v0.4 conventions), dense and with token reduction", runEval},
        {"sweep", "accuracy against FLOPs reduction over keep ratios and methods (CSV, JSON)", runSweep},
        {"tune", "the best reduction schedule under a FLOPs budget (search, Pareto front, held-out check)", runTune},
        {"tune-round", "score a share of a round of tune candidates (the worker of tune --devices / --slurm)",
         runTuneRound},
        {"merge-results", "combine eval --shard results into the result of the whole run", runMergeResults},
        {"bench", "prefill and decode speed on random weights of a published size", runBench},
        {"bench-reduce", "reduction step share of a layer; reduced vs dense prefill time and memory", runBenchReduce},
        {"bench-attention", "implicit attention of a layer: every head, and the Attention view's work per layer",
         runBenchAttention},
        {"bench-ssd", "tensor-core prefill scan against the ATen scan: differences and times (GPU)", runBenchSsd},
        {"check-reduce", "reduction step on the CUDA kernels against the ATen step: choices, values, times (GPU)",
         runCheckReduce},
        {"check-device", "kernels against ATen on a device; forward pass and reduction against the CPU (GPU)",
         runCheckDevice},
        {"check-decode", "fused and graph decode paths against the ATen path: logits, states, greedy tokens (GPU)",
         runCheckDecode},
        {"check-prefill-graph", "dense and reduced prefill as CUDA graphs against the eager pass, bit for bit (GPU)",
         runCheckPrefillGraph},
        {"train-tokenizer", "train a sentencepiece tokenizer (byte fallback) on text files", runTrainTokenizer},
        {"encode-corpus", "tokenize text files into one .npy of ids for training", runEncodeCorpus},
        {"train", "train a Mamba-2 model from scratch (AdamW, cosine, bf16 on GPU; resumable)", runTrain},
        {"perplexity", "perplexity of a model over windows of a token stream or a text file", runPerplexity},
        {"random-model", "write a checkpoint with random weights (trying tools without a download)", runRandomModel},
    };
    return list;
}

void printUsage(FILE* to) {
    std::fprintf(to, "usage: ssmlens-cli COMMAND [options]   (ssmlens-cli COMMAND --help for its options)\n\n");
    for (const auto& c : commands()) std::fprintf(to, "  %-15s %s\n", c.name, c.summary);
}

}  // namespace

int main(int argc, char** argv) {
    ssmlens::ensurePassiveThreadWaiting(argv);
    ssmlens::keepTensorMemoryInHeap();
    ssmlens::installCrashReport("ssmlens-cli");
    // SSMLENS_CPU_CONV=aten, SSMLENS_FUSED_CUDA=0, ...: the other code paths, for benchmarks (KernelPaths.h).
    ssmlens::setDefaultKernelPaths(ssmlens::kernelPathsFromEnvironment());
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
        printUsage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const std::string name = argv[1];
    ssmlens::cli::Args args(argv + 2, argv + argc);
    for (const auto& c : commands()) {
        if (name != c.name) continue;
        try {
            return c.run(args);
        } catch (const ssmlens::Error& e) {
            std::fprintf(stderr, "ssmlens-cli %s: error: %s\n", c.name, e.what());
        } catch (const std::exception& e) {
            // libtorch errors carry a C++ backtrace after the first line; the first line is the message.
            std::string what = e.what();
            std::fprintf(stderr, "ssmlens-cli %s: error: %s\n", c.name, what.substr(0, what.find('\n')).c_str());
        }
        return ssmlens::cli::kReportedErrorExitCode;
    }
    std::fprintf(stderr, "ssmlens-cli: unknown command \"%s\"\n\n", name.c_str());
    printUsage(stderr);
    return 2;
}
