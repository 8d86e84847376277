#include <cstdio>

#include <ATen/ATen.h>

#include "app/cli/Commands.h"
#include "app/cli/ModelArgs.h"
#include "core/io/NpyFile.h"

namespace ssmlens::cli {

int runLogits(const Args& raw) {
    auto specs = modelOptionSpecs();
    specs.push_back({"ids", "IDS", "comma-separated token ids, or an .npy file of int64"});
    specs.push_back({"text", "T", "text to tokenize with the model's tokenizer (instead of --ids)"});
    specs.push_back({"out", "FILE.npy", "where to write float32 logits [L, V] (V = rows of the output head)"});
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli logits --model DIR (--ids IDS | --text T) --out FILE.npy [--dtype T] "
                                   "[--device D]",
                                   "Runs one prefill and writes the logits of every position.", specs)
                              .c_str());
        return 0;
    }
    const std::string out = args.required("out");
    std::vector<int64_t> ids;
    if (args.has("ids")) ids = parseIds(args.get("ids"));
    else ids = tokenizerFrom(args)->encode(args.required("text")).ids;
    Mamba2Model model = loadModelFrom(args);
    at::Tensor logits = model.forward(at::tensor(ids, at::kLong).view({1, -1})).logits[0];
    writeNpy(out, logits);
    std::fprintf(stderr, "wrote %s: [%lld, %lld] float32\n", out.c_str(), static_cast<long long>(logits.size(0)),
                 static_cast<long long>(logits.size(1)));
    return 0;
}

}  // namespace ssmlens::cli
