#include "core/bench/SsdKernelCheck.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <ATen/ATen.h>

#include "core/Error.h"
#include "core/bench/DeviceTimer.h"
#include "core/model/SsdScan.h"
#include "core/runtime/KernelPaths.h"

namespace ssmlens {
namespace {

// Random scan inputs with a long memory: per-step log-decays dt * A of about -0.003 to -0.1. x, B and C are
// rounded to the operand dtype first, as a bf16 / fp16 model's are, so the difference measured is the kernels'
// own rounding (of the weighted inputs, the scores and the states).
SsdInputs randomInputs(const SsdCase& c, const c10::Device& device, c10::ScalarType operandType) {
    auto f32 = at::TensorOptions().dtype(at::kFloat).device(device);
    auto rounded = [&](at::Tensor t) { return t.to(operandType).to(at::kFloat); };
    SsdInputs in;
    in.x = rounded(at::randn({c.batch, c.length, c.heads, c.headdim}, f32));
    in.dt = at::softplus(at::randn({c.batch, c.length, c.heads}, f32) * 0.5 - 3.0);
    in.A = -at::exp(at::empty({c.heads}, f32).uniform_(std::log(0.05), std::log(2.0)));
    in.B = rounded(at::randn({c.batch, c.length, c.groups, c.dState}, f32) * 0.5);
    in.C = rounded(at::randn({c.batch, c.length, c.groups, c.dState}, f32) * 0.5);
    if (c.initialState) in.initialState = at::randn({c.batch, c.heads, c.headdim, c.dState}, f32);
    return in;
}

double relError(const at::Tensor& got, const at::Tensor& ref) {
    const double scale = ref.abs().max().item<double>();
    return (got - ref).abs().max().item<double>() / (scale > 0 ? scale : 1.0);
}

}  // namespace

double defaultSsdTolerance(c10::ScalarType operandType) { return operandType == at::kHalf ? 2e-3 : 1e-2; }

std::vector<SsdCase> defaultSsdCases() {
    return {
        {"short, P16 N16", 1, 37, 4, 16, 1, 16},
        {"2 groups, init state", 2, 300, 8, 32, 2, 64, true},
        {"3 groups, 3 sequences", 3, 1000, 6, 64, 3, 128},
        {"P128 N128", 1, 256, 2, 128, 1, 128},
        {"N256, odd length", 1, 513, 4, 64, 1, 256, true},
        {"130m layer L2048", 1, 2048, 24, 64, 1, 128, false, true},
        {"130m layer L2048 b8", 8, 2048, 24, 64, 1, 128, false, true},
        {"130m layer L8192 b8", 8, 8192, 24, 64, 1, 128, false, true},
        {"2.7b layer L2048", 1, 2048, 80, 64, 1, 128, false, true},
        {"2.7b layer L8192", 1, 8192, 80, 64, 1, 128, false, true},
        {"2.7b layer L2048 b8", 8, 2048, 80, 64, 1, 128, false, true},
        {"2.7b layer L8192 b8", 8, 8192, 80, 64, 1, 128, false, true},
    };
}

std::vector<SsdCaseResult> runSsdKernelCheck(const SsdCheckSettings& s, const std::vector<SsdCase>& cases) {
    if (s.operandType != at::kBFloat16 && s.operandType != at::kHalf)
        throw Error("bench-ssd: the tensor-core scan takes bf16 or fp16 operands");
    const double tolerance = s.tolerance > 0 ? s.tolerance : defaultSsdTolerance(s.operandType);
    std::vector<SsdCaseResult> out;
    at::manual_seed(0);
    for (const SsdCase& c : cases) {
        SsdInputs in = randomInputs(c, s.device, s.operandType);
        if (!ssdPrefillUsesTensorCores(in, s.operandType))
            throw Error("bench-ssd: no tensor-core scan for " + c.name + " on " + s.device.str() +
                        " (needs a CUDA build with the fused kernels, a CUDA device and SSMLENS_FUSED_SSD unset)");
        SsdCaseResult r;
        r.shape = c;
        const int64_t chunk = 256;
        SsdOutputs ref = ssdChunked(in, chunk);
        SsdOutputs got;
        for (int64_t kernelChunk : {64, 128, 256}) {  // the largest difference over the kernels' chunk lengths
            got = ssdPrefill(in, chunk, s.operandType, kernelChunk);
            auto worse = [](double a, double b) { return std::isfinite(b) ? std::max(a, b) : HUGE_VAL; };
            r.yRelError = worse(r.yRelError, relError(got.y, ref.y));
            r.stateRelError = worse(r.stateRelError, relError(got.finalState, ref.finalState));
        }
        // The chunk-serial kernel on the same inputs (the dispatch takes it only with the default chunk length).
        r.serialSupported = ssdSerialScanSupported(c.headdim, c.dState);
        const KernelPaths& inEffect = kernelPaths();
        KernelPaths serialPaths = inEffect, parallelPaths = inEffect;
        serialPaths.ssdScanKernel = SsdScanKernel::Serial;
        parallelPaths.ssdScanKernel = SsdScanKernel::Parallel;
        if (r.serialSupported) {
            const ScopedKernelPaths serial(serialPaths);
            got = ssdPrefill(in, chunk, s.operandType);
            r.serialYRelError = std::max(relError(got.y, ref.y), relError(got.finalState, ref.finalState));
        }
        // The mixer's form: the same (already rounded) inputs stored in the operand dtype, D folded in.
        const at::Tensor skip = c.groups > 1 ? at::randn({c.heads * c.headdim}, in.x.options())
                                             : at::randn({c.heads}, in.x.options());
        SsdInputs narrow = in;
        narrow.x = in.x.to(s.operandType);
        narrow.B = in.B.to(s.operandType);
        narrow.C = in.C.to(s.operandType);
        const at::Tensor refY = ref.y + in.x * skip.view({c.heads, skip.numel() / c.heads});
        auto skipErrors = [&](double& yError) {
            SsdOutputs skipped = ssdPrefillWithSkip(narrow, skip, s.operandType);
            const double e = skipped.y.scalar_type() == s.operandType ? relError(skipped.y.to(at::kFloat), refY) : HUGE_VAL;
            yError = std::max(yError, std::isfinite(e) ? e : HUGE_VAL);
            r.stateRelError = std::max(r.stateRelError, relError(skipped.finalState, ref.finalState));
        };
        {
            const ScopedKernelPaths parallel(parallelPaths);
            skipErrors(r.skipYRelError);
        }
        if (r.serialSupported) {
            const ScopedKernelPaths serial(serialPaths);
            skipErrors(r.serialYRelError);
        }
        if (!std::isfinite(r.serialYRelError)) r.serialYRelError = HUGE_VAL;
        r.yRelError = std::max(r.yRelError, r.serialYRelError);
        r.passed = r.yRelError <= tolerance && r.stateRelError <= tolerance && r.skipYRelError <= tolerance &&
                   std::isfinite(r.yRelError) && std::isfinite(r.stateRelError);
        ref = {};
        got = {};
        if (c.timed) {
            r.atenMs = medianMilliseconds(s.device, [&] { (void)ssdChunked(in, chunk); }, 1, s.repeats);
            r.fusedMs = medianMilliseconds(s.device, [&] { (void)ssdPrefill(in, chunk, s.operandType); }, 1, s.repeats);
            const int64_t kernelChunks[3] = {64, 128, 256};
            for (int i = 0; i < 3; ++i)
                r.chunkMs[i] = medianMilliseconds(
                    s.device, [&] { (void)ssdPrefill(in, chunk, s.operandType, kernelChunks[i]); }, 1, s.repeats);
            auto skipMs = [&] {
                return medianMilliseconds(
                    s.device, [&] { (void)ssdPrefillWithSkip(narrow, skip, s.operandType); }, 1, s.repeats);
            };
            r.skipMs = skipMs();
            {
                const ScopedKernelPaths parallel(parallelPaths);
                r.parallelMs = skipMs();
            }
            if (r.serialSupported) {
                const ScopedKernelPaths serial(serialPaths);
                r.serialMs = skipMs();
            }
        }
        if (s.progress) {
            char line[256];
            std::snprintf(line, sizeof line, "%s: y %.2e, state %.2e, y (model dtype, skip) %.2e%s", c.name.c_str(),
                          r.yRelError, r.stateRelError, r.skipYRelError, r.passed ? "" : "  FAILED");
            s.progress(line);
        }
        out.push_back(r);
    }
    return out;
}

std::string ssdCheckTable(const std::vector<SsdCaseResult>& results, const SsdCheckSettings& s) {
    const double tolerance = s.tolerance > 0 ? s.tolerance : defaultSsdTolerance(s.operandType);
    std::string t = "Prefill scan on " + deviceDescription(s.device) + ", operands " +
                    (s.operandType == at::kHalf ? "fp16" : "bf16") + ", tolerance " + std::to_string(tolerance) +
                    " (max |fused - ATen| / max |ATen|); `model dtype`: the mixer's form, x, B, C and y in the "
                    "operand dtype with the skip term x * D inside, against ATen's y + x * D; `serial`: the "
                    "chunk-serial kernel (core/cuda/SerialSsd.cu), its largest difference in either form (also in "
                    "the first columns) and its time in the model's form next to the chunk-parallel kernels'; "
                    "`model dtype` alone: the kernel the model runs for the shape\n\n"
                    "| case | batch | L | H | P | G | N | y rel. diff | state rel. diff | y rel. diff, model dtype | "
                    "y rel. diff, serial | ATen ms | fused ms | speedup | fused ms, chunks of 64 / 128 / 256 | "
                    "fused ms, model dtype | model dtype ms, parallel / serial | ok |\n"
                    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    char line[768];
    for (const auto& r : results) {
        const SsdCase& c = r.shape;
        std::string timing = "- | - | - | - | - | -";
        if (c.timed) {
            char tm[240], serial[32] = "-";
            if (r.serialSupported) std::snprintf(serial, sizeof serial, "%.3f", r.serialMs);
            std::snprintf(tm, sizeof tm, "%.3f | %.3f | %.1fx | %.3f / %.3f / %.3f | %.3f | %.3f / %s", r.atenMs,
                          r.fusedMs, r.atenMs / r.fusedMs, r.chunkMs[0], r.chunkMs[1], r.chunkMs[2], r.skipMs,
                          r.parallelMs, serial);
            timing = tm;
        }
        char serialError[32] = "-";
        if (r.serialSupported) std::snprintf(serialError, sizeof serialError, "%.2e", r.serialYRelError);
        std::snprintf(line, sizeof line,
                      "| %s | %lld | %lld | %lld | %lld | %lld | %lld | %.2e | %.2e | %.2e | %s | %s | %s |\n",
                      c.name.c_str(), static_cast<long long>(c.batch), static_cast<long long>(c.length),
                      static_cast<long long>(c.heads), static_cast<long long>(c.headdim),
                      static_cast<long long>(c.groups), static_cast<long long>(c.dState), r.yRelError,
                      r.stateRelError, r.skipYRelError, serialError, timing.c_str(), r.passed ? "yes" : "NO");
        t += line;
    }
    return t;
}

}  // namespace ssmlens
