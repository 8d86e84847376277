// ssmlens-cli bench-attention: what the implicit attention of a layer costs (core/bench/AttentionBenchmark.h).
#include <cstdio>
#include <fstream>

#include <ATen/Parallel.h>

#include "app/cli/Commands.h"
#include "app/cli/ModelArgs.h"
#include "app/cli/ScheduleArgs.h"
#include "core/Error.h"
#include "core/bench/AttentionBenchmark.h"
#include "core/bench/ModelBenchmark.h"

namespace ssmlens::cli {

int runBenchAttention(const Args& raw) {
    const std::vector<OptionSpec> specs = {
        {"size", "S", "130m (default), 370m, 780m, 1.3b or 2.7b: a published Mamba-2 shape, random weights"},
        {"model", "DIR", "a checkpoint folder instead of --size (e.g. the demo model)"},
        {"lengths", "L,..", "prompt lengths (default 128,2048)"},
        {"layers", "L,..", "layers to time (default: the first, the middle and the last)"},
        {"dtype", "T", "fp32 (default), bf16 or fp16 (GPU)"},
        {"device", "D", "cpu (default), cuda or cuda:N"},
        {"threads", "N", "CPU threads"},
        {"keep-ratio", "Q", "the reduced pass's depth-scaled schedule (default " + defaultKeepRatioText() + ")"},
        {"repeats", "N", "timed runs per measurement, median reported (default 5)"},
        {"warmup", "N", "untimed runs first (default 1)"}};
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli bench-attention [--size S | --model DIR] [--lengths ..] [--layers ..] "
                                   "[--dtype T] [--device D]",
                                   "Times the implicit attention of a layer: every head's matrix, and what the "
                                   "window's Attention view computes on a layer change.",
                                   specs)
                              .c_str());
        return 0;
    }
    if (args.has("threads")) at::set_num_threads(static_cast<int>(args.getInt("threads", 1)));
    auto ints = [&](const char* name, std::vector<int64_t> fallback, bool positive) {
        if (!args.has(name)) return fallback;
        std::vector<int64_t> out;
        for (const auto& item : splitList(args.get(name))) {
            try {
                out.push_back(std::stoll(item));
            } catch (...) {
                throw Error(std::string("--") + name + ": \"" + item + "\" is not an integer");
            }
            if (out.back() < (positive ? 1 : 0)) throw Error(std::string("--") + name + ": " + item + " is out of range");
        }
        return out;
    };
    AttentionBenchSettings s;
    s.size = args.get("size", "130m");
    s.modelDir = args.get("model");
    s.lengths = ints("lengths", s.lengths, true);
    s.layers = ints("layers", {}, false);
    s.dtype = parseDtypeName(args.get("dtype", "fp32"));
    s.device = deviceFrom(args);
    s.keepRatio = args.getDouble("keep-ratio", s.keepRatio);
    s.repeats = static_cast<int>(args.getInt("repeats", 5));
    s.warmup = static_cast<int>(args.getInt("warmup", 1));
    if (s.repeats < 1 || s.warmup < 0) throw Error("--repeats must be at least 1 and --warmup at least 0");
    s.progress = [](const std::string& line) { std::fprintf(stderr, "  %s\n", line.c_str()); };
    std::printf("%s", runAttentionBenchmark(s).table().c_str());
    return 0;
}

}  // namespace ssmlens::cli
