#include <cstdio>
#include <filesystem>

#include "app/cli/CliArgs.h"
#include "app/cli/Commands.h"
#include "core/Error.h"
#include "core/io/AtomicFile.h"
#include "core/io/InputFile.h"
#include "core/text/SentencePieceTokenizer.h"

namespace ssmlens::cli {

int runTrainTokenizer(const Args& raw) {
    const std::vector<OptionSpec> specs = {
        {"input", "FILES", "comma-separated plain-text files, one sentence or paragraph per line"},
        {"vocab-size", "N", "vocabulary size (default 8000)"},
        {"model-type", "T", "unigram (default) or bpe"},
        {"out", "FILE", "where to write the tokenizer (a sentencepiece .model, e.g. DIR/tokenizer.model)"}};
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli train-tokenizer --input FILES --vocab-size N --out DIR/tokenizer.model",
                                   "Trains a sentencepiece tokenizer with byte fallback (no unknown tokens). The vocabulary size is an upper bound: a small corpus may give fewer pieces.", specs)
                              .c_str());
        return 0;
    }
    std::string out = args.required("out");
    if (out.size() < 6 || out.substr(out.size() - 6) != ".model")
        throw Error("--out must end in .model (sentencepiece writes PREFIX.model and PREFIX.vocab)");
    const std::string input = args.required("input");
    for (const auto& f : splitList(input)) requireRegularFile(f, "a text file to train on");  // a FIFO would block
    const std::string prefix = out.substr(0, out.size() - 6);
    // sentencepiece writes PREFIX.model and PREFIX.vocab itself: it writes them under a temporary prefix next to
    // the outputs, which are then replaced whole (AtomicFile), so an interrupted run leaves the old tokenizer.
    AtomicFile model(out), vocab(prefix + ".vocab");
    const std::string scratch = model.tempPath();
    try {
        SentencePieceTokenizer::train("--input=" + input + " --model_prefix=" + scratch +
                                      " --vocab_size=" + std::to_string(args.getInt("vocab-size", 8000)) +
                                      " --model_type=" + args.get("model-type", "unigram") +
                                      " --byte_fallback=true --character_coverage=1.0 --split_digits=true --hard_vocab_limit=false" +
                                      " --eos_id=0 --unk_id=1 --bos_id=-1 --pad_id=-1 --minloglevel=2");
        std::filesystem::rename(scratch + ".model", model.tempPath());
        std::filesystem::rename(scratch + ".vocab", vocab.tempPath());
    } catch (...) {
        std::error_code ec;
        std::filesystem::remove(scratch + ".model", ec);
        std::filesystem::remove(scratch + ".vocab", ec);
        throw;
    }
    model.commit();
    vocab.commit();
    std::fprintf(stderr, "wrote %s\n", out.c_str());
    return 0;
}

}  // namespace ssmlens::cli
