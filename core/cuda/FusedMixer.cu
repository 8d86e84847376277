// Fused elementwise parts of the mixer: the time steps (+ decay rates) and the causal depthwise conv + SiLU.
// One thread per output element (the K = 4 conv: per channel or pair of channels and run of rows); neighbouring
// threads take neighbouring channels, so reads are coalesced. The conv's channel-pair kernel can also take the
// time steps of its rows (causalConvSiluAndTimeSteps): both read the in-projection's rows of the same tokens, and
// a kernel of their own was one launch per layer of ~3.5 us whatever the length (a 130m layer at L 2048 and at
// ~1470 tokens alike: docs/results/step-next-norm-h100-2026-12-07.md), a fixed cost that the reduced pass pays
// as fully as the dense one.
#include "core/cuda/FusedKernels.h"

#include "core/cuda/FusedCommon.cuh"
#include "core/cuda/LaunchOverlap.cuh"

#include <cstdint>
#include <tuple>
#include <type_traits>

namespace ssmlens::fused {
namespace {

using detail::RowView;

// dt[row, h] = softplus(raw[row, h] + bias[h]) (clamped to [lo, hi]); threads h < H also write A[h]. The conv's
// channel-pair kernel computes the same values with the same expressions (timeStepsOfRun below).
template <typename t_t>
__global__ void timeStepsKernel(const t_t* __restrict__ raw, RowView rv, const float* __restrict__ bias,
                                const float* __restrict__ aLog, float* __restrict__ dt, float* __restrict__ A,
                                int64_t total, int64_t H, bool clamp, float lo, float hi) {
    followPreviousKernel();  // before any global memory access (LaunchOverlap.cuh)
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i < H) A[i] = -expf(aLog[i]);
    if (i >= total) return;
    const int64_t row = i / H, h = i % H;
    dt[i] = detail::timeStep(static_cast<float>(raw[rv.at(row, h)]), bias[h], clamp, lo, hi);
}

// out[row, c] = silu(bias[c] + sum_k w[c, k] * x[row - K + 1 + k, c]), zero input before each sequence's start.
// Rounded to x_t after the conv and after the SiLU (the ATen path stores both in the model dtype), so storing
// it as o_t (fp32 or x_t) loses nothing.
template <typename x_t, typename o_t>
__global__ void causalConvSiluKernel(const x_t* __restrict__ x, RowView xv, const x_t* __restrict__ w,
                                     const x_t* __restrict__ bias, o_t* __restrict__ out, int64_t total, int64_t C,
                                     int K) {
    followPreviousKernel();  // before any global memory access (LaunchOverlap.cuh)
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= total) return;
    const int64_t row = i / C, c = i % C, l = row % xv.L;
    float acc = bias ? static_cast<float>(bias[c]) : 0.f;  // bias first, taps oldest first, as ATen's depthwise conv
    for (int k = 0; k < K; ++k) {
        const int64_t back = K - 1 - k;  // steps into the past
        if (l >= back) acc += static_cast<float>(w[c * K + k]) * static_cast<float>(x[xv.at(row - back, c)]);
    }
    out[i] = static_cast<o_t>(detail::convSiluRounded<x_t>(acc));
}

// The common case K = 4 (every published Mamba-2): one thread per channel and run of kConvRows positions, the
// three inputs before the current one kept in registers as the run slides along, so each input is read about
// once and no index needs a division. Same sums in the same order as the kernel above (a zero input adds +0).
constexpr int kConvRows = 16;
constexpr int kConvThreads = 128;

template <typename x_t, typename o_t>
__global__ void causalConv4SiluKernel(const x_t* __restrict__ x, int64_t sb, int64_t sl, int64_t sc,
                                      const x_t* __restrict__ w, const x_t* __restrict__ bias,
                                      o_t* __restrict__ out, int64_t L, int64_t C) {
    followPreviousKernel();  // before any global memory access (LaunchOverlap.cuh)
    const int64_t c = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (c >= C) return;
    const int64_t l0 = static_cast<int64_t>(blockIdx.y) * kConvRows, b = blockIdx.z;
    const x_t* xc = x + b * sb + c * sc;
    const float w0 = static_cast<float>(w[c * 4]), w1 = static_cast<float>(w[c * 4 + 1]);
    const float w2 = static_cast<float>(w[c * 4 + 2]), w3 = static_cast<float>(w[c * 4 + 3]);
    const float b0 = bias ? static_cast<float>(bias[c]) : 0.f;
    float x0 = l0 >= 3 ? static_cast<float>(xc[(l0 - 3) * sl]) : 0.f;
    float x1 = l0 >= 2 ? static_cast<float>(xc[(l0 - 2) * sl]) : 0.f;
    float x2 = l0 >= 1 ? static_cast<float>(xc[(l0 - 1) * sl]) : 0.f;
    const int64_t end = l0 + kConvRows < L ? l0 + kConvRows : L;
    o_t* o = out + b * L * C + c;
    for (int64_t l = l0; l < end; ++l) {
        const float x3 = static_cast<float>(xc[l * sl]);
        float acc = b0;
        acc += w0 * x0;
        acc += w1 * x1;
        acc += w2 * x2;
        acc += w3 * x3;
        o[l * C] = static_cast<o_t>(detail::convSiluRounded<x_t>(acc));
        x0 = x1;
        x1 = x2;
        x2 = x3;
    }
}

// The same conv for two neighbouring channels per thread (4- or 8-byte accesses: a warp moves whole 128-byte
// lines), with every input of the run (kConvRows + 3 rows) requested before the first sum, so the loads of a
// thread are in flight together instead of one after another. Same sums in the same order as the kernels above.
// Taken where the layout allows it (channels contiguous and even in number, rows and start aligned to a pair).
constexpr int kConvPairThreads = 128;  // 256 channels per block

// Two neighbouring values as they are in memory (16-bit types: one 32-bit word, low half first), and as fp32
// (16-bit types through their bits and c10's own conversion); two fp32 values stored as o_t.
template <typename x_t> using RawPair = std::conditional_t<sizeof(x_t) == 2, unsigned, float2>;
template <typename x_t> __device__ __forceinline__ RawPair<x_t> loadRawPair(const x_t* p) {
    if constexpr (sizeof(x_t) == 2) return __ldg(reinterpret_cast<const unsigned*>(p));
    else return __ldg(reinterpret_cast<const float2*>(p));
}
template <typename x_t> __device__ __forceinline__ float2 unpackPair(RawPair<x_t> v) {
    if constexpr (sizeof(x_t) == 2) {
        const x_t lo(static_cast<unsigned short>(v & 0xffffu), x_t::from_bits()),
            hi(static_cast<unsigned short>(v >> 16), x_t::from_bits());
        return make_float2(static_cast<float>(lo), static_cast<float>(hi));
    } else {
        return v;
    }
}
template <typename o_t> __device__ __forceinline__ void storePair(o_t* p, float a, float b) {
    if constexpr (sizeof(o_t) == 2) {
        const o_t lo = static_cast<o_t>(a), hi = static_cast<o_t>(b);
        *reinterpret_cast<unsigned*>(p) = static_cast<unsigned>(lo.x) | (static_cast<unsigned>(hi.x) << 16);
    } else {
        *reinterpret_cast<float2*>(p) = make_float2(a, b);
    }
}

// Heads up to which the conv's kernel takes the time steps (published Mamba-2: 24 to 128): a run's rows x heads
// then stay far inside 32-bit indices.
constexpr int64_t kMaxHeadsInConv = 1 << 16;

// The time steps a conv launch computes besides the conv (raw == nullptr: none): dt [B, L, H] fp32 contiguous from
// raw [B, L, H] (strides sb, sl, sh), and A [H].
template <typename t_t>
struct TimeStepsInConv {
    const t_t* raw = nullptr;
    int64_t sb = 0, sl = 0, sh = 0;
    const float* bias = nullptr;
    const float* aLog = nullptr;
    float* dt = nullptr;
    float* A = nullptr;
    int H = 0;
    bool clamp = false;
    float lo = 0.f, hi = 0.f;
};

// The time steps of the run of rows [l0, l0 + kConvRows) of sequence b, shared by the blocks of the run (the conv
// grid's x dimension); the first block of the grid also writes A. The expressions of timeStepsKernel.
template <typename t_t>
__device__ void timeStepsOfRun(const TimeStepsInConv<t_t>& ts, int64_t l0, int64_t rows, int64_t L, int64_t b) {
    const int n = static_cast<int>(rows) * ts.H;  // at most kConvRows x kMaxHeadsInConv: 32-bit indices
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        const int64_t l = l0 + i / ts.H;
        const int h = i % ts.H;
        ts.dt[(b * L + l) * ts.H + h] = detail::timeStep(static_cast<float>(ts.raw[b * ts.sb + l * ts.sl + h * ts.sh]),
                                                         ts.bias[h], ts.clamp, ts.lo, ts.hi);
    }
    if (blockIdx.x == 0 && blockIdx.y == 0 && blockIdx.z == 0)
        for (int h = threadIdx.x; h < ts.H; h += blockDim.x) ts.A[h] = -expf(ts.aLog[h]);
}

template <typename x_t, typename o_t>
__global__ void causalConv4SiluPairsKernel(const x_t* __restrict__ x, int64_t sb, int64_t sl, const x_t* __restrict__ w,
                               const x_t* __restrict__ bias, o_t* __restrict__ out, int64_t L, int64_t C,
                               TimeStepsInConv<x_t> ts) {
    followPreviousKernel();  // before any global memory access (LaunchOverlap.cuh)
    const int64_t c = (static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x) * 2;
    const int64_t l0 = static_cast<int64_t>(blockIdx.y) * kConvRows, b = blockIdx.z;
    const bool convThread = c < C;
    const x_t* xc = x + b * sb + (convThread ? c : 0);
    float wa[4] = {}, wb[4] = {};  // the taps of channels c and c + 1
    float ba = 0.f, bb = 0.f;
    // Inputs l0 - 3 .. l0 + kConvRows - 1, all requested before the first sum (zeros before the sequence's start
    // and past its end, never used), kept as loaded and converted once each as the window slides.
    RawPair<x_t> in[kConvRows + 3];
    if (convThread) {
#pragma unroll
        for (int k = 0; k < 4; ++k) {
            wa[k] = static_cast<float>(w[c * 4 + k]);
            wb[k] = static_cast<float>(w[(c + 1) * 4 + k]);
        }
        ba = bias ? static_cast<float>(bias[c]) : 0.f;
        bb = bias ? static_cast<float>(bias[c + 1]) : 0.f;
#pragma unroll
        for (int r = 0; r < kConvRows + 3; ++r) {
            const int64_t l = l0 - 3 + r;
            in[r] = l >= 0 && l < L ? loadRawPair(xc + l * sl) : RawPair<x_t>{};
        }
    }
    // The time steps while this thread's conv inputs are on their way.
    if (ts.raw != nullptr) timeStepsOfRun(ts, l0, L - l0 < kConvRows ? L - l0 : kConvRows, L, b);
    if (!convThread) return;
    float2 x0 = unpackPair<x_t>(in[0]), x1 = unpackPair<x_t>(in[1]), x2 = unpackPair<x_t>(in[2]);
    o_t* o = out + b * L * C + c;
#pragma unroll
    for (int r = 0; r < kConvRows; ++r) {
        const int64_t l = l0 + r;
        if (l >= L) break;
        const float2 x3 = unpackPair<x_t>(in[r + 3]);
        float acc = ba;  // as causalConv4SiluKernel: bias, then the taps oldest first
        acc += wa[0] * x0.x;
        acc += wa[1] * x1.x;
        acc += wa[2] * x2.x;
        acc += wa[3] * x3.x;
        float acc2 = bb;
        acc2 += wb[0] * x0.y;
        acc2 += wb[1] * x1.y;
        acc2 += wb[2] * x2.y;
        acc2 += wb[3] * x3.y;
        x0 = x1;
        x1 = x2;
        x2 = x3;
        storePair(o + l * C, detail::convSiluRounded<x_t>(acc), detail::convSiluRounded<x_t>(acc2));
    }
}

// Whether causalConv4SiluPairsKernel takes x [B, L, C] with these strides (elements) at this address: channels
// contiguous and even in number, every row's start aligned to a pair. Measured against causalConv4SiluKernel in
// one call (H100, 2026-12-06, docs/results/conv-pairs-h100-2026-12-06.md): 159 against 209 us per 2.7b layer at
// L 2048 batch 8, 9.9 against 11.2 us per 130m layer of the reduced pass at L 2048.
bool convPairsFit(const void* data, int64_t elementSize, int64_t sb, int64_t sl, int64_t sc, int64_t C) {
    const int64_t pairBytes = 2 * elementSize;
    return sc == 1 && C % 2 == 0 && sb % 2 == 0 && sl % 2 == 0 &&
           reinterpret_cast<uintptr_t>(data) % static_cast<uintptr_t>(pairBytes) == 0;
}

constexpr int kThreads = 256;

unsigned blocksFor(int64_t total) { return static_cast<unsigned>((total + kThreads - 1) / kThreads); }

}  // namespace

std::pair<at::Tensor, at::Tensor> timeSteps(const at::Tensor& dtRaw, const at::Tensor& dtBias, const at::Tensor& aLog,
                                            bool clamp, double lo, double hi) {
    c10::cuda::CUDAGuard guard(dtRaw.device());
    at::Tensor bias = dtBias.to(at::kFloat).contiguous(), al = aLog.to(at::kFloat).contiguous();
    const int64_t H = dtRaw.size(-1), total = dtRaw.numel();
    TORCH_CHECK(bias.numel() == H && al.numel() == H, "timeSteps: ", H, " heads, dt_bias ", bias.numel(), ", A_log ",
                al.numel());
    at::Tensor dt = at::empty(dtRaw.sizes(), dtRaw.options().dtype(at::kFloat));
    at::Tensor A = at::empty({H}, al.options());
    if (H == 0) return {dt, A};
    const RowView rv = detail::rowView(dtRaw, "timeSteps");
    auto stream = c10::cuda::getCurrentCUDAStream();
    detail::dispatchModelType(dtRaw.scalar_type(), "timeSteps", [&](auto tag) {
        using t_t = decltype(tag);
        launchKernel(timeStepsKernel<t_t>, blocksFor(std::max(total, H)), kThreads, 0, layerLaunch(stream),
            dtRaw.data_ptr<t_t>(), rv, bias.data_ptr<float>(), al.data_ptr<float>(), dt.data_ptr<float>(),
            A.data_ptr<float>(), total, H, clamp, static_cast<float>(lo), static_cast<float>(hi));
    });
    return {dt, A};
}

namespace {

// The conv of causalConvSilu; with `steps` (dt and A allocated by the caller, raw in xBC's dtype) the time steps
// too where the channel-pair kernel runs. Returns whether it computed them.
struct TimeStepsRequest {
    const at::Tensor* raw;
    at::Tensor bias, aLog, dt, A;
    bool clamp;
    double lo, hi;
};
bool launchConv(const at::Tensor& xBC, const at::Tensor& weightIn, const at::Tensor& biasIn, at::Tensor& out,
                const TimeStepsRequest* steps) {
    const int64_t C = xBC.size(2), total = xBC.numel();
    at::Tensor w = weightIn.to(xBC.scalar_type()).contiguous();
    at::Tensor b = biasIn.defined() ? biasIn.to(xBC.scalar_type()).contiguous() : at::Tensor();
    TORCH_CHECK(w.dim() == 3 && w.size(0) == C && w.size(1) == 1, "causalConvSilu: weight ", w.sizes(), " for ", C,
                " channels");
    TORCH_CHECK(!b.defined() || b.numel() == C, "causalConvSilu: bias of ", b.numel(), " for ", C, " channels");
    const int K = static_cast<int>(w.size(2));
    if (total == 0) return false;
    const RowView xv = detail::rowView(xBC, "causalConvSilu");
    auto stream = c10::cuda::getCurrentCUDAStream();
    const bool pairs = K == 4 && convPairsFit(xBC.data_ptr(), xBC.element_size(), xBC.stride(0), xBC.stride(1),
                                              xBC.stride(2), C);
    detail::dispatchModelType(xBC.scalar_type(), "causalConvSilu", [&](auto tag) {
        using x_t = decltype(tag);
        auto launch = [&](auto outTag) {
            using o_t = decltype(outTag);
            if (pairs) {
                TimeStepsInConv<x_t> ts;
                if (steps) {
                    const at::Tensor& raw = *steps->raw;
                    ts.raw = raw.data_ptr<x_t>();
                    ts.sb = raw.stride(0);
                    ts.sl = raw.stride(1);
                    ts.sh = raw.stride(2);
                    ts.bias = steps->bias.data_ptr<float>();
                    ts.aLog = steps->aLog.data_ptr<float>();
                    ts.dt = steps->dt.data_ptr<float>();
                    ts.A = steps->A.data_ptr<float>();
                    ts.H = static_cast<int>(raw.size(2));
                    ts.clamp = steps->clamp;
                    ts.lo = static_cast<float>(steps->lo);
                    ts.hi = static_cast<float>(steps->hi);
                }
                const dim3 grid(static_cast<unsigned>((C / 2 + kConvPairThreads - 1) / kConvPairThreads),
                                static_cast<unsigned>((xBC.size(1) + kConvRows - 1) / kConvRows),
                                static_cast<unsigned>(xBC.size(0)));
                launchKernel(causalConv4SiluPairsKernel<x_t, o_t>, grid, kConvPairThreads, 0, layerLaunch(stream),
                    xBC.data_ptr<x_t>(), xBC.stride(0), xBC.stride(1), w.data_ptr<x_t>(),
                    b.defined() ? b.data_ptr<x_t>() : nullptr, out.data_ptr<o_t>(), xBC.size(1), C, ts);
            } else if (K == 4) {
                const dim3 grid(static_cast<unsigned>((C + kConvThreads - 1) / kConvThreads),
                                static_cast<unsigned>((xBC.size(1) + kConvRows - 1) / kConvRows),
                                static_cast<unsigned>(xBC.size(0)));
                launchKernel(causalConv4SiluKernel<x_t, o_t>, grid, kConvThreads, 0, layerLaunch(stream),
                    xBC.data_ptr<x_t>(), xBC.stride(0), xBC.stride(1), xBC.stride(2), w.data_ptr<x_t>(),
                    b.defined() ? b.data_ptr<x_t>() : nullptr, out.data_ptr<o_t>(), xBC.size(1), C);
            } else {
                launchKernel(causalConvSiluKernel<x_t, o_t>, blocksFor(total), kThreads, 0, layerLaunch(stream),
                    xBC.data_ptr<x_t>(), xv, w.data_ptr<x_t>(), b.defined() ? b.data_ptr<x_t>() : nullptr,
                    out.data_ptr<o_t>(), total, C, K);
            }
        };
        if (out.scalar_type() == xBC.scalar_type()) launch(x_t());
        else launch(float());
    });
    return pairs && steps != nullptr;
}

at::Tensor convOutput(const at::Tensor& xBC, bool inModelDtype) {
    TORCH_CHECK(xBC.dim() == 3, "causalConvSilu: expected [B, L, C], got ", xBC.sizes());
    return at::empty(xBC.sizes(), xBC.options().dtype(inModelDtype ? xBC.scalar_type() : at::kFloat));
}

}  // namespace

at::Tensor causalConvSilu(const at::Tensor& xBC, const at::Tensor& weightIn, const at::Tensor& biasIn,
                          bool inModelDtype) {
    c10::cuda::CUDAGuard guard(xBC.device());
    at::Tensor out = convOutput(xBC, inModelDtype);
    launchConv(xBC, weightIn, biasIn, out, nullptr);
    return out;
}

ConvAndTimeSteps causalConvSiluAndTimeSteps(const at::Tensor& xBC, const at::Tensor& weight, const at::Tensor& bias,
                                            bool inModelDtype, const at::Tensor& dtRaw, const at::Tensor& dtBias,
                                            const at::Tensor& aLog, bool clamp, double lo, double hi) {
    c10::cuda::CUDAGuard guard(xBC.device());
    ConvAndTimeSteps r;
    r.xBC = convOutput(xBC, inModelDtype);
    const bool together = dtRaw.dim() == 3 && dtRaw.size(0) == xBC.size(0) && dtRaw.size(1) == xBC.size(1) &&
                          dtRaw.scalar_type() == xBC.scalar_type() && dtRaw.device() == xBC.device() &&
                          dtRaw.size(2) > 0 && dtRaw.size(2) <= kMaxHeadsInConv;
    if (together) {
        TimeStepsRequest steps{&dtRaw, dtBias.to(at::kFloat).contiguous(), aLog.to(at::kFloat).contiguous(), {}, {},
                               clamp, lo, hi};
        const int64_t H = dtRaw.size(2);
        TORCH_CHECK(steps.bias.numel() == H && steps.aLog.numel() == H, "timeSteps: ", H, " heads, dt_bias ",
                    steps.bias.numel(), ", A_log ", steps.aLog.numel());
        steps.dt = at::empty(dtRaw.sizes(), dtRaw.options().dtype(at::kFloat));
        steps.A = at::empty({H}, steps.aLog.options());
        if (launchConv(xBC, weight, bias, r.xBC, &steps)) {
            r.dt = steps.dt;
            r.A = steps.A;
            return r;
        }
    } else {
        launchConv(xBC, weight, bias, r.xBC, nullptr);
    }
    // The conv took another kernel (or the shapes differ): the time steps' own kernel.
    std::tie(r.dt, r.A) = timeSteps(dtRaw, dtBias, aLog, clamp, lo, hi);
    return r;
}

}  // namespace ssmlens::fused
