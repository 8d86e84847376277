#include "core/bench/DecodeCheck.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <sstream>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "core/Error.h"
#include "core/bench/DeviceTimer.h"
#include "core/bench/ModelBenchmark.h"
#include "core/model/Mamba2Model.h"
#include "core/model/Mamba2Weights.h"

namespace ssmlens {
namespace {

// max |got - ref| / max |ref|
double relError(const at::Tensor& got, const at::Tensor& ref) {
    const at::Tensor r = ref.to(at::kDouble), g = got.to(r.device(), at::kDouble);
    const double scale = r.abs().max().item<double>();
    return (g - r).abs().max().item<double>() / (scale > 0 ? scale : 1.0);
}

// Every dimension distinct (as tests/ModelTestSupport.h's tiny model), so a mixed-up index cannot pass.
Mamba2Config tinyShape(int64_t groups) {
    Mamba2Config c;
    c.dModel = 24;
    c.nLayer = 3;
    c.vocabSize = 37;
    c.dState = 6;
    c.headdim = 8;
    c.expand = 2;  // Di 48, 6 heads
    c.ngroups = groups;
    c.dConv = 4;
    c.chunkSize = 4;
    c.tieEmbeddings = false;
    return c;
}

Mamba2Config publishedShape(const std::string& size, int64_t layers) {
    Mamba2Config c = namedMamba2Config(size);
    c.nLayer = layers;  // the layer shape is what the kernel sees; fewer layers keep the check short
    return c;
}

struct PathRun {
    std::unique_ptr<Decoder> decoder;
    DecodeCheckResult result;
    bool freeRunFailed = false;
};

}  // namespace

double decodeTolerance(c10::ScalarType dtype) {
    // fp32: sums of up to a few thousand terms in another order, through a few layers and steps, stay near
    // 1e-6 of the largest logit; 1e-4 leaves room and still catches any wrong index or missed term (O(1)).
    // bf16 / fp16: a last-bit difference can flip the rounding of an activation to the model dtype (2^-8 of it
    // for bf16, 2^-11 for fp16), and such flips add up over the layers and steps.
    if (dtype == at::kFloat) return 1e-4;
    return dtype == at::kHalf ? 1e-2 : 5e-2;
}

std::vector<DecodeCheckCase> defaultDecodeCheckCases() {
    std::vector<DecodeCheckCase> cases;
    cases.push_back({"tiny", tinyShape(1), at::kFloat, 1});
    cases.push_back({"tiny, 3 sequences", tinyShape(1), at::kFloat, 3});
    cases.push_back({"tiny, 2 groups", tinyShape(2), at::kFloat, 2});
    Mamba2Config options = tinyShape(3);
    // The options a checkpoint may set: D per channel, no conv bias, in_proj/out_proj biases, a shorter conv,
    // clamped time steps.
    options.dHasHdim = true;
    options.convBias = false;
    options.inProjBias = true;
    options.dConv = 3;
    options.dtLimitMin = 0.002;
    options.dtLimitMax = 0.05;
    cases.push_back({"tiny, 3 groups, D per channel, K 3, biases, dt clamp", options, at::kFloat, 2});
    cases.push_back({"tiny bf16, 3 sequences", tinyShape(1), at::kBFloat16, 3});
    cases.push_back({"tiny fp16", tinyShape(2), at::kHalf, 2});
    // Heads of 20 channels (a partial tile of the kernel's 16) and 130 states (two passes of 128 columns).
    Mamba2Config odd = tinyShape(1);
    odd.dModel = 40;
    odd.headdim = 20;
    odd.dState = 130;
    cases.push_back({"P 20, N 130", odd, at::kFloat, 2});
    cases.push_back({"P 20, N 130 bf16", odd, at::kBFloat16, 1});
    cases.push_back({"130m layers (4)", publishedShape("130m", 4), at::kFloat, 2});
    cases.push_back({"130m layers (4) bf16", publishedShape("130m", 4), at::kBFloat16, 1});
    cases.push_back({"130m layers (4) bf16, 8 sequences", publishedShape("130m", 4), at::kBFloat16, 8});
    cases.push_back({"2.7b layers (2) bf16", publishedShape("2.7b", 2), at::kBFloat16, 1});
    cases.push_back({"2.7b layers (2) bf16, 4 sequences", publishedShape("2.7b", 2), at::kBFloat16, 4});
    return cases;
}

std::vector<DecodeCheckResult> runDecodeCheck(const DecodeCheckSettings& s, const std::vector<DecodeCheckCase>& cases) {
    const std::vector<DecodePath> paths =
        s.paths.empty() ? std::vector<DecodePath>{DecodePath::Fused, DecodePath::CudaGraph} : s.paths;
    auto say = [&](const std::string& line) {
        if (s.progress) s.progress(line);
    };
    std::vector<DecodeCheckResult> results;
    uint64_t seed = 11;
    for (const DecodeCheckCase& c : cases) {
        say("check-decode: " + c.name);
        Mamba2Model model(c.config, randomMamba2Weights(c.config, seed++, c.dtype, s.device));
        for (DecodePath p : paths)
            if (!decodePathAvailable(model, p))
                throw Error(std::string("the ") + decodePathName(p) + " decode path is not available on " +
                            deviceDescription(s.device) + " (it needs a CUDA build and a GPU)");
        const double tol = decodeTolerance(c.dtype);
        Decoder aten(model, DecodePath::Aten);
        std::vector<PathRun> runs;
        for (DecodePath p : paths) {
            PathRun r;
            r.decoder = std::make_unique<Decoder>(model, p);
            r.result.name = c.name;
            r.result.path = decodePathName(p);
            r.result.tolerance = tol;
            runs.push_back(std::move(r));
        }
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed * 7919);
        for (int round = 0; round < 2; ++round) {
            // A prompt, prefilled once; every decoder starts from the same state.
            const at::Tensor prompt =
                at::randint(c.config.vocabSize, {c.batch, c.promptLength}, gen, at::TensorOptions(at::kLong));
            InferenceCache cache;
            ForwardOptions f;
            f.cache = &cache;
            f.logitsAt = LogitsAt::LastPosition;
            const at::Tensor first = model.forward(prompt, f).logits.argmax(-1).to(at::kCPU);

            // Teacher-forced: every path gets aten's greedy tokens.
            aten.start(cache);
            for (PathRun& r : runs) r.decoder->start(cache);
            at::Tensor ids = first;
            for (int64_t t = 0; t < c.steps; ++t) {
                const at::Tensor ref = aten.step(ids).clone();
                const at::Tensor refHost = ref.to(at::kCPU, at::kDouble);
                const double scale = refHost.abs().max().item<double>();
                const at::Tensor refChoice = refHost.argmax(-1);
                for (PathRun& r : runs) {
                    const at::Tensor& got = r.decoder->step(ids);
                    r.result.logitError = std::max(r.result.logitError, relError(got, ref));
                    const at::Tensor gotChoice = got.argmax(-1).to(at::kCPU);
                    for (int64_t b = 0; b < c.batch; ++b) {
                        const int64_t want = refChoice[b].item<int64_t>(), have = gotChoice[b].item<int64_t>();
                        if (want == have) {
                            ++r.result.sameChoices;
                            continue;
                        }
                        const double lead = refHost[b][want].item<double>() - refHost[b][have].item<double>();
                        if (lead <= 2 * tol * scale) ++r.result.nearTies;
                        else ++r.result.differentChoices;
                    }
                }
                ids = refChoice;
            }
            for (PathRun& r : runs) {
                for (int64_t l = 0; l < c.config.nLayer; ++l) {
                    const LayerState& want = aten.state().layers[l];
                    const LayerState& have = r.decoder->state().layers[l];
                    r.result.stateError = std::max({r.result.stateError, relError(have.ssm, want.ssm),
                                                    relError(have.conv, want.conv)});
                }
            }

            // Free-running, in lockstep with aten: each sequence is compared up to its first split.
            for (PathRun& r : runs) {
                aten.start(cache);
                r.decoder->start(cache);
                at::Tensor atenIds = first, pathIds = first;
                std::vector<bool> split(c.batch, false);
                for (int64_t t = 0; t < c.steps; ++t) {
                    const at::Tensor ref = aten.step(atenIds).to(at::kCPU, at::kDouble);
                    const at::Tensor mine = r.decoder->step(pathIds).argmax(-1).to(at::kCPU);
                    const at::Tensor theirs = ref.argmax(-1);
                    const double scale = ref.abs().max().item<double>();
                    for (int64_t b = 0; b < c.batch; ++b) {
                        ++r.result.freeRunTokens;
                        if (split[b]) continue;
                        const int64_t want = theirs[b].item<int64_t>(), have = mine[b].item<int64_t>();
                        if (want == have) {
                            ++r.result.freeRunSame;
                            continue;
                        }
                        split[b] = true;
                        const double lead = ref[b][want].item<double>() - ref[b][have].item<double>();
                        if (lead <= 2 * tol * scale) {
                            r.result.freeRunSplitAtNearTie = true;
                        } else {
                            r.freeRunFailed = true;
                            r.result.note = "free-running: sequence " + std::to_string(b) + " chose " +
                                            std::to_string(have) + " at step " + std::to_string(t) + ", aten " +
                                            std::to_string(want) + " by a logit lead of " + std::to_string(lead);
                        }
                    }
                    atenIds = theirs;
                    pathIds = mine;
                }
            }
        }
        for (PathRun& r : runs) {
            DecodeCheckResult& res = r.result;
            res.graphsCaptured = r.decoder->capturedGraphs();
            const bool oneGraph = res.path != decodePathName(DecodePath::CudaGraph) || res.graphsCaptured == 1;
            res.passed = res.logitError <= tol && res.stateError <= tol && res.differentChoices == 0 &&
                         !r.freeRunFailed && oneGraph;
            if (!res.passed && res.note.empty())
                res.note = res.logitError > tol || res.stateError > tol ? "differs from aten beyond the tolerance"
                           : res.differentChoices > 0                     ? "a greedy choice differs beyond a near tie"
                                                                          : "the second prompt captured a new graph";
            say("  " + res.path + ": logits " + std::to_string(res.logitError) + ", states " +
                std::to_string(res.stateError) + (res.passed ? ", pass" : ", FAIL: " + res.note));
            results.push_back(res);
        }
    }
    return results;
}

std::string decodeCheckTable(const std::vector<DecodeCheckResult>& results, const DecodeCheckSettings& s) {
    std::ostringstream o;
    o << "decode paths against aten on " << deviceDescription(s.device)
      << ": random models, two prompts per case (the second reuses the decoders and the graph), 12 steps each.\n"
         "`logits` / `states`: max |path - aten| / max |aten| over the steps (teacher-forced: every path fed aten's "
         "greedy tokens) and of the conv and SSM states after them; `greedy`: the teacher-forced choices equal to "
         "aten's / near ties (aten's lead under twice the tolerance) / different; `free-running`: tokens equal to "
         "aten's when each path feeds itself, each sequence up to its first split (which must be a near tie)\n\n";
    o << "| case | path | logits | states | tolerance | greedy same / near tie / different | free-running same | "
         "graphs | result |\n|---|---|---|---|---|---|---|---|---|\n";
    int passed = 0;
    char line[512];
    for (const DecodeCheckResult& r : results) {
        passed += r.passed;
        std::snprintf(line, sizeof line,
                      "| %s | %s | %.2e | %.2e | %.0e | %lld / %lld / %lld | %lld of %lld%s | %lld | %s |\n",
                      r.name.c_str(), r.path.c_str(), r.logitError, r.stateError, r.tolerance,
                      (long long)r.sameChoices, (long long)r.nearTies, (long long)r.differentChoices,
                      (long long)r.freeRunSame, (long long)r.freeRunTokens,
                      r.freeRunSplitAtNearTie ? " (split at a near tie)" : "", (long long)r.graphsCaptured,
                      r.passed ? "pass" : ("FAIL: " + r.note).c_str());
        o << line;
    }
    o << "\n" << passed << " of " << results.size() << " pass\n";
    return o.str();
}

}  // namespace ssmlens
