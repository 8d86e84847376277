// ssmlens-cli attention: the implicit attention matrix of one layer (docs/implicit-attention.md), dense or under a
// reduction schedule in prompt coordinates, its aggregates over heads, the attention each token receives and the
// rollout attribution of the next-token prediction. The window's Attention view shows the same numbers.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "app/cli/Commands.h"
#include "app/cli/ModelArgs.h"
#include "app/cli/ScheduleArgs.h"
#include "core/Error.h"
#include "core/attention/AttentionRollout.h"
#include "core/attention/PassKernels.h"
#include "core/attention/AttentionSummaries.h"
#include "core/io/NpyFile.h"
#include "core/reduction/ReductionRun.h"

namespace ssmlens::cli {
namespace {

std::string shapeText(const at::Tensor& t) {
    std::string s = "[";
    for (int64_t i = 0; i < t.dim(); ++i) s += (i ? ", " : "") + std::to_string(t.size(i));
    return s + "]";
}

bool scheduleGiven(const CliArgs& args) {
    for (const auto& spec : scheduleOptionSpecs())
        if (args.has(spec.name)) return true;
    return false;
}

// The prompt's token at a position, for printing.
std::string pieceAt(const Prompt& prompt, int64_t p) {
    std::string piece = p < static_cast<int64_t>(prompt.pieces.size())
                            ? prompt.pieces[p]
                            : (prompt.tokenizer ? prompt.tokenizer->decode({prompt.ids[p]}) : std::to_string(prompt.ids[p]));
    return nlohmann::json(piece).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

int runAttention(const Args& raw) {
    auto specs = modelOptionSpecs();
    for (const auto& s : promptOptionSpecs()) specs.push_back(s);
    for (const auto& s : scheduleOptionSpecs()) specs.push_back(s);
    for (OptionSpec s : std::vector<OptionSpec>{
             {"layer", "L", "the layer whose matrix --out gets (0-based)"},
             {"out", "FILE.npy", "float32 [heads, T, T] (with --head or --aggregate: [T, T]) in prompt coordinates"},
             {"head", "H", "one head's matrix"},
             {"aggregate", "A", "combine the heads: mean (mean of M) or max (largest |M| over heads)"},
             {"normalize-rows", "", "each head's rows as fractions of what the token reads: |M| / row sum of |M|"},
             {"dense-out", "FILE.npy", "with a schedule: the dense pass's matrix too, for a cell-by-cell comparison"},
             {"received", "FILE.npy", "float32 [layers, T]: attention each token receives per layer (column sums "
                                      "of the row-normalised mean over heads; NaN where the token is gone)"},
             {"rollout", "FILE.npy", "float32 [layers, T]: rollout attribution of the last position's prediction to "
                                     "the prompt tokens, through layers 0..l (last row: the whole model)"}})
        specs.push_back(s);
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s",
                    helpText("ssmlens-cli attention [--model DIR] (--ids IDS | --text T) --layer L --out M.npy "
                             "[--head H | --aggregate mean|max] [--normalize-rows] [--schedule S.json | --preset P "
                             "...] [--dense-out D.npy] [--received R.npy] [--rollout A.npy] [--dtype T] [--device D]",
                             "Writes the implicit attention matrix of a layer: y_t = sum_s M[h,t,s] x_s + D x_t "
                             "(docs/implicit-attention.md). With a schedule, the reduced pass's matrix in the "
                             "coordinates of the original prompt: rows and columns of tokens removed before the "
                             "layer are NaN.",
                             specs)
                        .c_str());
        return 0;
    }
    if (!args.has("out") && !args.has("received") && !args.has("rollout"))
        throw Error("nothing to write: give --out (with --layer), --received or --rollout");
    if (args.has("dense-out") && !scheduleGiven(args))
        throw Error("--dense-out compares with a reduced pass: give a schedule (--schedule or --preset ...)");
    AttentionSelection selection;
    if (args.has("head")) selection.head = args.getInt("head", 0);  // 0 or more (CliArgs rules)
    if (args.has("aggregate")) {
        if (args.has("head")) throw Error("give --head or --aggregate, not both");
        const std::string a = args.get("aggregate");
        if (a == "mean") selection.aggregate = HeadAggregate::Mean;
        else if (a == "max") selection.aggregate = HeadAggregate::MaxAbs;
        else throw Error("unknown --aggregate \"" + a + "\" (mean or max)");
    }
    selection.normalizeRows = args.has("normalize-rows");

    Prompt prompt = promptFrom(args);
    Mamba2Model model = loadModelFrom(args);
    const int64_t layers = model.config().nLayer, T = static_cast<int64_t>(prompt.ids.size());
    int64_t layer = -1;
    if (args.has("out")) {
        layer = args.getInt("layer", -1);
        if (!args.has("layer")) throw Error("--out needs --layer L");
        if (layer < 0 || layer >= layers)
            throw Error("--layer " + args.get("layer") + ": the model has " + std::to_string(layers) + " layers (0.." +
                        std::to_string(layers - 1) + ")");
    }

    // The passes, with their kernels recorded.
    PassKernels dense, reduced;
    TokenTrace trace;
    const bool withSchedule = scheduleGiven(args);
    if (withSchedule) {
        ReductionSchedule schedule = scheduleFrom(args, layers);
        ActivationRecorder denseRec(ssmKernelHookPoints(layers), {false, true});
        ActivationRecorder reducedRec(ssmKernelHookPoints(layers), {false, true});
        ReductionRunOptions options;
        options.allReducedLogits = false;
        options.denseProbe = &denseRec;
        options.reducedProbe = &reducedRec;
        ReductionRunResult run = runReduction(model, prompt.ids, schedule, prompt.tokenizer.get(), options);
        trace = run.trace;
        dense = passKernelsFrom(denseRec, layers, T);
        reduced = passKernelsFrom(reducedRec, layers, T, &trace);
    } else {
        dense = recordDensePass(model, prompt.ids);
    }
    const PassKernels& pass = withSchedule ? reduced : dense;
    const char* passName = withSchedule ? "reduced" : "dense";

    if (args.has("out")) {
        at::Tensor m = pass.promptAttention(layer, selection).to(at::kCPU);
        writeNpy(args.get("out"), m);
        const int64_t present = static_cast<int64_t>(pass.positions[layer].size());
        std::printf("layer %lld, %s pass: %lld of %lld tokens present; wrote %s: %s float32%s\n",
                    static_cast<long long>(layer), passName, static_cast<long long>(present), static_cast<long long>(T),
                    args.get("out").c_str(), shapeText(m).c_str(),
                    present < T ? " (NaN in the rows and columns of the tokens removed before this layer)" : "");
        if (args.has("dense-out")) {
            at::Tensor d = dense.promptAttention(layer, selection).to(at::kCPU);
            writeNpy(args.get("dense-out"), d);
            std::printf("dense pass: wrote %s: %s float32\n", args.get("dense-out").c_str(), shapeText(d).c_str());
        }
    }
    if (!args.has("received") && !args.has("rollout")) return 0;

    const std::vector<at::Tensor> normalized = normalizedMeanAttention(pass);
    if (args.has("received")) {
        std::vector<at::Tensor> rows;
        for (const auto& n : normalized) rows.push_back(attentionReceived(n).to(at::kCPU));
        writeNpy(args.get("received"), at::stack(rows));
        std::printf("wrote %s: [%lld, %lld] float32 (attention received per layer, %s pass)\n",
                    args.get("received").c_str(), static_cast<long long>(layers), static_cast<long long>(T), passName);
    }
    if (args.has("rollout")) {
        AttentionRolloutResult r = attentionRollout(normalized, withSchedule ? &trace : nullptr, /*perLayer=*/true);
        writeNpy(args.get("rollout"), r.perLayer);
        std::printf("wrote %s: [%lld, %lld] float32 (rollout attribution after each layer, %s pass)\n",
                    args.get("rollout").c_str(), static_cast<long long>(layers), static_cast<long long>(T), passName);
        // The tokens the prediction draws on most.
        at::Tensor a = r.attribution.contiguous();
        std::vector<int64_t> order(T);
        for (int64_t p = 0; p < T; ++p) order[p] = p;
        const float* v = a.data_ptr<float>();
        std::stable_sort(order.begin(), order.end(), [&](int64_t x, int64_t y) { return v[x] > v[y]; });
        std::printf("next-token attribution (rollout, %s pass), largest shares:\n", passName);
        for (int64_t i = 0; i < std::min<int64_t>(T, 8); ++i)
            std::printf("  position %5lld  %-24s %.4f\n", static_cast<long long>(order[i]),
                        pieceAt(prompt, order[i]).c_str(), v[order[i]]);
    }
    return 0;
}

}  // namespace ssmlens::cli
