#include <cstdio>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "app/cli/Commands.h"
#include "app/cli/ModelArgs.h"
#include "core/bench/ModelBenchmark.h"

namespace ssmlens::cli {

int runInfo(const Args& raw) {
    auto specs = modelOptionSpecs();
    specs.push_back({"json", "", "print JSON instead of text"});
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli info [--model DIR] [--dtype T] [--device D] [--json]",
                                   "Loads a checkpoint and prints its configuration, parameter count, dtype and device.",
                                   specs).c_str());
        return 0;
    }
    const std::string dir = modelDirFrom(args);
    Mamba2Model model = loadModelFrom(args);
    const Mamba2Config& c = model.config();
    int64_t params = model.weights().embedding.numel() + model.weights().normF.numel();
    if (!model.weights().lmHead.is_same(model.weights().embedding)) params += model.weights().lmHead.numel();
    for (const auto& L : model.weights().layers)
        for (const at::Tensor* t : {&L.norm, &L.inProj, &L.inProjBias, &L.convWeight, &L.convBias, &L.dtBias, &L.aLog,
                                    &L.d, &L.gatedNorm, &L.outProj, &L.outProjBias})
            if (t->defined()) params += t->numel();
    const char* layout = c.layout == CheckpointLayout::HuggingFace ? "huggingface" : "state-spaces";
    if (args.has("json")) {
        nlohmann::json j = {{"model", dir},         {"layout", layout},          {"d_model", c.dModel},
                            {"n_layer", c.nLayer},   {"vocab_rows", model.vocabRows()}, {"d_state", c.dState},
                            {"headdim", c.headdim},  {"nheads", c.nHeads()},     {"ngroups", c.ngroups},
                            {"expand", c.expand},    {"d_conv", c.dConv},        {"chunk_size", c.chunkSize},
                            {"tied_head", c.tieEmbeddings}, {"parameters", params},
                            {"dtype", dtypeName(model.dtype())}, {"device", model.device().str()}};
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    std::printf("model       %s (%s layout)\n", dir.c_str(), layout);
    std::printf("config      %s\n", c.summary().c_str());
    std::printf("parameters  %lld (%.1f M)\n", static_cast<long long>(params), params / 1e6);
    std::printf("dtype       %s\n", dtypeName(model.dtype()).c_str());
    std::printf("device      %s\n", model.device().str().c_str());
    return 0;
}

}  // namespace ssmlens::cli
