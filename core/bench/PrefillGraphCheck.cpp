#include "core/bench/PrefillGraphCheck.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <sstream>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "core/Error.h"
#include "core/bench/DeviceTimer.h"
#include "core/model/Mamba2Weights.h"
#include "core/model/PrefillGraph.h"
#include "core/reduction/ReductionSchedule.h"
#include "core/reduction/TokenReductionHook.h"

namespace ssmlens {
namespace {

// A published layer shape with fewer layers: the kernels see the real widths, the check stays short.
Mamba2Config publishedShape(const std::string& size, int64_t layers) {
    Mamba2Config c = namedMamba2Config(size);
    c.nLayer = layers;
    return c;
}

ReductionSchedule scheduleFor(const PrefillGraphCheckCase& c) {
    ReductionSchedule s = depthScaledSchedule(c.config.nLayer, c.keepRatio, c.method);
    if (!c.reduced) s.anchors.clear();
    return s;
}

}  // namespace

std::vector<PrefillGraphCheckCase> defaultPrefillGraphCheckCases() {
    std::vector<PrefillGraphCheckCase> cases;
    const Mamba2Config small = publishedShape("130m", 8);
    PrefillGraphCheckCase c;
    c.config = small;
    c.name = "130m layers (8) bf16, utr, L 512";
    cases.push_back(c);
    c.name = "130m layers (8) bf16, utr, 4 sequences, L 300";
    c.batch = 4;
    c.length = 300;
    cases.push_back(c);
    c.name = "130m layers (8) bf16, dense, 2 sequences, every position";
    c.batch = 2;
    c.length = 256;
    c.reduced = false;
    c.logitsAt = LogitsAt::AllPositions;
    cases.push_back(c);
    c = PrefillGraphCheckCase{};
    c.config = small;
    c.name = "130m layers (8) fp32, utr-token, 2 sequences";
    c.dtype = at::kFloat;
    c.method = ReductionMethod::UtrToken;
    c.batch = 2;
    c.length = 384;
    cases.push_back(c);
    c.name = "130m layers (8) bf16, evit, 3 sequences";
    c.dtype = at::kBFloat16;
    c.method = ReductionMethod::Evit;
    c.batch = 3;
    cases.push_back(c);
    c = PrefillGraphCheckCase{};
    c.config = small;
    c.name = "130m layers (8) bf16, utr, the ATen step, 2 sequences";
    c.batch = 2;
    c.paths.reductionKernels = false;
    cases.push_back(c);
    c = PrefillGraphCheckCase{};
    c.config = publishedShape("2.7b", 4);
    c.name = "2.7b layers (4) bf16, utr, 2 sequences, L 2048, products on cuBLAS";
    c.batch = 2;
    c.length = 2048;
    c.paths.bestMatchProducts = BestMatchProducts::Cublas;
    cases.push_back(c);
    c.name = "2.7b layers (4) bf16, utr, L 1024, products on the own kernel";
    c.batch = 1;
    c.length = 1024;
    c.paths.bestMatchProducts = BestMatchProducts::Kernels;
    cases.push_back(c);
    c = PrefillGraphCheckCase{};
    c.config = small;
    c.name = "130m layers (8) bf16, tome (refused)";
    c.method = ReductionMethod::Tome;
    c.refused = true;
    cases.push_back(c);
    return cases;
}

std::vector<PrefillGraphCheckResult> runPrefillGraphCheck(const PrefillGraphCheckSettings& s,
                                                          const std::vector<PrefillGraphCheckCase>& cases) {
    auto say = [&](const std::string& line) {
        if (s.progress) s.progress(line);
    };
    std::vector<PrefillGraphCheckResult> results;
    uint64_t seed = 23;
    for (const PrefillGraphCheckCase& c : cases) {
        say("check-prefill-graph: " + c.name);
        const ScopedKernelPaths paths(c.paths);
        Mamba2Model model(c.config, randomMamba2Weights(c.config, seed++, c.dtype, s.device));
        if (!prefillGraphAvailable(model))
            throw Error("prefill graphs are not available on " + deviceDescription(s.device) +
                        " (they need a CUDA build and a GPU)");
        const ReductionSchedule schedule = scheduleFor(c);
        PrefillGraphCheckResult res;
        res.name = c.name;
        res.tokensIn = c.length;
        std::unique_ptr<PrefillGraph> graph;
        try {
            graph = std::make_unique<PrefillGraph>(model, c.batch, c.length, schedule, c.logitsAt);
        } catch (const Error& e) {
            res.refused = true;
            res.note = e.what();
        }
        if (c.refused || res.refused) {
            res.passed = c.refused && res.refused;
            if (!res.refused) res.note = "the graph took a method it must refuse";
            say(std::string("  ") + (res.passed ? "refused, pass: " : "FAIL: ") + res.note);
            results.push_back(res);
            continue;
        }
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed * 7919);
        res.sameLengths = res.bitIdentical = true;
        for (int round = 0; round < 2; ++round) {
            const at::Tensor ids =
                at::randint(c.config.vocabSize, {c.batch, c.length}, gen, at::TensorOptions(at::kLong));
            ForwardOptions options;
            options.logitsAt = c.logitsAt;
            TokenReductionHook hook(schedule);
            if (!schedule.anchors.empty()) options.hook = &hook;
            const ForwardResult eager = model.forward(ids, options);
            const ForwardResult& replayed = graph->run(ids);
            res.sameLengths = res.sameLengths && eager.lengths.equal(replayed.lengths);
            res.tokensOut = replayed.lengths[0].item<int64_t>();
            if (eager.logits.sizes() != replayed.logits.sizes()) {
                res.bitIdentical = false;
                res.note = "the logits have another shape";
                continue;
            }
            const at::Tensor a = eager.logits.to(at::kDouble), b = replayed.logits.to(at::kDouble);
            res.maxDifference = std::max(res.maxDifference, (a - b).abs().max().item<double>());
            res.bitIdentical = res.bitIdentical && at::equal(eager.logits, replayed.logits);
        }
        res.passed = res.sameLengths && res.bitIdentical;
        if (!res.passed && res.note.empty())
            res.note = !res.sameLengths ? "the lengths after the last anchor differ" : "the logits differ";
        say("  max difference " + std::to_string(res.maxDifference) + (res.passed ? ", pass" : ", FAIL: " + res.note));
        results.push_back(res);
    }
    return results;
}

std::string prefillGraphCheckTable(const std::vector<PrefillGraphCheckResult>& results,
                                   const PrefillGraphCheckSettings& s) {
    std::ostringstream o;
    o << "prefill as a CUDA graph against the eager pass on " << deviceDescription(s.device)
      << ": random models, one graph per case, two rounds of new ids. `logits`: max |graph - eager|, which must be 0 "
         "(the same kernels with the same arguments); `tokens`: per sequence, in and after the last anchor\n\n"
         "| case | tokens | lengths equal | logits | bit-identical | result |\n|---|---|---|---|---|---|\n";
    int passed = 0;
    for (const PrefillGraphCheckResult& r : results) {
        passed += r.passed;
        char diff[32];
        std::snprintf(diff, sizeof diff, "%.2e", r.maxDifference);
        o << "| " << r.name << " | ";
        if (r.refused) o << "- | - | - | - | ";
        else
            o << r.tokensIn << " -> " << r.tokensOut << " | " << (r.sameLengths ? "yes" : "no") << " | " << diff
              << " | " << (r.bitIdentical ? "yes" : "no") << " | ";
        o << (r.passed ? (r.refused ? "pass (refused: " + r.note + ")" : std::string("pass")) : "FAIL: " + r.note)
          << " |\n";
    }
    o << "\n" << passed << " of " << results.size() << " pass\n";
    return o.str();
}

}  // namespace ssmlens
