#include "core/bench/ModelBenchmark.h"

#include <chrono>
#include <cstdio>
#include <sstream>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "core/Error.h"
#include "core/bench/DeviceTimer.h"
#include "core/model/Mamba2Model.h"

namespace ssmlens {

std::string dtypeName(at::ScalarType t) {
    switch (t) {
        case at::kFloat: return "fp32";
        case at::kBFloat16: return "bf16";
        case at::kHalf: return "fp16";
        default: return c10::toString(t);
    }
}

at::ScalarType parseDtypeName(const std::string& n) {
    if (n == "fp32" || n == "float32") return at::kFloat;
    if (n == "bf16" || n == "bfloat16") return at::kBFloat16;
    if (n == "fp16" || n == "float16") return at::kHalf;
    throw Error("unknown dtype \"" + n + "\" (use fp32, bf16 or fp16)");
}

namespace {

// The matrix products of one prefill at this shape: in_proj and out_proj of every layer, and the head.
double matmulOnlyMs(const Mamba2Model& m, int64_t tokens, const BenchSettings& s) {
    const auto& c = m.config();
    auto opts = m.weights().embedding.options();
    at::Tensor u = at::randn({tokens, c.dModel}, opts), y = at::randn({tokens, c.dInner()}, opts);
    return medianMilliseconds(
        s.device,
        [&] {
            for (const auto& L : m.weights().layers) {
                at::linear(u, L.inProj);
                at::linear(y, L.outProj);
            }
            at::linear(u, m.weights().lmHead);
        },
        s.warmup, s.repeats);
}

bool isOutOfMemory(const std::exception& e) {
    const std::string w = e.what();
    return w.find("out of memory") != std::string::npos || w.find("OutOfMemory") != std::string::npos;
}

}  // namespace

BenchReport runModelBenchmark(const BenchSettings& s) {
    Mamba2Config config = namedMamba2Config(s.size);
    BenchReport report;
    report.size = s.size;
    report.device = deviceDescription(s.device);
    report.config = config.summary();
    auto say = [&](const std::string& line) {
        if (s.progress) s.progress(line);
    };
    for (at::ScalarType dtype : s.dtypes) {
        if (dtype == at::kHalf && s.device.is_cpu()) throw Error("fp16 is not available on the CPU; use fp32 or bf16");
        Mamba2Model model(config, randomMamba2Weights(config, 1, dtype, s.device));
        std::vector<DecodePath> paths = s.decodePaths;
        if (paths.empty()) {
            for (DecodePath p : {DecodePath::Aten, DecodePath::Fused, DecodePath::CudaGraph})
                if (decodePathAvailable(model, p)) paths.push_back(p);
        }
        for (DecodePath p : paths)
            if (!decodePathAvailable(model, p))
                throw Error(std::string("decode path ") + decodePathName(p) + " is not available on " +
                            deviceDescription(s.device) + " (the fused paths need a CUDA build and a GPU)");
        for (int64_t batch : s.batches) {
            for (int64_t length : s.decodeOnly ? std::vector<int64_t>{} : s.lengths) {
                PrefillMeasurement r;
                r.dtype = dtypeName(dtype);
                r.batch = batch;
                r.length = length;
                try {
                    at::Tensor ids = at::randint(config.vocabSize, {batch, length}, at::kLong).to(s.device);
                    // Logits at every position in the model dtype, as transformers returns them; and with the
                    // fp32 copy that ForwardResult gives by default.
                    ForwardOptions asHead;
                    asHead.logitsInModelDtype = true;
                    resetPeakMemory(s.device);
                    r.ms = medianMilliseconds(s.device, [&] { model.forward(ids, asHead); }, s.warmup, s.repeats);
                    r.msFp32Logits = dtype == at::kFloat || s.prefillOnly
                                         ? r.ms
                                         : medianMilliseconds(s.device, [&] { model.forward(ids); },
                                                                              s.warmup, s.repeats);
                    r.peakMemoryMb = peakMemoryBytes(s.device) / 1048576.0;
                    r.tokensPerSecond = batch * length / (r.ms / 1000.0);
                    r.matmulMs = s.prefillOnly ? 0 : matmulOnlyMs(model, batch * length, s);
                } catch (const std::exception& e) {
                    if (!isOutOfMemory(e)) throw;
                    r = PrefillMeasurement{r.dtype, batch, length, 0, 0, 0, 0, 0, "out of memory"};
                }
                report.prefill.push_back(r);
                say("prefill " + r.dtype + " batch " + std::to_string(batch) + " L " + std::to_string(length) + ": " +
                    (r.error.empty() ? std::to_string(r.ms) + " ms" : r.error));
            }
            if (s.prefillOnly) continue;
            // Decode: a short prefill, then single-token steps from its state, on each path in turn.
            at::Tensor prompt = at::randint(config.vocabSize, {batch, 16}, at::kLong);
            InferenceCache cache;
            ForwardOptions f;
            f.cache = &cache;
            f.logitsAt = LogitsAt::None;
            model.forward(prompt, f);
            const at::Tensor first = at::randint(config.vocabSize, {batch}, at::kLong);
            const int64_t steps = std::max<int64_t>(1, s.decodeTokens);
            for (DecodePath path : paths) {
                DecodeMeasurement d;
                d.dtype = dtypeName(dtype);
                d.path = decodePathName(path);
                d.batch = batch;
                Decoder decoder(model, path);
                synchronizeDevice(s.device);
                const auto t0 = std::chrono::steady_clock::now();
                decoder.start(cache);
                synchronizeDevice(s.device);
                d.startMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
                // Warm-up runs too: the first steps pay for the library's first use of the one-row product shapes
                // (tens of ms on a GPU), which would otherwise be spread over the tokens.
                const double queued = medianMilliseconds(
                    s.device, [&] { for (int64_t i = 0; i < steps; ++i) decoder.step(first); }, s.warmup,
                    std::max(1, s.repeats));
                d.msPerToken = queued / steps;
                d.tokensPerSecond = batch * 1000.0 / d.msPerToken;
                at::Tensor ids = first;
                const double greedy = medianMilliseconds(
                    s.device,
                    [&] {
                        for (int64_t i = 0; i < steps; ++i) ids = decoder.step(ids).argmax(-1).to(at::kCPU);
                    },
                    s.warmup, std::max(1, s.repeats));
                d.greedyMsPerToken = greedy / steps;
                d.greedyTokensPerSecond = batch * 1000.0 / d.greedyMsPerToken;
                report.decode.push_back(d);
                say("decode " + d.dtype + " batch " + std::to_string(batch) + " " + d.path + ": " +
                    std::to_string(d.tokensPerSecond) + " tokens/s");
            }
        }
    }
    return report;
}

nlohmann::json BenchReport::toJson() const {
    nlohmann::json j = {{"size", size}, {"device", device}, {"config", config}};
    j["prefill"] = nlohmann::json::array();
    for (const auto& p : prefill)
        j["prefill"].push_back({{"dtype", p.dtype}, {"batch", p.batch}, {"length", p.length}, {"ms", p.ms}, {"ms_fp32_logits", p.msFp32Logits},
                                {"tokens_per_s", p.tokensPerSecond}, {"matmul_ms", p.matmulMs},
                                {"peak_mem_mb", p.peakMemoryMb}, {"error", p.error}});
    j["decode"] = nlohmann::json::array();
    for (const auto& d : decode)
        j["decode"].push_back({{"dtype", d.dtype}, {"path", d.path}, {"batch", d.batch}, {"ms_per_token", d.msPerToken},
                               {"tokens_per_s", d.tokensPerSecond}, {"greedy_ms_per_token", d.greedyMsPerToken},
                               {"greedy_tokens_per_s", d.greedyTokensPerSecond}, {"start_ms", d.startMs}});
    return j;
}

std::string BenchReport::table() const {
    std::ostringstream o;
    char line[256];
    o << "model " << size << " (" << config << ") on " << device << "\n";
    if (!prefill.empty()) {
        o << "\nprefill ms: logits at every position in the model dtype (as transformers returns them); with fp32 "
             "logits: the same plus ForwardResult's default fp32 copy; ratio = prefill ms / matmul-only ms\n\n";
        o << "| dtype | batch | length | prefill ms | with fp32 logits ms | tokens/s | matmul-only ms | ratio | "
             "peak MiB |\n";
        o << "|---|---|---|---|---|---|---|---|---|\n";
        for (const auto& p : prefill) {
            if (!p.error.empty()) {
                std::snprintf(line, sizeof line, "| %s | %lld | %lld | %s | | | | | |\n", p.dtype.c_str(),
                              (long long)p.batch, (long long)p.length, p.error.c_str());
            } else {
                std::snprintf(line, sizeof line, "| %s | %lld | %lld | %.2f | %.2f | %.0f | %.2f | %.2f | %.0f |\n",
                              p.dtype.c_str(), (long long)p.batch, (long long)p.length, p.ms, p.msFp32Logits,
                              p.tokensPerSecond, p.matmulMs, p.matmulMs > 0 ? p.ms / p.matmulMs : 0.0,
                              p.peakMemoryMb);
            }
            o << line;
        }
    }
    if (decode.empty()) return o.str();
    o << "\ndecode: `path` aten = ATen operators per layer, fused = one mixer kernel per layer, graph = the whole "
         "step as a CUDA graph (core/model/Decoder.h); `queued`: steps queued back to back, per step; `greedy`: each "
         "step's argmax read back and fed in, as generation does; `x aten`: queued tokens/s against the aten row; "
         "`start ms`: starting from the prefill (graph: capturing this batch size's graph)\n\n";
    o << "| dtype | batch | path | queued ms/token | tokens/s | x aten | greedy ms/token | greedy tokens/s | "
         "start ms |\n|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& d : decode) {
        char ratio[32] = "";
        for (const auto& a : decode)
            if (a.dtype == d.dtype && a.batch == d.batch && a.path == "aten" && a.tokensPerSecond > 0)
                std::snprintf(ratio, sizeof ratio, "%.2fx", d.tokensPerSecond / a.tokensPerSecond);
        std::snprintf(line, sizeof line, "| %s | %lld | %s | %.3f | %.1f | %s | %.3f | %.1f | %.1f |\n",
                      d.dtype.c_str(), (long long)d.batch, d.path.c_str(), d.msPerToken, d.tokensPerSecond, ratio,
                      d.greedyMsPerToken, d.greedyTokensPerSecond, d.startMs);
        o << line;
    }
    return o.str();
}

}  // namespace ssmlens
