#include <algorithm>
#include <cstdio>
#include <fstream>

#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>

#include "app/cli/Commands.h"
#include "app/cli/ModelArgs.h"
#include "app/cli/ScheduleArgs.h"
#include "core/io/AtomicFile.h"
#include "core/Error.h"
#include "core/bench/ModelBenchmark.h"
#include "core/bench/ReductionBenchmark.h"

namespace ssmlens::cli {

int runBench(const Args& raw) {
    const std::vector<OptionSpec> specs = {
        {"size", "S", "130m (default), 370m, 780m, 1.3b or 2.7b: a published Mamba-2 shape, random weights"},
        {"lengths", "L,..", "prefill lengths (default 512,2048,8192)"},
        {"batches", "B,..", "batch sizes (default 1,8)"},
        {"dtypes", "T,..", "fp32,bf16 (default); fp16 on GPU"},
        {"device", "D", "cpu (default), cuda or cuda:N"},
        {"threads", "N", "CPU threads"},
        {"decode-tokens", "N", "tokens per decode measurement (default 64)"},
        {"repeats", "N", "timed runs per measurement, median reported (default 3)"},
        {"warmup", "N", "untimed runs first (default 1)"},
        {"prefill-only", "", "time the prefill alone (no fp32-logits copy, matmul-only, decode): for profilers"},
        {"decode-only", "", "time decode alone (no prefill measurements)"},
        {"decode-paths", "P,..", "aten, fused, graph: decode paths timed side by side (default: all the device has)"},
        {"json", "FILE", "also write the results as JSON"}};
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli bench [--size S] [--lengths ..] [--batches ..] [--dtypes ..] "
                                   "[--device D] [--json FILE]",
                                   "Times prefill (logits at every position), the matrix products alone, decode, "
                                   "and peak GPU memory, on random weights.",
                                   specs)
                              .c_str());
        return 0;
    }
    if (args.has("threads")) at::set_num_threads(static_cast<int>(args.getInt("threads", 1)));
    BenchSettings s;
    s.size = args.get("size", "130m");
    auto ints = [&](const char* name, const std::vector<int64_t>& fallback) {
        const std::vector<long long> given = args.getIntList(name, {fallback.begin(), fallback.end()});
        return std::vector<int64_t>(given.begin(), given.end());
    };
    s.lengths = ints("lengths", s.lengths);
    s.batches = ints("batches", s.batches);
    if (args.has("dtypes")) {
        s.dtypes.clear();
        for (const auto& d : splitList(args.get("dtypes"))) s.dtypes.push_back(parseDtypeName(d));
    }
    s.device = deviceFrom(args);
    s.decodeTokens = args.getInt("decode-tokens", 64);
    s.repeats = static_cast<int>(args.getInt("repeats", 3));
    s.warmup = static_cast<int>(args.getInt("warmup", 1));
    s.prefillOnly = args.has("prefill-only");
    s.decodeOnly = args.has("decode-only");
    if (s.prefillOnly && s.decodeOnly) throw Error("--prefill-only and --decode-only exclude each other");
    if (args.has("decode-paths"))
        for (const auto& p : splitList(args.get("decode-paths"))) s.decodePaths.push_back(parseDecodePath(p));
    s.progress = [](const std::string& line) { std::fprintf(stderr, "  %s\n", line.c_str()); };
    BenchReport report = runModelBenchmark(s);
    std::printf("%s", report.table().c_str());
    if (args.has("json")) writeFileAtomically(args.get("json"), report.toJson().dump(2) + "\n");
    return 0;
}

int runBenchReduce(const Args& raw) {
    const std::vector<OptionSpec> specs = {
        {"size", "S", "130m (default) ... 2.7b: a published Mamba-2 shape, random weights"},
        {"lengths", "L,..", "prompt lengths (default 2048,8192)"},
        {"batch", "B", "batch size (default 1)"},
        {"dtype", "T", "bf16 (default) or fp32"},
        {"device", "D", "cpu (default), cuda or cuda:N"},
        {"threads", "N", "CPU threads"},
        {"keep-ratio", "Q", "keep ratio at the depth-scaled anchors (default " + defaultKeepRatioText() + ")"},
        {"method", "M", "reduction method (default utr)"},
        {"products", "P", "CUDA builds: where the best-match products run: by-size (default), cublas or kernels"},
        {"repeats", "N", "timed runs, median reported (default 3)"}};
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli bench-reduce [--size S] [--lengths ..] [--device D]",
                                   "Times the reduction step against a layer, and reduced against dense prefill "
                                   "(time, peak GPU memory), next to the analytic FLOPs saving.",
                                   specs)
                              .c_str());
        return 0;
    }
    if (args.has("threads")) at::set_num_threads(static_cast<int>(args.getInt("threads", 1)));
    ReductionBenchSettings s;
    s.size = args.get("size", "130m");
    if (args.has("lengths")) {
        s.lengths.clear();
        for (long long length : args.getIntList("lengths", {})) s.lengths.push_back(length);
    }
    s.batch = args.getInt("batch", 1);
    s.dtype = parseDtypeName(args.get("dtype", "bf16"));
    s.device = deviceFrom(args);
    s.keepRatio = args.getDouble("keep-ratio", kDefaultKeepRatio);
    s.method = parseMethodName(args.get("method", "utr"));
    s.products = parseBestMatchProducts(args.get("products", "by-size"));
    s.repeats = static_cast<int>(args.getInt("repeats", 3));
    s.progress = [](const std::string& line) { std::fprintf(stderr, "  %s\n", line.c_str()); };
    std::printf("%s", runReductionBenchmark(s).table().c_str());
    return 0;
}

}  // namespace ssmlens::cli

#include "core/bench/SsdKernelCheck.h"

namespace ssmlens::cli {

int runBenchSsd(const Args& raw) {
    const std::vector<OptionSpec> specs = {
        {"device", "D", "cuda (default) or cuda:N"},
        {"dtype", "T", "operand dtype of the tensor-core scan: bf16 (default) or fp16"},
        {"tolerance", "X", "largest accepted max |fused - ATen| / max |ATen| (default 1e-2 bf16, 2e-3 fp16)"},
        {"repeats", "N", "timed runs per case, median reported (default 5)"},
        {"checks-only", "", "skip the timed layer shapes"},
        {"cases", "TEXT", "only the cases whose name contains TEXT (e.g. \"130m\")"},
        skipWithoutGpuOption()};
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli bench-ssd [--device cuda] [--dtype bf16|fp16]",
                                   "Checks the tensor-core prefill scan against the ATen chunked scan on random "
                                   "inputs and times both on the layer shapes of the 130m and 2.7b models. Exits "
                                   "1 when a case differs by more than the tolerance.",
                                   specs)
                              .c_str());
        return 0;
    }
    if (skippedWithoutGpu(args, "bench-ssd", true)) return kSkippedExitCode;
    SsdCheckSettings s;
    s.device = deviceFrom(args, "cuda");
    s.operandType = parseDtypeName(args.get("dtype", "bf16"));
    s.tolerance = args.getDouble("tolerance", 0);
    s.repeats = static_cast<int>(args.getInt("repeats", 5));
    s.progress = [](const std::string& line) { std::fprintf(stderr, "  %s\n", line.c_str()); };
    std::vector<SsdCase> cases = defaultSsdCases();
    if (args.has("cases")) {
        const std::string text = args.get("cases");
        cases.erase(std::remove_if(cases.begin(), cases.end(),
                                   [&](const SsdCase& c) { return c.name.find(text) == std::string::npos; }),
                    cases.end());
        if (cases.empty()) throw Error("--cases: no case name contains \"" + text + "\"");
    }
    if (args.has("checks-only"))
        cases.erase(std::remove_if(cases.begin(), cases.end(), [](const SsdCase& c) { return c.timed; }), cases.end());
    const auto results = runSsdKernelCheck(s, cases);
    std::printf("%s", ssdCheckTable(results, s).c_str());
    for (const auto& r : results)
        if (!r.passed) return 1;
    return 0;
}

}  // namespace ssmlens::cli

#include "core/bench/ReductionKernelCheck.h"

namespace ssmlens::cli {

int runCheckReduce(const Args& raw) {
    const std::vector<OptionSpec> specs = {
        {"device", "D", "cuda (default) or cuda:N"},
        {"repeats", "N", "timed runs per timed case, median reported (default 10)"},
        {"cases", "TEXT", "only the cases whose name contains TEXT (e.g. \"timed\" or \"hub\")"},
        {"checks-only", "", "skip the timed cases"},
        skipWithoutGpuOption()};
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli check-reduce [--device cuda] [--cases TEXT]",
                                   "Runs the token-reduction step on the CUDA kernels and on ATen with the same "
                                   "inputs, for every method, option, dtype and several batch shapes and inputs, "
                                   "and compares the choices and the output streams; times one step at published "
                                   "layer shapes both ways. Exits 1 when a case fails.",
                                   specs)
                              .c_str());
        return 0;
    }
    if (skippedWithoutGpu(args, "check-reduce", true)) return kSkippedExitCode;
    ReductionCheckSettings s;
    s.device = deviceFrom(args, "cuda");
    s.repeats = static_cast<int>(args.getInt("repeats", 10));
    s.progress = [](const std::string& line) { std::fprintf(stderr, "  %s\n", line.c_str()); };
    std::vector<ReductionCheckCase> cases = defaultReductionCheckCases();
    if (args.has("cases")) {
        const std::string text = args.get("cases");
        cases.erase(std::remove_if(cases.begin(), cases.end(),
                                   [&](const ReductionCheckCase& c) { return c.name.find(text) == std::string::npos; }),
                    cases.end());
        if (cases.empty()) throw Error("--cases: no case name contains \"" + text + "\"");
    }
    if (args.has("checks-only"))
        cases.erase(std::remove_if(cases.begin(), cases.end(), [](const ReductionCheckCase& c) { return c.timed; }),
                    cases.end());
    const auto results = runReductionKernelCheck(s, cases);
    std::printf("%s", reductionCheckTable(results, s).c_str());
    for (const auto& r : results)
        if (!r.passed) return 1;
    return 0;
}

}  // namespace ssmlens::cli

#include "core/bench/DecodeCheck.h"

namespace ssmlens::cli {

int runCheckDecode(const Args& raw) {
    const std::vector<OptionSpec> specs = {
        {"device", "D", "cuda (default) or cuda:N"},
        {"paths", "P,..", "paths checked against aten: fused, graph (default both)"},
        {"cases", "TEXT", "only the cases whose name contains TEXT (e.g. \"130m\")"},
        skipWithoutGpuOption()};
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli check-decode [--device cuda] [--paths fused,graph] [--cases TEXT]",
                                   "Decodes the same tokens on the fused and graph paths and on the ATen path, on "
                                   "random models of several shapes and dtypes, and compares their logits, states "
                                   "and greedy tokens. Exits 1 when a case fails.",
                                   specs)
                              .c_str());
        return 0;
    }
    // The fused and graph paths are the CUDA kernels': without them there is nothing to check.
    if (skippedWithoutGpu(args, "check-decode", true)) return kSkippedExitCode;
    DecodeCheckSettings s;
    s.device = deviceFrom(args, "cuda");
    if (args.has("paths"))
        for (const auto& p : splitList(args.get("paths"))) s.paths.push_back(parseDecodePath(p));
    s.progress = [](const std::string& line) { std::fprintf(stderr, "  %s\n", line.c_str()); };
    std::vector<DecodeCheckCase> cases = defaultDecodeCheckCases();
    if (args.has("cases")) {
        const std::string text = args.get("cases");
        cases.erase(std::remove_if(cases.begin(), cases.end(),
                                   [&](const DecodeCheckCase& c) { return c.name.find(text) == std::string::npos; }),
                    cases.end());
        if (cases.empty()) throw Error("--cases: no case name contains \"" + text + "\"");
    }
    const auto results = runDecodeCheck(s, cases);
    std::printf("%s", decodeCheckTable(results, s).c_str());
    for (const auto& r : results)
        if (!r.passed) return 1;
    return 0;
}

}  // namespace ssmlens::cli

#include "core/bench/PrefillGraphCheck.h"

namespace ssmlens::cli {

int runCheckPrefillGraph(const Args& raw) {
    const std::vector<OptionSpec> specs = {
        {"device", "D", "cuda (default) or cuda:N"},
        {"cases", "TEXT", "only the cases whose name contains TEXT (e.g. \"2.7b\")"},
        skipWithoutGpuOption()};
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli check-prefill-graph [--device cuda] [--cases TEXT]",
                                   "Runs dense and reduced prefills as CUDA graphs and eagerly on the same ids, on "
                                   "random models, and compares the lengths and logits bit for bit. Exits 1 when a "
                                   "case fails.",
                                   specs)
                              .c_str());
        return 0;
    }
    // Prefill graphs need the CUDA kernels' build: without them there is nothing to check.
    if (skippedWithoutGpu(args, "check-prefill-graph", true)) return kSkippedExitCode;
    PrefillGraphCheckSettings s;
    s.device = deviceFrom(args, "cuda");
    s.progress = [](const std::string& line) { std::fprintf(stderr, "  %s\n", line.c_str()); };
    std::vector<PrefillGraphCheckCase> cases = defaultPrefillGraphCheckCases();
    if (args.has("cases")) {
        const std::string text = args.get("cases");
        auto other = [&](const PrefillGraphCheckCase& c) { return c.name.find(text) == std::string::npos; };
        cases.erase(std::remove_if(cases.begin(), cases.end(), other), cases.end());
        if (cases.empty()) throw Error("--cases: no case name contains \"" + text + "\"");
    }
    const auto results = runPrefillGraphCheck(s, cases);
    std::printf("%s", prefillGraphCheckTable(results, s).c_str());
    for (const auto& r : results)
        if (!r.passed) return 1;
    return 0;
}

}  // namespace ssmlens::cli
