#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "app/cli/Commands.h"
#include "app/cli/CliArgs.h"
#include "core/Error.h"
#include "core/runtime/MemoryBudget.h"
#include "core/model/Checkpoint.h"

namespace ssmlens::cli {

int runRandomModel(const Args& raw) {
    const std::vector<OptionSpec> specs = {
        {"size", "S", "a published shape (130m ... 2.7b) or \"tiny\" (d_model 64, 8 layers; default)"},
        {"config", "FILE", "a config.json of either layout to take the shape from instead"},
        {"seed", "N", "random seed (default 0)"},
        {"layout", "L", "hf (config.json + model.safetensors, default) or state-spaces (pytorch_model.bin)"},
        {"out", "DIR", "folder to write"}};
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli random-model [--size S | --config FILE] [--layout L] --out DIR",
                                   "Writes a checkpoint with random weights of a given shape: for trying the tools "
                                   "and loaders without a download. Its outputs are meaningless text.",
                                   specs)
                              .c_str());
        return 0;
    }
    Mamba2Config c;
    if (args.has("config")) {
        c = loadMamba2Config(args.get("config"));
    } else if (args.get("size", "tiny") == "tiny") {
        c.dModel = 64;
        c.nLayer = 8;
        c.dState = 16;
        c.headdim = 16;
        c.chunkSize = 16;
        c.vocabSize = 50288;
    } else {
        c = namedMamba2Config(args.get("size"));
    }
    const std::string layout = args.get("layout", "hf");
    if (layout != "hf" && layout != "state-spaces") throw Error("--layout must be hf or state-spaces");
    const std::string out = args.required("out");
    requireParametersFit(c, layout == "hf" ? 1 : 2, at::kCPU, args.has("config") ? args.get("config") : "--size");
    saveCheckpoint(out, c, randomMamba2Weights(c, static_cast<uint64_t>(args.getInt("seed", 0))),
                   layout == "hf" ? SaveFormat::HuggingFaceSafetensors : SaveFormat::StateSpacesBin);
    std::fprintf(stderr, "wrote %s (%s)\n", out.c_str(), c.summary().c_str());
    return 0;
}

}  // namespace ssmlens::cli
