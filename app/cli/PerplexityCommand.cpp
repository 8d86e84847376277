#include <cmath>
#include <cstdio>
#include <fstream>

#include <ATen/ATen.h>

#include "app/cli/CliArgs.h"
#include "app/cli/Commands.h"
#include "app/cli/ModelArgs.h"
#include "core/Error.h"
#include "core/io/InputFile.h"
#include "core/train/TokenStream.h"
#include "core/train/Trainer.h"

namespace ssmlens::cli {
namespace {

// A text file becomes one stream: each non-empty line's ids, then the end-of-text id (as encode-corpus does).
TokenStream streamFromText(const std::string& path, const Tokenizer& tokenizer) {
    requireRegularFile(path, "a UTF-8 text file or an .npy of token ids");  // a FIFO would block the open
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open");
    std::vector<int64_t> ids;
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        for (int64_t id : tokenizer.encode(line).ids) ids.push_back(id);
        if (tokenizer.eosId() >= 0) ids.push_back(tokenizer.eosId());
    }
    if (ids.size() < 2) throw Error(path + ": holds no text");
    return TokenStream(at::tensor(ids, at::kLong));
}

}  // namespace

int runPerplexity(const Args& raw) {
    std::vector<OptionSpec> specs = modelOptionSpecs();
    specs.push_back({"data", "FILE", "an .npy of token ids (from encode-corpus) or a UTF-8 text file (one paragraph per line)"});
    specs.push_back({"tokenizer", "FILE", "tokenizer for a text file (default: the model folder's)"});
    specs.push_back({"seq-len", "N", "window length in tokens (default 512)"});
    specs.push_back({"windows", "N", "number of consecutive windows to score (default: all)"});
    specs.push_back({"batch", "N", "windows per forward pass (default 8)"});
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli perplexity [--model DIR] --data FILE [--seq-len N] [--windows N]",
                                   "Perplexity over consecutive non-overlapping windows of a token stream: every "
                                   "token after the first of each window is predicted. The figure the trainer "
                                   "reports as held-out perplexity.",
                                   specs)
                              .c_str());
        return 0;
    }
    const std::string data = args.required("data");
    Mamba2Model model = loadModelFrom(args);
    const bool npy = data.size() > 4 && data.substr(data.size() - 4) == ".npy";
    TokenStream stream = npy ? TokenStream::load(data) : streamFromText(data, *tokenizerFrom(args));
    const int64_t seqLen = args.getInt("seq-len", 512);
    const int64_t windows = args.getInt("windows", stream.windowCount(seqLen));
    const double loss = meanWindowLoss(model, stream, seqLen, windows, args.getInt("batch", 8));
    const int64_t used = std::min(windows, stream.windowCount(seqLen));
    std::printf("windows\t%lld\ntokens_predicted\t%lld\nmean_loss_nats\t%.6f\nperplexity\t%.4f\n",
                static_cast<long long>(used), static_cast<long long>(used * seqLen), loss, std::exp(loss));
    return 0;
}

}  // namespace ssmlens::cli
