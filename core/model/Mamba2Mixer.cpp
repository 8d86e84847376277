#include "core/model/Mamba2Mixer.h"

#include <cmath>
#include <utility>
#include <vector>

#include <ATen/ATen.h>

#include "core/Error.h"
#include "core/model/CausalConv.h"
#include "core/model/SsdScan.h"
#include "core/runtime/DeviceUpload.h"
#include "core/runtime/KernelPaths.h"

#ifdef SSMLENS_FUSED_CUDA
#include "core/cuda/FusedKernels.h"  // one-kernel versions of the helpers below, for CUDA tensors
#endif

namespace ssmlens {
namespace {

struct Projected {
    at::Tensor z, xBC, dt;
};

Projected inProjection(const Mamba2Config& c, const Mamba2LayerWeights& w, const at::Tensor& u) {
    at::Tensor zxbcdt = w.inProjBias.defined() ? at::linear(u, w.inProj, w.inProjBias) : at::linear(u, w.inProj);
    auto parts = at::split_with_sizes(zxbcdt, {c.dInner(), c.convDim(), c.nHeads()}, -1);
    return {parts[0], parts[1], parts[2]};
}

// time_step_limit as the clamp of dt: whether there is one, and its upper end (1e30 for an infinite one).
struct TimeStepLimits {
    bool clamp;
    double lo, hi;
};
TimeStepLimits timeStepLimits(const Mamba2Config& c) {
    return {c.dtLimitMin > 0.0 || std::isfinite(c.dtLimitMax), c.dtLimitMin,
            std::isfinite(c.dtLimitMax) ? c.dtLimitMax : 1e30};
}

// {dt, A}: dt = softplus(dt + dt_bias), clamped to time_step_limit when it is finite, fp32; A = -exp(A_log).
std::pair<at::Tensor, at::Tensor> timeSteps(const Mamba2Config& c, const Mamba2LayerWeights& w,
                                            const at::Tensor& dtRaw) {
    const TimeStepLimits t = timeStepLimits(c);
#ifdef SSMLENS_FUSED_CUDA
    if (fused::fusedAvailable(dtRaw)) return fused::timeSteps(dtRaw, w.dtBias, w.aLog, t.clamp, t.lo, t.hi);
#endif
    at::Tensor dt = at::softplus(dtRaw.to(at::kFloat) + w.dtBias);
    if (t.clamp) dt = at::clamp(dt, t.lo, t.hi);
    return {dt, -at::exp(w.aLog)};
}

// SiLU of the causal depthwise conv over time, fp32 [B, L, C] (in the model dtype when inModelDtype is set and
// the fused kernels run: the values are the same, they are rounded to it): K-1 zeros on the left (the conv's
// symmetric padding, right part dropped).
at::Tensor convSilu(const Mamba2LayerWeights& w, const at::Tensor& xBC, bool inModelDtype) {
#ifdef SSMLENS_FUSED_CUDA
    if (fused::fusedAvailable(xBC)) return fused::causalConvSilu(xBC, w.convWeight, w.convBias, inModelDtype);
#else
    (void)inModelDtype;
#endif
    return causalConvSilu(xBC, w.convWeight, w.convBias);  // [B, L, C] fp32
}

// convSilu and timeSteps of the prefill: {conv output, dt, A}. On the GPU in one kernel where the fused kernels
// take both (KernelPaths::convWithTimeSteps; one launch fewer per layer, the same values).
struct ConvAndTimeSteps {
    at::Tensor xBC, dt, A;
};
ConvAndTimeSteps convAndTimeSteps(const Mamba2Config& c, const Mamba2LayerWeights& w, const Projected& p,
                                  bool inModelDtype) {
#ifdef SSMLENS_FUSED_CUDA
    if (kernelPaths().convWithTimeSteps && fused::fusedAvailable(p.xBC) && fused::fusedAvailable(p.dt)) {
        const TimeStepLimits t = timeStepLimits(c);
        fused::ConvAndTimeSteps r = fused::causalConvSiluAndTimeSteps(p.xBC, w.convWeight, w.convBias, inModelDtype,
                                                                      p.dt, w.dtBias, w.aLog, t.clamp, t.lo, t.hi);
        return {r.xBC, r.dt, r.A};
    }
#endif
    at::Tensor xBC = convSilu(w, p.xBC, inModelDtype);
    auto [dt, A] = timeSteps(c, w, p.dt);
    return {xBC, dt, A};
}

// y * SiLU(z), then RMSNorm over each group of Di/G channels, times mixer.norm.weight. fp32 in, dtype out.
at::Tensor gatedNorm(const Mamba2Config& c, const Mamba2LayerWeights& w, const at::Tensor& y, const at::Tensor& z) {
    at::Tensor g = y * at::silu(z.to(at::kFloat));
    auto shape = g.sizes().vec();
    std::vector<int64_t> grouped(shape.begin(), shape.end() - 1);
    grouped.push_back(c.ngroups);
    grouped.push_back(c.dInner() / c.ngroups);
    at::Tensor gg = g.view(grouped);
    gg = gg * at::rsqrt(gg.pow(2).mean(-1, true) + c.normEps);
    return (gg.view(shape) * w.gatedNorm.to(at::kFloat)).to(w.gatedNorm.scalar_type());
}

at::Tensor skipWeight(const Mamba2Config& c, const Mamba2LayerWeights& w) {
    // D per head [H] or per channel [Di]; returned as [H, P] for broadcasting over x [.., H, P].
    return c.dHasHdim ? w.d.view({c.nHeads(), c.headdim}) : w.d.view({c.nHeads(), 1});
}

// y + x * D (the skip term), then gatedNorm; y, x: fp32 [.., H, P], z: [.., Di]. Returns [.., Di].
at::Tensor skipGatedNorm(const Mamba2Config& c, const Mamba2LayerWeights& w, const at::Tensor& y, const at::Tensor& x,
                         const at::Tensor& z) {
    auto flat = [&](const at::Tensor& t) {
        std::vector<int64_t> shape(t.sizes().begin(), t.sizes().end() - 2);
        shape.push_back(c.dInner());
        return t.reshape(shape);
    };
#ifdef SSMLENS_FUSED_CUDA
    if (fused::fusedAvailable(y))
        return fused::gatedRmsNorm(flat(y), flat(x), w.d, z, w.gatedNorm, c.ngroups, c.normEps);
#endif
    return gatedNorm(c, w, flat(y + x * skipWeight(c, w)), z);
}

// The gated norm of a y that already holds the skip term (the tensor-core scan's, [.., H, P] in the model dtype).
at::Tensor gatedNormWithoutSkip(const Mamba2Config& c, const Mamba2LayerWeights& w, const at::Tensor& y,
                                const at::Tensor& z) {
    std::vector<int64_t> shape(y.sizes().begin(), y.sizes().end() - 2);
    shape.push_back(c.dInner());
    at::Tensor flat = y.reshape(shape);
#ifdef SSMLENS_FUSED_CUDA
    if (fused::fusedAvailable(y)) return fused::gatedRmsNorm(flat, {}, {}, z, w.gatedNorm, c.ngroups, c.normEps);
#endif
    return gatedNorm(c, w, flat.to(at::kFloat), z);
}

at::Tensor outProjection(const Mamba2LayerWeights& w, const at::Tensor& y) {
    return w.outProjBias.defined() ? at::linear(y, w.outProj, w.outProjBias) : at::linear(y, w.outProj);
}

// Zeros for a state that has none yet (decoding without a prefill).
void startStateIfEmpty(const Mamba2Config& c, LayerState& state, const at::Tensor& u) {
    if (state.conv.defined()) return;
    const int64_t B = u.size(0);
    state.conv = at::zeros({B, c.convDim(), c.dConv - 1}, u.options());
    state.ssm = at::zeros({B, c.nHeads(), c.headdim, c.dState}, u.options().dtype(at::kFloat));
}

#ifdef SSMLENS_FUSED_CUDA
fused::MixerStepWeights fusedStepWeights(const Mamba2Config& c, const Mamba2LayerWeights& w) {
    fused::MixerStepWeights s;
    s.convWeight = w.convWeight;
    s.convBias = w.convBias;
    s.dtBias = w.dtBias;
    s.aLog = w.aLog;
    s.d = w.d;
    s.normWeight = w.gatedNorm;
    s.heads = c.nHeads();
    s.headdim = c.headdim;
    s.groups = c.ngroups;
    s.dState = c.dState;
    // The clamp of timeSteps() above.
    s.clampDt = c.dtLimitMin > 0.0 || std::isfinite(c.dtLimitMax);
    s.dtMin = c.dtLimitMin;
    s.dtMax = std::isfinite(c.dtLimitMax) ? c.dtLimitMax : 1e30;
    s.normEps = c.normEps;
    return s;
}
#endif

}  // namespace

at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& weight, double eps) {
#ifdef SSMLENS_FUSED_CUDA
    if (fused::fusedAvailable(x)) return fused::addRmsNorm({}, x, weight, eps).second;
#endif
    at::Tensor xf = x.to(at::kFloat);
    xf = xf * at::rsqrt(xf.pow(2).mean(-1, true) + eps);
    return (xf * weight.to(at::kFloat)).to(weight.scalar_type());
}

at::Tensor paddingMask(const at::Tensor& lengths, int64_t L, const at::Device& device) {
    auto len = lengths.accessor<int64_t, 1>();
    bool padding = false;
    for (int64_t b = 0; b < lengths.size(0); ++b) padding = padding || len[b] < L;
    if (!padding) return {};
    // The lengths go to the device (without waiting for it, core/runtime/DeviceUpload.h), the mask is made there.
    const at::Tensor lengthsOnDevice = uploadWithoutWaiting(lengths.to(at::kLong), device);
    const at::Tensor positions = at::arange(L, at::TensorOptions().dtype(at::kLong).device(device));
    return (positions.unsqueeze(0) < lengthsOnDevice.unsqueeze(1)).to(at::kFloat);  // [B, L]
}

at::Tensor mixerPrefill(const Mamba2Config& c, const Mamba2LayerWeights& w, const at::Tensor& u,
                        const at::Tensor& lengths, ScanMode mode, LayerState* state, const at::Tensor& validMask,
                        const ActivationTap& tap) {
    const int64_t B = u.size(0), L = u.size(1), K = c.dConv, H = c.nHeads(), P = c.headdim;
    const int64_t G = c.ngroups, N = c.dState;
    Projected p = inProjection(c, w, u);

    const at::ScalarType modelType = w.inProj.scalar_type();
    // bf16 / fp16 on the GPU: the tensor-core scan. Its inputs then stay in the model dtype (the conv rounds to
    // it anyway, so this loses nothing and halves their bytes), and the scan adds the skip term x * D itself and
    // writes y in the model dtype, as the reference kernels of state-spaces/mamba do; the gated norm then reads
    // half the bytes and no x.
    const bool tensorCores = mode == ScanMode::Chunked && ssdPrefillUsesTensorCores(p.xBC, modelType, P, N, H, G);
    // xBC: [B, L, C] fp32 (model dtype with tensorCores); dt: [B, L, H]; A: [H]
    auto [xBC, dt, A] = convAndTimeSteps(c, w, p, tensorCores);
    auto parts = at::split_with_sizes(xBC, {c.dInner(), G * N, G * N}, -1);
    at::Tensor x = parts[0].reshape({B, L, H, P});

    // Padding of shorter sequences: dt = 0 there, so the state passes through unchanged.
    if (validMask.defined()) dt = dt * validMask.unsqueeze(-1);

    SsdInputs in{x, dt, A, parts[1].reshape({B, L, G, N}), parts[2].reshape({B, L, G, N}), {}};
    // The scan's own inputs, as it reads them (rounded to the model dtype on the tensor-core path).
    if (tap.wants(HookPoint::Gate)) tap.record(HookPoint::Gate, p.z);
    if (tap.wants(HookPoint::SsmInput)) tap.record(HookPoint::SsmInput, in.x);
    if (tap.wants(HookPoint::B)) tap.record(HookPoint::B, in.B);
    if (tap.wants(HookPoint::C)) tap.record(HookPoint::C, in.C);
    if (tap.wants(HookPoint::Delta)) tap.record(HookPoint::Delta, in.dt);
    if (tap.wants(HookPoint::A)) tap.record(HookPoint::A, in.A);
    SsdOutputs out;
    at::Tensor h;
    if (tensorCores) {
        out = ssdPrefillWithSkip(in, w.d, modelType);  // y: [B, L, H, P] in the model dtype, skip term included
        if (tap.wants(HookPoint::SsmOutput)) tap.record(HookPoint::SsmOutput, out.y);
        h = outProjection(w, gatedNormWithoutSkip(c, w, out.y, p.z));
    } else {
        out = mode == ScanMode::Chunked ? ssdPrefill(in, c.chunkSize, modelType) : ssdRecurrent(in);
        if (tap.wants(HookPoint::SsmOutput)) tap.record(HookPoint::SsmOutput, out.y + x * skipWeight(c, w));
        h = outProjection(w, skipGatedNorm(c, w, out.y, x, p.z));
    }

    if (state) {
        // The conv state is the last K-1 pre-conv inputs of each sequence: positions n-K+1 .. n-1, which are
        // n .. n+K-2 after padding K-1 zeros on the left.
        at::Tensor padded = at::constant_pad_nd(p.xBC.transpose(1, 2), {K - 1, 0});  // [B, C, L + K - 1]
        auto len = lengths.accessor<int64_t, 1>();
        std::vector<at::Tensor> convStates;
        for (int64_t b = 0; b < B; ++b) convStates.push_back(padded[b].narrow(1, len[b], K - 1));
        state->conv = at::stack(convStates).contiguous();
        state->ssm = out.finalState;
    }
    return h;
}

at::Tensor mixerStep(const Mamba2Config& c, const Mamba2LayerWeights& w, const at::Tensor& u, LayerState& state) {
    const int64_t B = u.size(0), K = c.dConv, H = c.nHeads(), P = c.headdim, G = c.ngroups, N = c.dState;
    startStateIfEmpty(c, state, u);
    Projected p = inProjection(c, w, u);
    at::Tensor window = at::cat({state.conv, p.xBC.unsqueeze(-1)}, -1);  // [B, C, K]
    state.conv = window.narrow(-1, 1, K - 1).contiguous();
    at::Tensor xBC = causalConvSiluStep(window, w.convWeight, w.convBias);  // [B, C], as the prefill's conv
    auto parts = at::split_with_sizes(xBC, {c.dInner(), G * N, G * N}, -1);
    at::Tensor x = parts[0].to(at::kFloat).view({B, H, P});
    at::Tensor Bh = parts[1].to(at::kFloat).view({B, G, N}).repeat_interleave(H / G, 1);  // [B,H,N]
    at::Tensor Ch = parts[2].to(at::kFloat).view({B, G, N}).repeat_interleave(H / G, 1);

    auto [dt, A] = timeSteps(c, w, p.dt);                         // [B, H], [H]
    at::Tensor dA = at::exp(dt * A).view({B, H, 1, 1});
    state.ssm = state.ssm * dA + (x * dt.unsqueeze(-1)).unsqueeze(-1) * Bh.unsqueeze(2);
    at::Tensor y = at::matmul(state.ssm, Ch.unsqueeze(-1)).squeeze(-1);  // [B, H, P]
    return outProjection(w, skipGatedNorm(c, w, y, x, p.z));
}

bool fusedStepAvailable(const Mamba2Config& c, const Mamba2LayerWeights& w, const at::Tensor& u) {
#ifdef SSMLENS_FUSED_CUDA
    return fused::fusedAvailable(u) && fused::mixerStepSupported(fusedStepWeights(c, w), w.inProj.scalar_type());
#else
    (void)c, (void)w, (void)u;
    return false;
#endif
}

at::Tensor mixerStepFused(const Mamba2Config& c, const Mamba2LayerWeights& w, const at::Tensor& u, LayerState& state,
                          at::Tensor& sync) {
    if (!fusedStepAvailable(c, w, u))
        throw Error("the fused decode step needs a CUDA tensor in fp32, bf16 or fp16 and a build with the CUDA kernels "
                    "for this GPU");
#ifdef SSMLENS_FUSED_CUDA
    startStateIfEmpty(c, state, u);
    // The kernel takes contiguous states (a prefill's final SSM state may be a strided view): made so once, in
    // place of the cache's tensors, so later steps (and graphs) see the same storage.
    if (!state.conv.is_contiguous()) state.conv = state.conv.contiguous();
    if (!state.ssm.is_contiguous()) state.ssm = state.ssm.contiguous();
    at::Tensor zxbcdt = w.inProjBias.defined() ? at::linear(u, w.inProj, w.inProjBias) : at::linear(u, w.inProj);
    return outProjection(w, fused::mixerStep(zxbcdt, state.conv, state.ssm, fusedStepWeights(c, w), sync));
#else
    (void)state, (void)sync;
    return {};
#endif
}

}  // namespace ssmlens
