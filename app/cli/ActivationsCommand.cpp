// ssmlens-cli activations: any intermediate of the forward pass by its hook-point name (core/model/HookPoint.h,
// TransformerLens' naming), dense or under a reduction schedule, one .npy per hook point.
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>

#include <ATen/ATen.h>

#include "app/cli/Commands.h"
#include "app/cli/ModelArgs.h"
#include "app/cli/ScheduleArgs.h"
#include "core/Error.h"
#include "core/attention/PassKernels.h"
#include "core/io/NpyFile.h"
#include "core/reduction/ReductionRun.h"

namespace ssmlens::cli {

int runActivations(const Args& raw) {
    auto specs = modelOptionSpecs();
    for (const auto& s : promptOptionSpecs()) specs.push_back(s);
    for (const auto& s : scheduleOptionSpecs()) specs.push_back(s);
    for (OptionSpec s : std::vector<OptionSpec>{
             {"hooks", "NAMES", "comma-separated hook points, e.g. blocks.3.hook_B,blocks.3.hook_pattern"},
             {"out-dir", "DIR", "one float32 NAME.npy per hook point (created if missing)"},
             {"list", "", "print every hook point of the model with its shape and meaning"}})
        specs.push_back(s);
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli activations [--model DIR] (--ids IDS | --text T) --hooks NAMES "
                                   "--out-dir DIR [--schedule S.json | --preset P ...] | --list",
                                   "Writes intermediates of the forward pass by their hook-point names "
                                   "(blocks.L.hook_NAME, as TransformerLens names them). With a schedule, those of "
                                   "the reduced pass: after an anchor the sequences are shorter, and "
                                   "blocks.L.positions.npy gives the original position of each token entering layer L.",
                                   specs)
                              .c_str());
        return 0;
    }
    if (args.has("list")) {
        const Mamba2Config c = loadMamba2Config(modelDirFrom(args) + "/config.json");
        std::printf("hook points of each layer L = 0..%lld (B = 1 sequence, L tokens entering the layer; D %lld, Di "
                    "%lld, H %lld, P %lld, G %lld, N %lld):\n",
                    static_cast<long long>(c.nLayer - 1), static_cast<long long>(c.dModel),
                    static_cast<long long>(c.dInner()), static_cast<long long>(c.nHeads()),
                    static_cast<long long>(c.headdim), static_cast<long long>(c.ngroups),
                    static_cast<long long>(c.dState));
        for (HookPoint p : allHookPoints())
            std::printf("  blocks.L.%-22s %s\n", hookPointSuffix(p), hookPointDescription(p));
        return 0;
    }
    const std::string outDir = args.required("out-dir");
    Prompt prompt = promptFrom(args);
    Mamba2Model model = loadModelFrom(args);
    const int64_t layers = model.config().nLayer, T = static_cast<int64_t>(prompt.ids.size());

    std::vector<NamedHookPoint> wanted;
    std::set<std::pair<int64_t, HookPoint>> recorded;
    for (const auto& name : splitList(args.required("hooks"))) {
        NamedHookPoint h = parseHookPointName(name, layers);
        wanted.push_back(h);
        if (h.point != HookPoint::Pattern) recorded.insert({h.layer, h.point});
    }
    if (wanted.empty()) throw Error("--hooks is empty");

    // Every kernel hook point of every layer when a pattern is asked for: PassKernels wants all layers.
    bool pattern = false;
    for (const auto& h : wanted) pattern = pattern || h.point == HookPoint::Pattern;
    if (pattern)
        for (const auto& k : ssmKernelHookPoints(layers)) recorded.insert(k);
    ActivationRecorder recorder(recorded, {/*toCpu=*/false, /*asFloat32=*/true});
    TokenTrace trace;
    bool reduced = false;
    for (const auto& spec : scheduleOptionSpecs()) reduced = reduced || args.has(spec.name);
    if (reduced) {
        ReductionRunOptions options;
        options.allReducedLogits = false;
        options.reducedProbe = &recorder;
        trace = runReduction(model, prompt.ids, scheduleFrom(args, layers), prompt.tokenizer.get(), options).trace;
    } else {
        ForwardOptions options;
        options.probe = &recorder;
        options.logitsAt = LogitsAt::None;
        model.forward(at::tensor(prompt.ids, at::kLong).view({1, -1}), options);
    }

    std::filesystem::create_directories(outDir);
    std::optional<PassKernels> kernels;
    if (pattern) kernels = passKernelsFrom(recorder, layers, T, reduced ? &trace : nullptr);
    std::set<int64_t> positionsWritten;
    for (const auto& h : wanted) {
        const std::string name = hookPointName(h.layer, h.point);
        // The reduced pass's own coordinates for the forward intermediates; the pattern in its own too (the
        // `attention` command gives it in prompt coordinates).
        at::Tensor value = h.point == HookPoint::Pattern ? implicitAttention(kernels->layers[h.layer])
                                                         : recorder.get(h.layer, h.point);
        const std::string path = outDir + "/" + name + ".npy";
        writeNpy(path, value.to(at::kCPU));
        std::string shape;
        for (int64_t i = 0; i < value.dim(); ++i) shape += (i ? ", " : "") + std::to_string(value.size(i));
        std::printf("%-32s [%s] float32 -> %s\n", name.c_str(), shape.c_str(), path.c_str());
        if (reduced && positionsWritten.insert(h.layer).second) {
            const std::vector<int64_t> pos = positionsPresent(trace.layers[h.layer]);
            writeNpy(outDir + "/blocks." + std::to_string(h.layer) + ".positions.npy", at::tensor(pos, at::kLong));
        }
    }
    return 0;
}

}  // namespace ssmlens::cli
