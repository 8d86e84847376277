#include "core/bench/DeviceCheck.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include <ATen/ATen.h>
#include <ATen/Context.h>

#include "core/Error.h"
#include "core/bench/DeviceTimer.h"
#include "core/bench/ModelBenchmark.h"
#include "core/model/Mamba2Mixer.h"
#include "core/model/Mamba2Model.h"
#include "core/reduction/ReductionRun.h"
#include "core/runtime/KernelPaths.h"

namespace ssmlens {
namespace {

// What two computations of the same values are guaranteed to share (max difference over the compared values,
// relative to the largest reference value):
// - fp32, one operator: the same sums in another order (kernels, other BLAS blocking), a few hundred terms each
//   rounding by 2^-24: far below 1e-5.
// - fp32, a forward pass of a few layers: those differences, passed through ~20 operators and the norms, which
//   can amplify them where a row's norm is small: 1e-4.
// - bf16 / fp16, one operator: a value rounded to the 8 (11) bit mantissa after a sum in another order may land
//   one unit apart, 2^-8 = 4e-3 relative: 1e-2.
// - bf16 / fp16, a forward pass: such differences in every layer's inputs, plus the tensor-core scan, whose
//   operands are rounded where the ATen scan keeps fp32 (bench-ssd: up to 1e-2 for y alone): 5e-2.
constexpr double kFp32Operator = 1e-5, kFp32Model = 1e-4, kHalfOperator = 1e-2, kHalfModel = 5e-2;
// Decisions of the reduction step (which tokens go where) may differ between two devices only where the values
// that decide are this close (fp32 model, CPU against GPU): cosines absolutely, importance relative to the layer's
// largest.
constexpr double kCosineTie = 1e-5, kImportanceTie = kFp32Model;

double tolerance(at::ScalarType t, bool wholeModel) {
    if (t == at::kFloat) return wholeModel ? kFp32Model : kFp32Operator;
    return wholeModel ? kHalfModel : kHalfOperator;
}

// max |got - ref| / max |ref|, in double on the CPU.
double relativeDifference(const at::Tensor& got, const at::Tensor& ref) {
    const at::Tensor g = got.to(at::kCPU, at::kDouble), r = ref.to(at::kCPU, at::kDouble);
    if (g.sizes() != r.sizes()) return std::numeric_limits<double>::infinity();
    const double scale = r.abs().max().item<double>();
    return (g - r).abs().max().item<double>() / (scale > 0 ? scale : 1.0);
}

struct CheckModel {
    std::string name;
    Mamba2Config config;
};

// Every dimension distinct and the shapes the kernels take (P and N multiples of 16, D a multiple of 8): two
// groups, an untied head, an odd vocabulary; and a published layer shape (130m: P 64, N 128, one group).
CheckModel smallModel(int64_t layers) {
    Mamba2Config c;
    c.dModel = 64;
    c.nLayer = layers;
    c.vocabSize = 101;
    c.dState = 32;
    c.headdim = 16;
    c.ngroups = 2;
    c.expand = 2;  // Di 128, 8 heads
    c.dConv = 4;
    c.chunkSize = 16;
    c.tieEmbeddings = false;
    return {"D 64, G 2, P 16, N 32, " + std::to_string(layers) + " layers", c};
}

CheckModel publishedShape() {
    Mamba2Config c = namedMamba2Config("130m");
    c.nLayer = 2;
    c.vocabSize = 1000;
    return {"130m layer shape, 2 layers", c};
}

// A right-padded batch of two prompts (64 and 37 tokens), seeded.
struct Prompts {
    at::Tensor ids;      // [2, 64] int64 CPU
    at::Tensor lengths;  // [2] int64 CPU
};

Prompts prompts(int64_t vocab) {
    at::manual_seed(5);
    return {at::randint(vocab, {2, 64}, at::kLong), at::tensor(std::vector<int64_t>{64, 37}, at::kLong)};
}

// The model's outputs on the prompts: prefill logits (padding rows zeroed, so they compare equal) and the
// logits of three decode steps after it; all fp32 on the CPU.
struct ModelOutputs {
    at::Tensor prefill;
    std::vector<at::Tensor> decode;
};

ModelOutputs runModel(const Mamba2Model& model, const Prompts& p) {
    const at::Device dev = model.device();
    ForwardOptions o;
    o.lengths = p.lengths;
    InferenceCache cache;
    o.cache = &cache;
    ModelOutputs out;
    at::Tensor logits = model.forward(p.ids.to(dev), o).logits.to(at::kCPU, at::kFloat);
    const at::Tensor valid = at::arange(p.ids.size(1), at::kLong).unsqueeze(0) < p.lengths.unsqueeze(1);
    out.prefill = logits.masked_fill(valid.logical_not().unsqueeze(2), 0);
    for (int64_t t = 0; t < 3; ++t) {
        const at::Tensor next = at::tensor(std::vector<int64_t>{7 + t, 11 + 2 * t}, at::kLong).to(dev);
        out.decode.push_back(model.step(next, cache).to(at::kCPU, at::kFloat));
    }
    return out;
}

DeviceCheckResult compared(const std::string& group, const std::string& name, double difference, double tol) {
    DeviceCheckResult r;
    r.group = group;
    r.name = name;
    r.difference = difference;
    r.tolerance = tol;
    r.passed = difference <= tol;  // NaN fails
    if (!r.passed) r.note = "values differ";
    return r;
}

double largestDifference(const ModelOutputs& got, const ModelOutputs& ref, bool decodeOnly) {
    double d = decodeOnly ? 0.0 : relativeDifference(got.prefill, ref.prefill);
    if (decodeOnly)
        for (size_t i = 0; i < ref.decode.size(); ++i) d = std::max(d, relativeDifference(got.decode[i], ref.decode[i]));
    return d;
}

void kernelCases(const DeviceCheckSettings& s, std::vector<DeviceCheckResult>& out) {
    std::vector<at::ScalarType> dtypes = {at::kFloat};
    if (s.device.is_cuda()) dtypes = {at::kFloat, at::kBFloat16, at::kHalf};
    const KernelPaths kernels, aten = KernelPaths::atenOnly();
    for (at::ScalarType t : dtypes) {
        const std::string dt = dtypeName(t);
        {
            at::manual_seed(3);
            const at::Tensor x = at::randn({2, 33, 64}).to(s.device, t), w = (1 + 0.1 * at::randn({64})).to(s.device, t);
            at::Tensor got, ref;
            {
                const ScopedKernelPaths on(kernels);
                got = rmsNorm(x, w, 1e-5);
            }
            {
                const ScopedKernelPaths off(aten);
                ref = rmsNorm(x, w, 1e-5);
            }
            out.push_back(compared("kernels", "rms norm, " + dt, relativeDifference(got, ref), tolerance(t, false)));
        }
        for (const CheckModel& m : {smallModel(3), publishedShape()}) {
            const Mamba2Model model(m.config, randomMamba2Weights(m.config, 1, t, s.device));
            const Prompts p = prompts(m.config.vocabSize);
            ModelOutputs got, ref;
            {
                const ScopedKernelPaths on(kernels);
                got = runModel(model, p);
            }
            {
                const ScopedKernelPaths off(aten);
                ref = runModel(model, p);
            }
            out.push_back(compared("kernels", "prefill, " + m.name + ", " + dt, largestDifference(got, ref, false),
                                   tolerance(t, true)));
            out.push_back(compared("kernels", "decode, " + m.name + ", " + dt, largestDifference(got, ref, true),
                                   tolerance(t, true)));
            if (s.device.is_cuda()) {
                // The time steps inside the conv's kernel (KernelPaths::convWithTimeSteps) against their own kernel:
                // the same expressions on the same inputs, so the same bits.
                KernelPaths apartPaths = kernels;
                apartPaths.convWithTimeSteps = false;
                ModelOutputs apart;
                {
                    const ScopedKernelPaths on(apartPaths);
                    apart = runModel(model, p);
                }
                out.push_back(compared("kernels", "time steps in the conv's kernel, " + m.name + ", " + dt,
                                       relativeDifference(got.prefill, apart.prefill), 0.0));
            }
            if (s.progress) s.progress("kernels: " + m.name + ", " + dt);
        }
    }
}

void forwardCases(const DeviceCheckSettings& s, std::vector<DeviceCheckResult>& out) {
    for (const CheckModel& m : {smallModel(3), publishedShape()}) {
        const Prompts p = prompts(m.config.vocabSize);
        const ModelOutputs got = runModel(Mamba2Model(m.config, randomMamba2Weights(m.config, 2, at::kFloat, s.device)), p);
        const ModelOutputs ref = runModel(Mamba2Model(m.config, randomMamba2Weights(m.config, 2, at::kFloat, at::kCPU)), p);
        out.push_back(compared("forward", "prefill, " + m.name + ", fp32", largestDifference(got, ref, false), kFp32Model));
        out.push_back(compared("forward", "decode, " + m.name + ", fp32", largestDifference(got, ref, true), kFp32Model));
        if (s.progress) s.progress("forward: " + m.name);
    }
}

// Whether two traces of one layer differ only where the CPU's own values put two candidates within rounding of
// each other; `why` says which decision differed. `ref` is the CPU's trace, `got` the device's.
bool nearTie(const LayerTrace& ref, const LayerTrace& got, int64_t lastPosition, std::string& why) {
    const size_t n = ref.fate.size();
    double scale = 0;
    for (size_t i = 0; i < n; ++i)
        if (ref.fate[i] >= 0) scale = std::max(scale, std::abs(double(ref.importance[i])));
    const double importanceTie = kImportanceTie * (scale > 0 ? scale : 1.0);
    // Best matches: the device found another destination with the same cosine (within rounding).
    for (size_t i = 0; i < n; ++i)
        if (ref.match[i] != got.match[i] && !(std::abs(double(ref.matchCosine[i]) - got.matchCosine[i]) <= kCosineTie)) {
            why = "best match of position " + std::to_string(i);
            return false;
        }
    // The split by importance: the least important token of B (the last token is protected, so it does not count)
    // and the most important of A are within rounding.
    bool splitDiffers = false;
    double minB = std::numeric_limits<double>::infinity(), maxA = -minB;
    for (size_t i = 0; i < n; ++i) {
        if (ref.fate[i] < 0) continue;
        splitDiffers = splitDiffers || ref.inB[i] != got.inB[i];
        if (int64_t(i) == lastPosition) continue;
        if (ref.inB[i] == 1) minB = std::min(minB, double(ref.importance[i]));
        if (ref.inB[i] == 0) maxA = std::max(maxA, double(ref.importance[i]));
    }
    if (splitDiffers && !(minB - maxA <= importanceTie)) {
        why = "the split into A and B";
        return false;
    }
    // The removed tokens: by cosine (matching methods) or importance (EViT, where nothing is matched): the last
    // one removed and the first one kept are within rounding.
    bool removalDiffers = false, matched = false;
    double minRemoved = std::numeric_limits<double>::infinity(), maxKept = -minRemoved;
    for (size_t i = 0; i < n; ++i) matched = matched || ref.match[i] >= 0;
    for (size_t i = 0; i < n; ++i) {
        if (ref.fate[i] < 0 || int64_t(i) == lastPosition) continue;
        const bool removedRef = ref.fate[i] >= 1, removedGot = got.fate[i] >= 1;
        removalDiffers = removalDiffers || removedRef != removedGot;
        if (matched && ref.match[i] < 0) continue;  // not a candidate
        const double key = matched ? double(ref.matchCosine[i]) : double(ref.importance[i]);
        if (removedRef) minRemoved = std::min(minRemoved, matched ? key : -key);
        else maxKept = std::max(maxKept, matched ? key : -key);
    }
    if (removalDiffers && !(minRemoved - maxKept <= (matched ? kCosineTie : importanceTie))) {
        why = "the tokens removed";
        return false;
    }
    // The rest (merged or pruned, destinations) follows from the decisions above, up to the hybrid choice,
    // whose per-channel values come from the same streams.
    why = "near tie at layer " + std::to_string(ref.layer);
    return true;
}

void reduceCases(const DeviceCheckSettings& s, std::vector<DeviceCheckResult>& out) {
    const CheckModel m = smallModel(8);
    const Mamba2Model onDevice(m.config, randomMamba2Weights(m.config, 4, at::kFloat, s.device));
    const Mamba2Model onCpu(m.config, randomMamba2Weights(m.config, 4, at::kFloat, at::kCPU));
    at::manual_seed(9);
    const at::Tensor prompt = at::randint(m.config.vocabSize, {300}, at::kLong);
    const std::vector<int64_t> ids(prompt.data_ptr<int64_t>(), prompt.data_ptr<int64_t>() + prompt.numel());
    for (const std::string& method : methodNames()) {
        const ReductionSchedule schedule = depthScaledSchedule(m.config.nLayer, 0.7, parseMethodName(method));
        const ReductionRunResult got = runReduction(onDevice, ids, schedule, nullptr);
        const ReductionRunResult ref = runReduction(onCpu, ids, schedule, nullptr);
        DeviceCheckResult r;
        r.group = "reduce";
        r.name = method + ", 300 tokens, " + m.name + ", fp32";
        r.tolerance = kFp32Model;
        r.passed = true;
        bool diverged = false;
        for (size_t l = 0; l < ref.trace.layers.size() && !diverged; ++l) {
            const LayerTrace &a = ref.trace.layers[l], &b = got.trace.layers[l];
            const bool same = a.fate == b.fate && a.destination == b.destination && a.inB == b.inB && a.match == b.match;
            if (!same) {
                diverged = true;
                std::string why;
                r.passed = nearTie(a, b, ref.trace.length - 1, why);
                r.note = r.passed ? why : "different choices at layer " + std::to_string(a.layer) + ": " + why;
                break;
            }
            const at::Tensor ia = at::tensor(a.importance), ib = at::tensor(b.importance);
            const at::Tensor isPresent = ia.isnan().logical_not();
            if (isPresent.any().item<bool>())
                r.difference = std::max(r.difference, relativeDifference(ib.masked_select(isPresent), ia.masked_select(isPresent)));
        }
        if (!diverged) {
            if (got.trace.survivorPositions != ref.trace.survivorPositions || got.trace.prunedAtLayer != ref.trace.prunedAtLayer) {
                r.passed = false;
                r.note = "different survivors";
            } else {
                r.difference = std::max(r.difference, relativeDifference(got.reducedLogits, ref.reducedLogits));
                if (!(r.difference <= r.tolerance)) {
                    r.passed = false;
                    r.note = "values differ";
                }
            }
        }
        out.push_back(r);
        if (s.progress) s.progress("reduce: " + method + (r.passed ? "" : " FAILED") + (r.note.empty() ? "" : " - " + r.note));
    }
}

// Exact fp32 for the references while the check runs: cuDNN may run ATen's fp32 conv1d (the kernels' reference)
// on TF32 tensor cores by default, whose 10-bit mantissa would be the difference measured. Restored afterwards.
class ExactFp32Convolutions {
public:
    ExactFp32Convolutions() : previous_(at::globalContext().allowTF32CuDNN()) {
        at::globalContext().setAllowTF32CuDNN(false);
    }
    ~ExactFp32Convolutions() { at::globalContext().setAllowTF32CuDNN(previous_); }

private:
    bool previous_;
};

}  // namespace

std::vector<DeviceCheckResult> runDeviceCheck(const DeviceCheckSettings& s) {
    const ExactFp32Convolutions exact;
    std::vector<DeviceCheckResult> out;
    for (const std::string& g : s.groups) {
        if (g == "kernels") kernelCases(s, out);
        else if (g == "forward") forwardCases(s, out);
        else if (g == "reduce") reduceCases(s, out);
        else throw Error("unknown check group \"" + g + "\" (kernels, forward or reduce)");
    }
    return out;
}

std::string deviceCheckTable(const std::vector<DeviceCheckResult>& results, const DeviceCheckSettings& s) {
    int passed = 0;
    for (const auto& r : results) passed += r.passed;
    std::string t = "SSM Lens on " + deviceDescription(s.device) + " against its references (kernels: the ATen path on " +
                    "the same device; forward, reduce: the CPU)\n\n" + std::to_string(passed) + " of " +
                    std::to_string(results.size()) + " cases pass.\n\n| group | case | difference | tolerance | result |\n" +
                    "|---|---|---|---|---|\n";
    char line[512];
    for (const auto& r : results) {
        std::snprintf(line, sizeof line, "| %s | %s | %.1e | %.0e | %s |\n", r.group.c_str(), r.name.c_str(),
                      r.difference, r.tolerance,
                      (r.passed ? (r.note.empty() ? std::string("ok") : r.note) : "FAILED: " + r.note).c_str());
        t += line;
    }
    return t;
}

}  // namespace ssmlens
