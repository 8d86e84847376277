#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli/Commands.h"
#include "app/cli/ModelArgs.h"
#include "core/Error.h"
#include "core/io/InputFile.h"

namespace ssmlens::cli {
namespace {

double threadCpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

// Encodes `text` five times and reports the medians on stderr: the thread's CPU time (what the tokenizer costs,
// whatever else the machine runs) and the wall clock.
void reportSpeed(const Tokenizer& tok, const std::string& text) {
    std::vector<double> cpu, wall;
    size_t tokens = 0;
    for (int run = 0; run < 5; ++run) {
        const double c0 = threadCpuSeconds();
        const auto w0 = std::chrono::steady_clock::now();
        tokens = tok.encode(text).ids.size();
        wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count());
        cpu.push_back(threadCpuSeconds() - c0);
    }
    std::sort(cpu.begin(), cpu.end());
    std::sort(wall.begin(), wall.end());
    std::fprintf(stderr, "%zu bytes, %zu tokens: median of 5 runs %.3f s CPU (%.2f MB/s), %.3f s wall\n", text.size(),
                 tokens, cpu[2], double(text.size()) / 1e6 / cpu[2], wall[2]);
}

}  // namespace

int runTokenize(const Args& raw) {
    const std::vector<OptionSpec> specs = {
        {"model", "DIR", "take the tokenizer of this model folder (default: the demo model)"},
        {"tokenizer", "FILE", "tokenizer.json (byte-level BPE) or a sentencepiece .model"},
        {"text", "T", "the text to tokenize"},
        {"file", "FILE", "tokenize the text of this file (UTF-8) instead"},
        {"json", "", "print {\"ids\", \"pieces\", \"offsets\"} (offsets in code points)"},
        {"time", "", "print nothing but the tokenizer's speed on the text (median of 5 runs, on stderr)"}};
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli tokenize (--model DIR | --tokenizer FILE) (--text T | --file F) [--json]",
                                   "Splits text into tokens: ids, pieces and the character span of each token.", specs)
                              .c_str());
        return 0;
    }
    auto tok = tokenizerFrom(args);
    std::string text;
    if (args.has("file")) {
        text = readInputFile(args.get("file"), "a UTF-8 text file");  // regular files only, size bounded
    } else {
        text = args.required("text");
    }
    if (args.has("time")) {
        reportSpeed(*tok, text);
        return 0;
    }
    Encoding e = tok->encode(text);
    if (args.has("json")) {
        nlohmann::json offsets = nlohmann::json::array();
        for (const auto& o : e.offsets) offsets.push_back({o.first, o.second});
        nlohmann::json j = {{"ids", e.ids}, {"pieces", e.pieces}, {"offsets", offsets}};
        std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        return 0;
    }
    for (size_t i = 0; i < e.ids.size(); ++i)
        std::printf("%6lld  [%lld, %lld)  %s\n", static_cast<long long>(e.ids[i]),
                    static_cast<long long>(e.offsets[i].first), static_cast<long long>(e.offsets[i].second),
                    nlohmann::json(e.pieces[i]).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    std::printf("%zu tokens\n", e.ids.size());
    return 0;
}

}  // namespace ssmlens::cli
