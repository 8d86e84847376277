#include <cstdio>
#include <fstream>
#include <vector>

#include <ATen/ATen.h>

#include "app/cli/CliArgs.h"
#include "app/cli/Commands.h"
#include "core/Error.h"
#include "core/io/InputFile.h"
#include "core/io/NpyFile.h"
#include "core/text/Tokenizer.h"

namespace ssmlens::cli {

int runEncodeCorpus(const Args& raw) {
    const std::vector<OptionSpec> specs = {
        {"tokenizer", "FILE", "tokenizer.model (sentencepiece) or tokenizer.json"},
        {"input", "FILES", "comma-separated UTF-8 text files, one document or paragraph per line"},
        {"out", "FILE", "the .npy to write: one 1-D array of ids (int16 when the vocabulary fits, else int32)"}};
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli encode-corpus --tokenizer FILE --input FILES --out FILE.npy",
                                   "Tokenizes a corpus for `train`: every non-empty line becomes its ids followed by "
                                   "the end-of-text id, all lines concatenated in order.",
                                   specs)
                              .c_str());
        return 0;
    }
    auto tokenizer = loadTokenizer(args.required("tokenizer"));
    if (tokenizer->eosId() < 0) throw Error(args.get("tokenizer") + ": the tokenizer has no end-of-text token");
    const bool narrow = tokenizer->vocabSize() <= 32767;
    std::vector<int32_t> ids;
    int64_t lines = 0, bytes = 0;
    for (const auto& path : splitList(args.required("input"))) {
        requireRegularFile(path, "a UTF-8 text file");  // a FIFO would block the open below
        std::ifstream in(path, std::ios::binary);
        if (!in) throw Error(path + ": cannot open");
        for (std::string line; std::getline(in, line);) {
            if (line.empty()) continue;
            for (int64_t id : tokenizer->encode(line).ids) ids.push_back(static_cast<int32_t>(id));
            ids.push_back(static_cast<int32_t>(tokenizer->eosId()));
            bytes += static_cast<int64_t>(line.size()) + 1;
            if (++lines % 50000 == 0)
                std::fprintf(stderr, "  %lld lines, %.1f MB, %zu tokens\n", static_cast<long long>(lines), bytes / 1e6,
                             ids.size());
        }
    }
    if (ids.size() < 2) throw Error("the input holds no text");
    at::Tensor t = at::from_blob(ids.data(), {static_cast<int64_t>(ids.size())}, at::kInt).clone();
    writeNpy(args.required("out"), narrow ? t.to(at::kShort) : t);
    std::printf("lines\t%lld\nbytes\t%lld\ntokens\t%zu\nbytes_per_token\t%.3f\n", static_cast<long long>(lines),
                static_cast<long long>(bytes), ids.size(), static_cast<double>(bytes) / static_cast<double>(ids.size()));
    return 0;
}

}  // namespace ssmlens::cli
