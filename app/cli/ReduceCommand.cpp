#include <cmath>
#include <cstdio>
#include <fstream>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "app/cli/Commands.h"
#include "app/cli/ModelArgs.h"
#include "app/cli/ScheduleArgs.h"
#include "core/Error.h"
#include "core/attention/AttentionSummaries.h"
#include "core/io/AtomicFile.h"
#include "core/io/NpyFile.h"
#include "core/reduction/FlopsModel.h"
#include "core/reduction/ReductionRun.h"

namespace ssmlens::cli {

int runReduce(const Args& raw) {
    auto specs = modelOptionSpecs();
    for (const auto& s : scheduleOptionSpecs()) specs.push_back(s);
    for (const auto& s : promptOptionSpecs()) specs.push_back(s);
    for (OptionSpec s : std::vector<OptionSpec>{
             {"trace", "FILE", "write the token trace (JSON; format in docs/trace-format.md)"},
             {"out", "FILE.npy", "write float32 logits of the surviving positions [N', V]"},
             {"top-k", "K", "next-token candidates to compare (default 10)"},
             {"attention", "", "add to the trace the attention each token receives per layer and the rollout "
                               "attribution of the prediction, dense and reduced (docs/implicit-attention.md)"}})
        specs.push_back(s);
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli reduce [--model DIR] (--text T | --ids IDS) (--schedule S.json | "
                                   "--preset P ...) [--trace T.json] [--out logits.npy]",
                                   "Runs the prompt dense and with token reduction, reports the tokens each anchor "
                                   "keeps (and whether the method chose them by position alone), the next-token "
                                   "distributions and their KL divergence.\n\n" + methodListText(),
                                   specs)
                              .c_str());
        return 0;
    }
    Prompt input = promptFrom(args);
    const std::vector<int64_t>& prompt = input.ids;
    const Tokenizer* tok = input.tokenizer.get();
    Mamba2Model model = loadModelFrom(args);
    ReductionSchedule schedule = scheduleFrom(args, model.config().nLayer);
    ReductionRunOptions options;
    options.topK = args.getInt("top-k", 10);
    const int64_t layers = model.config().nLayer;
    ActivationRecorder denseKernels(ssmKernelHookPoints(layers), {false, true});
    ActivationRecorder reducedKernels(ssmKernelHookPoints(layers), {false, true});
    if (args.has("attention")) {
        options.denseProbe = &denseKernels;
        options.reducedProbe = &reducedKernels;
    }
    // Logits of every surviving position only when --out asks for them: [N', V] fp32 is the largest
    // allocation of a long prompt, and the report needs the last position only.
    options.allReducedLogits = args.has("out");
    ReductionRunResult run = runReduction(model, prompt, schedule, tok, options);
    if (args.has("attention")) {
        const int64_t T = static_cast<int64_t>(prompt.size());
        addAttentionToTrace(run.trace, passKernelsFrom(denseKernels, layers, T),
                            passKernelsFrom(reducedKernels, layers, T, &run.trace));
    }
    const TokenTrace& trace = run.trace;
    const at::Tensor& reduced = run.reducedLogits;

    if (args.has("out")) writeNpy(args.get("out"), reduced);
    if (args.has("trace")) {
        nlohmann::json j = trace.toJson();
        j["schedule"] = schedule.toJson();
        j["prompt_ids"] = prompt;
        if (tok) {
            Encoding e = tok->encode(tok->decode(prompt));
            if (e.ids == prompt) j["prompt_pieces"] = e.pieces;
        }
        writeFileAtomically(args.get("trace"), j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    }

    const FlopsReport& flops = run.flops;
    std::printf("method %s, %zu anchors, prompt %zu tokens -> %lld after the last anchor\n",
                methodName(schedule.method).c_str(), schedule.anchors.size(), prompt.size(),
                static_cast<long long>(trace.survivorPositions.size()));
    std::printf("%6s %8s %10s %10s  %s\n", "layer", "keep q", "tokens in", "tokens out", "choices");
    for (const auto& l : trace.layers)
        if (l.anchor)
            std::printf("%6lld %8.3f %10lld %10lld  %s\n", static_cast<long long>(l.layer), l.keepRatio,
                        static_cast<long long>(l.tokensIn), static_cast<long long>(l.tokensOut),
                        l.contentIndependent ? "by position alone (content ignored)" : "by content");
    std::printf("token reduction %.1f%%, FLOPs %.3g -> %.3g (%.1f%% less)\n", flops.tokenReductionPercent,
                flops.denseTotal, flops.reducedTotal, flops.flopsReductionPercent);
    std::printf("KL(dense || reduced) at the last position: %.6f\n", trace.klDivergence);
    std::printf("%-4s %-24s %9s   %-24s %9s\n", "rank", "dense", "p", "reduced", "p");
    for (size_t i = 0; i < trace.denseTopK.size(); ++i) {
        auto show = [](const NextTokenProbability& t) {
            return nlohmann::json(t.piece).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        };
        std::printf("%-4zu %-24s %9.5f   %-24s %9.5f\n", i + 1, show(trace.denseTopK[i]).c_str(),
                    trace.denseTopK[i].probability, show(trace.reducedTopK[i]).c_str(), trace.reducedTopK[i].probability);
    }
    return 0;
}

int runSchedule(const Args& raw) {
    auto specs = scheduleOptionSpecs();
    specs.push_back({"layers", "N", "number of layers of the model (or give --model)"});
    specs.push_back({"model", "DIR", "take the number of layers from this model's config.json"});
    specs.push_back({"length", "L", "prompt length for the FLOPs figures (default 2048)"});
    specs.push_back({"out", "FILE", "write the schedule as JSON"});
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli schedule (--layers N | --model DIR) [--preset P] [--keep-ratio Q] "
                                   "[--method M] [--out S.json]",
                                   "Builds or checks a reduction schedule and prints the tokens entering each layer "
                                   "and the analytic FLOPs, dense against reduced.\n\n" + methodListText(),
                                   specs)
                              .c_str());
        return 0;
    }
    Mamba2Config c;
    if (args.has("model")) c = loadMamba2Config(args.get("model") + "/config.json");
    else c.nLayer = args.getInt("layers", 0);
    if (c.nLayer <= 0) throw Error("give --layers N or --model DIR");
    ReductionSchedule s = scheduleFrom(args, c.nLayer);
    const int64_t L = args.getInt("length", 2048);
    FlopsReport f = scheduleFlops(c, s, L);
    std::printf("%s\n", s.toJson().dump(2).c_str());
    std::printf("tokens entering each layer (L = %lld):", static_cast<long long>(L));
    for (int64_t n : f.tokensEntering) std::printf(" %lld", static_cast<long long>(n));
    std::printf("\ntoken reduction %.1f%%, FLOPs reduction %.1f%%%s\n", f.tokenReductionPercent,
                f.flopsReductionPercent, args.has("model") ? "" : " (FLOPs for the default shape; give --model)");
    if (args.has("out")) s.save(args.get("out"));
    return 0;
}

}  // namespace ssmlens::cli
