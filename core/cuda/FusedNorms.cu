// Fused norms: the residual add + block RMSNorm, and the mixer's skip term + gated group RMSNorm.
// One block per row (per row and group for the gated norm). Each thread walks its elements twice: once for
// the sum of squares, once to write. Its first kCached elements are kept in registers between the two passes
// (the first pass's loads are then all independent, and the second reads nothing again); any further ones
// are computed again. The sums run in the same order either way.
#include "core/cuda/FusedKernels.h"

#include <ATen/core/grad_mode.h>
#include <atomic>

#include "core/cuda/FusedCommon.cuh"
#include "core/cuda/LaunchOverlap.cuh"
#include "core/runtime/KernelPaths.h"

namespace ssmlens::fused {
namespace {

using detail::RowView;

constexpr int kCached = 8;  // elements per thread kept in registers between the two passes

// r = float(h) + res (res alone without h); rOut = r (when given); out = r * rsqrt(mean(r^2) + eps) * w.
template <typename h_t, typename w_t>
__global__ void addRmsNormKernel(const h_t* __restrict__ h, const float* __restrict__ res, float* __restrict__ rOut,
                                 const w_t* __restrict__ w, w_t* __restrict__ out, int64_t D, float eps) {
    followPreviousKernel();  // before any global memory access (LaunchOverlap.cuh)
    const int64_t base = static_cast<int64_t>(blockIdx.x) * D;
    const int step = blockDim.x;
    auto r = [&](int64_t i) { return h ? static_cast<float>(h[base + i]) + res[base + i] : res[base + i]; };
    float kept[kCached];
    float ss = 0.f;
#pragma unroll
    for (int k = 0; k < kCached; ++k) {
        const int64_t i = threadIdx.x + static_cast<int64_t>(k) * step;
        kept[k] = i < D ? r(i) : 0.f;
        if (i < D && rOut) rOut[base + i] = kept[k];
        ss += kept[k] * kept[k];
    }
    for (int64_t i = threadIdx.x + static_cast<int64_t>(kCached) * step; i < D; i += step) {
        const float v = r(i);
        if (rOut) rOut[base + i] = v;
        ss += v * v;
    }
    const float rstd = rsqrtf(detail::blockSum(ss) / static_cast<float>(D) + eps);
#pragma unroll
    for (int k = 0; k < kCached; ++k) {
        const int64_t i = threadIdx.x + static_cast<int64_t>(k) * step;
        if (i < D) out[base + i] = static_cast<w_t>(__fmul_rn(kept[k], rstd) * static_cast<float>(w[i]));
    }
    for (int64_t i = threadIdx.x + static_cast<int64_t>(kCached) * step; i < D; i += step)
        out[base + i] = static_cast<w_t>(__fmul_rn(r(i), rstd) * static_cast<float>(w[i]));
}

// g = (y + x * d) * silu(z) over one group of channels [c0, c0 + n) of one row; out = g * rstd(g) * w.
// d holds one value per channel (dPerChannel) or per head of P channels. Channel indices are 32-bit
// (the launcher checks Di < 2^31): the per-head index c / P is then a cheap division.
template <typename y_t, typename z_t, typename w_t>
__global__ void gatedRmsNormKernel(const y_t* __restrict__ y, RowView yv, const float* __restrict__ x, RowView xv,
                                   const float* __restrict__ d, bool dPerChannel, int P, const z_t* __restrict__ z,
                                   RowView zv, const w_t* __restrict__ w, w_t* __restrict__ out, int64_t Di, int n,
                                   float eps) {
    followPreviousKernel();  // before any global memory access (LaunchOverlap.cuh)
    const int64_t row = blockIdx.x;
    const int c0 = blockIdx.y * n, end = c0 + n, step = blockDim.x;
    const int64_t yb = yv.rowBase(row), xb = x ? xv.rowBase(row) : 0, zb = zv.rowBase(row);
    auto g = [&](int c) {
        float v = static_cast<float>(y[yb + c * yv.sc]);
        // __fmul_rn keeps x * d a separate rounding (no fused multiply-add), as in the ATen expression.
        if (x) v += __fmul_rn(x[xb + c * xv.sc], d[dPerChannel ? c : c / P]);
        const float zf = static_cast<float>(z[zb + c * zv.sc]);
        return v * (zf / (1.f + expf(-zf)));
    };
    float kept[kCached];
    float ss = 0.f;
#pragma unroll
    for (int k = 0; k < kCached; ++k) {
        const int c = c0 + threadIdx.x + k * step;
        kept[k] = c < end ? g(c) : 0.f;
        ss += kept[k] * kept[k];
    }
    for (int c = c0 + threadIdx.x + kCached * step; c < end; c += step) {
        const float v = g(c);
        ss += v * v;
    }
    const float rstd = rsqrtf(detail::blockSum(ss) / static_cast<float>(n) + eps);
#pragma unroll
    for (int k = 0; k < kCached; ++k) {
        const int c = c0 + threadIdx.x + k * step;
        if (c < end) out[row * Di + c] = static_cast<w_t>(__fmul_rn(kept[k], rstd) * static_cast<float>(w[c]));
    }
    for (int c = c0 + threadIdx.x + kCached * step; c < end; c += step)
        out[row * Di + c] = static_cast<w_t>(__fmul_rn(g(c), rstd) * static_cast<float>(w[c]));
}

// The same without the skip term for rows of 16-bit y, z and weight (one type t_t) whose channels are
// contiguous and 16-byte aligned: each thread takes 8 neighbouring channels with one 16-byte load of y, one of z
// and one store (n / 8 threads per group). This is the mixer's path after the tensor-core scan (y with the skip
// term already in it); the scalar kernel above, with one 2-byte load per element, ran at a third of the memory
// bandwidth there. Only the order of the fp32 sum of squares differs from it.
template <typename t_t>
__global__ void gatedRmsNorm8Kernel(const t_t* __restrict__ y, RowView yv, const t_t* __restrict__ z, RowView zv,
                                    const t_t* __restrict__ w, t_t* __restrict__ out, int64_t Di, int n, float eps) {
    followPreviousKernel();  // before any global memory access (LaunchOverlap.cuh)
    const int64_t row = blockIdx.x;
    const int c = blockIdx.y * n + threadIdx.x * 8;
    const bool active = threadIdx.x * 8 < n;
    float g[8];
    float ss = 0.f;
    if (active) {
        const uint4 yr = __ldg(reinterpret_cast<const uint4*>(y + yv.rowBase(row) + c));
        const uint4 zr = __ldg(reinterpret_cast<const uint4*>(z + zv.rowBase(row) + c));
        const t_t* ye = reinterpret_cast<const t_t*>(&yr);
        const t_t* ze = reinterpret_cast<const t_t*>(&zr);
#pragma unroll
        for (int k = 0; k < 8; ++k) {
            const float zf = static_cast<float>(ze[k]);
            g[k] = static_cast<float>(ye[k]) * (zf / (1.f + expf(-zf)));
            ss += g[k] * g[k];
        }
    }
    const float rstd = rsqrtf(detail::blockSum(ss) / static_cast<float>(n) + eps);
    if (!active) return;
    const uint4 wr = __ldg(reinterpret_cast<const uint4*>(w + c));
    const t_t* we = reinterpret_cast<const t_t*>(&wr);
    uint4 o;
    t_t* oe = reinterpret_cast<t_t*>(&o);
#pragma unroll
    for (int k = 0; k < 8; ++k) oe[k] = static_cast<t_t>(__fmul_rn(g[k], rstd) * static_cast<float>(we[k]));
    *reinterpret_cast<uint4*>(out + row * Di + c) = o;
}

// Whether the rows of t (a [B, L, C] or [B, C] view) can be read 8 16-bit elements at a time.
bool rowsOf8(const at::Tensor& t, const RowView& v) {
    return t.element_size() == 2 && v.sc == 1 && v.sb % 8 == 0 && v.sl % 8 == 0 &&
           reinterpret_cast<uintptr_t>(t.data_ptr()) % 16 == 0;
}

}  // namespace

bool fusedAvailable(const at::Tensor& t) {
    if (!t.defined() || !t.is_cuda()) return false;
    // The kernels have no backward: while training (activations that require grad) the ATen code runs.
    if (t.requires_grad() && at::GradMode::is_enabled()) return false;
    if (!kernelPaths().cudaKernels) return false;  // the ATen path, for timing and checking both
    // Whether this build has code for the device (e.g. built for sm_90 but run on an older GPU): asked once per
    // device. 0 = not asked yet, 1 = yes, 2 = no.
    static std::atomic<int> known[64];
    const int dev = t.device().index() < 0 ? 0 : t.device().index();
    if (dev >= 64) return false;
    int k = known[dev].load(std::memory_order_relaxed);
    if (k == 0) {
        c10::cuda::CUDAGuard guard(t.device());
        cudaFuncAttributes attr{};
        k = cudaFuncGetAttributes(&attr, addRmsNormKernel<float, float>) == cudaSuccess ? 1 : 2;
        if (k == 2) (void)cudaGetLastError();  // clear the error so that ATen does not report it later
        known[dev].store(k, std::memory_order_relaxed);
    }
    return k == 1;
}

std::pair<at::Tensor, at::Tensor> addRmsNorm(const at::Tensor& hiddenIn, const at::Tensor& residualIn,
                                             const at::Tensor& weightIn, double eps) {
    c10::cuda::CUDAGuard guard(residualIn.device());
    at::Tensor res = residualIn.to(at::kFloat).contiguous(), w = weightIn.contiguous();
    at::Tensor h;
    if (hiddenIn.defined()) {
        TORCH_CHECK(hiddenIn.sizes() == residualIn.sizes(), "addRmsNorm: hidden ", hiddenIn.sizes(), " vs residual ",
                    residualIn.sizes());
        h = hiddenIn.contiguous();
        if (h.scalar_type() != w.scalar_type()) h = h.to(at::kFloat);  // kernels take h in w's dtype or fp32
    }
    const int64_t D = res.size(-1), rows = detail::rowCount(res);
    TORCH_CHECK(w.numel() == D, "addRmsNorm: weight has ", w.numel(), " entries for rows of ", D);
    at::Tensor r = h.defined() ? at::empty_like(res) : res;
    at::Tensor out = at::empty(res.sizes(), res.options().dtype(w.scalar_type()));
    if (rows == 0 || D == 0) return {r, out};
    auto stream = c10::cuda::getCurrentCUDAStream();
    detail::dispatchModelType(w.scalar_type(), "addRmsNorm", [&](auto wTag) {
        using w_t = decltype(wTag);
        auto launch = [&](auto hTag) {
            using h_t = decltype(hTag);
            launchKernel(addRmsNormKernel<h_t, w_t>, rows, detail::blockThreads(D), 0, layerLaunch(stream),
                h.defined() ? h.data_ptr<h_t>() : nullptr, res.data_ptr<float>(),
                h.defined() ? r.data_ptr<float>() : nullptr, w.data_ptr<w_t>(), out.data_ptr<w_t>(), D,
                static_cast<float>(eps));
        };
        if (h.defined() && h.scalar_type() == at::kFloat) launch(float());
        else launch(w_t());  // h in w's dtype, or no h at all
    });
    return {r, out};
}

at::Tensor gatedRmsNorm(const at::Tensor& yIn, const at::Tensor& xIn, const at::Tensor& dIn, const at::Tensor& zIn,
                        const at::Tensor& weightIn, int64_t groups, double eps) {
    c10::cuda::CUDAGuard guard(yIn.device());
    at::Tensor z = zIn, w = weightIn.contiguous();
    // y in fp32, or in the model dtype as the tensor-core scan writes it (with the skip term added, x undefined).
    at::Tensor y = yIn.scalar_type() == w.scalar_type() ? yIn : yIn.to(at::kFloat);
    const int64_t Di = y.size(-1), rows = detail::rowCount(y);
    TORCH_CHECK(z.sizes() == y.sizes(), "gatedRmsNorm: z ", z.sizes(), " vs y ", y.sizes());
    TORCH_CHECK(groups > 0 && Di % groups == 0 && w.numel() == Di, "gatedRmsNorm: ", Di, " channels, ", groups,
                " groups, weight of ", w.numel());
    at::Tensor x, d;
    if (xIn.defined()) {
        x = xIn.to(at::kFloat);
        d = dIn.to(at::kFloat).contiguous();
        TORCH_CHECK(x.sizes() == y.sizes(), "gatedRmsNorm: x ", x.sizes(), " vs y ", y.sizes());
        TORCH_CHECK(d.numel() > 0 && Di % d.numel() == 0, "gatedRmsNorm: D has ", d.numel(), " entries for ", Di);
    }
    at::Tensor out = at::empty(y.sizes(), y.options().dtype(w.scalar_type()));
    if (rows == 0 || Di == 0) return out;
    const RowView yv = detail::rowView(y, "gatedRmsNorm y"), zv = detail::rowView(z, "gatedRmsNorm z");
    const RowView xv = x.defined() ? detail::rowView(x, "gatedRmsNorm x") : RowView{0, 0, 0, 1};
    const bool dPerChannel = d.defined() && d.numel() == Di;
    TORCH_CHECK(Di < (int64_t(1) << 31), "gatedRmsNorm: ", Di, " channels");
    const int P = static_cast<int>(d.defined() ? Di / d.numel() : 1), n = static_cast<int>(Di / groups);
    auto stream = c10::cuda::getCurrentCUDAStream();
    if (!x.defined() && y.scalar_type() == w.scalar_type() && z.scalar_type() == w.scalar_type() && n % 8 == 0 &&
        n / 8 <= 1024 && rowsOf8(y, yv) && rowsOf8(z, zv) && reinterpret_cast<uintptr_t>(w.data_ptr()) % 16 == 0) {
        detail::dispatchModelType(w.scalar_type(), "gatedRmsNorm", [&](auto tag) {
            using t_t = decltype(tag);
            if constexpr (sizeof(t_t) == 2) {
                const int threads = (n / 8 + 31) / 32 * 32;
                launchKernel(gatedRmsNorm8Kernel<t_t>, dim3(rows, groups), threads, 0, layerLaunch(stream),
                    y.data_ptr<t_t>(), yv, z.data_ptr<t_t>(), zv, w.data_ptr<t_t>(), out.data_ptr<t_t>(), Di, n,
                    static_cast<float>(eps));
            }
        });
        return out;
    }
    detail::dispatchModelType(w.scalar_type(), "gatedRmsNorm", [&](auto wTag) {
        using w_t = decltype(wTag);
        detail::dispatchModelType(z.scalar_type(), "gatedRmsNorm", [&](auto zTag) {
            using z_t = decltype(zTag);
            auto launch = [&](auto yTag) {
                using y_t = decltype(yTag);
                launchKernel(gatedRmsNormKernel<y_t, z_t, w_t>, dim3(rows, groups), detail::blockThreads(n), 0,
                             layerLaunch(stream),
                y.data_ptr<y_t>(), yv, x.defined() ? x.data_ptr<float>() : nullptr, xv,
                d.defined() ? d.data_ptr<float>() : nullptr, dPerChannel, P, z.data_ptr<z_t>(), zv, w.data_ptr<w_t>(),
                out.data_ptr<w_t>(), Di, n, static_cast<float>(eps));
            };
            if (y.scalar_type() == at::kFloat) launch(float());
            else launch(w_t());
        });
    });
    return out;
}

}  // namespace ssmlens::fused
