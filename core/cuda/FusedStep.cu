// The decode step of one mixer after its in_proj, in one kernel (FusedKernels.h: mixerStep). Decoding one token
// per sequence, the ATen step queues about twenty small kernels per layer, and the host, not the GPU, sets the
// pace; this kernel does their work in one launch, so that a whole model step is a handful of launches per
// layer (norm, in_proj, this, out_proj), which a CUDA graph then replays (core/model/Decoder.cpp).
//
// Blocks: one per (batch row b, head h, tile of kRows channels p of that head). Each block
//  1. computes the conv + SiLU of the new input for its own x channels (and shifts their conv state, which no
//     other block reads) and for all B and C channels of its group (which every block of the group reads),
//  2. advances its rows of the SSM state, s = s * exp(dt A) + (x dt) B, and takes y = s . C, the skip term
//     x D and the gate silu(z), writing g = (y + x D) silu(z) to a scratch row and the sum of g^2 of its
//     rows to one slot per block,
//  3. counts itself in the group's counter; the last block of the group (all others have read the shared
//     B and C conv states and written their g by then) shifts the group's B and C conv states, adds the
//     blocks' sums in a fixed order (so the result does not depend on which block came last), applies the
//     norm to the group's channels and sets the counter back to zero for the next launch.
#include "core/cuda/FusedKernels.h"

#include "core/cuda/FusedCommon.cuh"

namespace ssmlens::fused {
namespace {

constexpr int kWarps = 4;
constexpr int kThreads = kWarps * 32;
constexpr int kRowsPerWarp = 4;
constexpr int kRows = kWarps * kRowsPerWarp;  // channels p of one head per block
constexpr int kColumnsPerLane = 4;             // state columns n per lane and pass (128 per warp)

template <typename T>
struct StepArgs {
    const T* zx;  // [B, ldzx]: z [Di], xBC [C], dt [H] of each row
    int64_t ldzx;
    T* conv;     // [B, C, K - 1]
    float* ssm;  // [B, H, P, N]
    const T* convW;  // [C, K]
    const T* convB;  // [C] or null
    const float* dtBias;
    const float* aLog;
    const float* d;  // [H] or [Di]
    bool dPerChannel;
    const T* normW;  // [Di]
    T* out;          // [B, Di]
    float* gated;    // scratch [B, Di]
    float* partial;  // scratch [B, G, blocks per group]
    int* sync;       // [B, G]
    int H, P, N, G, K, Di, C, tiles;
    bool clamp;
    float lo, hi, eps;
};

// conv + SiLU of channel c at the new position: bias first, then the taps oldest first, the order of the
// prefill's conv kernels (core/cuda/FusedMixer.cu), and the same roundings.
template <typename T>
__device__ __forceinline__ float convSiluOfNewInput(const StepArgs<T>& a, const T* conv, const T* xBC, int c) {
    const int past = a.K - 1;
    float acc = a.convB ? static_cast<float>(a.convB[c]) : 0.f;
    for (int k = 0; k < past; ++k)
        acc += static_cast<float>(a.convW[c * a.K + k]) * static_cast<float>(conv[c * past + k]);
    acc += static_cast<float>(a.convW[c * a.K + past]) * static_cast<float>(xBC[c]);
    return detail::convSiluRounded<T>(acc);
}

// Drops the oldest of channel c's K - 1 remembered inputs and appends the new one.
template <typename T>
__device__ __forceinline__ void shiftConvState(T* conv, const T* xBC, int c, int past) {
    T* s = conv + c * past;
    for (int k = 0; k + 1 < past; ++k) s[k] = s[k + 1];
    if (past > 0) s[past - 1] = xBC[c];
}

template <typename T>
__global__ void __launch_bounds__(kThreads) mixerStepKernel(const StepArgs<T> a) {
    extern __shared__ float shared[];  // after conv + SiLU: x of the block's rows [kRows], B [N], C [N]
    float* xs = shared;
    float* Bs = shared + kRows;
    float* Cs = Bs + a.N;
    __shared__ float dtShared, decayShared;
    __shared__ int lastShared;

    const int b = blockIdx.y, h = blockIdx.x / a.tiles, tile = blockIdx.x % a.tiles;
    const int headsPerGroup = a.H / a.G, g = h / headsPerGroup;
    const int p0 = tile * kRows, rows = min(kRows, a.P - p0);
    const T* zx = a.zx + b * a.ldzx;
    const T* xBC = zx + a.Di;
    T* conv = a.conv + static_cast<int64_t>(b) * a.C * (a.K - 1);
    const int bChannels = a.Di + g * a.N, cChannels = a.Di + (a.G + g) * a.N;

    // 1. conv + SiLU of the new input.
    for (int j = threadIdx.x; j < rows + 2 * a.N; j += blockDim.x) {
        if (j < rows) {
            const int c = h * a.P + p0 + j;
            xs[j] = convSiluOfNewInput(a, conv, xBC, c);
            shiftConvState(conv, xBC, c, a.K - 1);  // this block's own channel: read above, by this thread
        } else if (j < rows + a.N) {
            Bs[j - rows] = convSiluOfNewInput(a, conv, xBC, bChannels + j - rows);
        } else {
            Cs[j - rows - a.N] = convSiluOfNewInput(a, conv, xBC, cChannels + j - rows - a.N);
        }
    }
    if (threadIdx.x == 0) {
        const float dt = detail::timeStep(static_cast<float>(zx[a.Di + a.C + h]), a.dtBias[h], a.clamp, a.lo, a.hi);
        dtShared = dt;
        decayShared = expf(__fmul_rn(dt, -expf(a.aLog[h])));  // exp(dt * A), A = -exp(A_log), as the ATen step
    }
    __syncthreads();

    // 2. State update and output. Every product and sum of the update is rounded on its own (__fmul_rn /
    // __fadd_rn: no fused multiply-add), as the ATen step's separate operators round them: from the same x, dt,
    // B and state, the same new state. y = s . C sums in another order than ATen's product.
    const float dt = dtShared, decay = decayShared;
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    float* ssm = a.ssm + ((static_cast<int64_t>(b) * a.H + h) * a.P + p0) * a.N;
    float y[kRowsPerWarp], xdt[kRowsPerWarp];
#pragma unroll
    for (int r = 0; r < kRowsPerWarp; ++r) {
        const int row = warp + r * kWarps;
        y[r] = 0.f;
        xdt[r] = row < rows ? __fmul_rn(xs[row], dt) : 0.f;
    }
    for (int n0 = 0; n0 < a.N; n0 += 32 * kColumnsPerLane) {
        float s[kRowsPerWarp][kColumnsPerLane];  // all loads of the pass first, then the arithmetic
#pragma unroll
        for (int r = 0; r < kRowsPerWarp; ++r) {
            const int row = warp + r * kWarps;
#pragma unroll
            for (int j = 0; j < kColumnsPerLane; ++j) {
                const int n = n0 + lane + 32 * j;
                s[r][j] = row < rows && n < a.N ? ssm[static_cast<int64_t>(row) * a.N + n] : 0.f;
            }
        }
#pragma unroll
        for (int r = 0; r < kRowsPerWarp; ++r) {
            const int row = warp + r * kWarps;
#pragma unroll
            for (int j = 0; j < kColumnsPerLane; ++j) {
                const int n = n0 + lane + 32 * j;
                if (row >= rows || n >= a.N) continue;
                const float v = __fadd_rn(__fmul_rn(s[r][j], decay), __fmul_rn(xdt[r], Bs[n]));
                ssm[static_cast<int64_t>(row) * a.N + n] = v;
                y[r] += v * Cs[n];
            }
        }
    }
    float squares = 0.f;
#pragma unroll
    for (int r = 0; r < kRowsPerWarp; ++r) {
        float yr = y[r];
        for (int o = 16; o > 0; o >>= 1) yr += __shfl_xor_sync(0xffffffffu, yr, o);
        const int row = warp + r * kWarps;
        if (lane != 0 || row >= rows) continue;
        const int ch = h * a.P + p0 + row;
        // The skip term and the gate as the gated norm kernel computes them (core/cuda/FusedNorms.cu).
        float v = yr;
        v += __fmul_rn(xs[row], a.d[a.dPerChannel ? ch : h]);
        const float zf = static_cast<float>(zx[ch]);
        const float gv = v * (zf / (1.f + expf(-zf)));
        a.gated[static_cast<int64_t>(b) * a.Di + ch] = gv;
        squares += gv * gv;
    }
    const float blockSquares = detail::blockSum(squares);
    const int blocksPerGroup = headsPerGroup * a.tiles;
    const int64_t group = static_cast<int64_t>(b) * a.G + g;
    if (threadIdx.x == 0) a.partial[group * blocksPerGroup + (h - g * headsPerGroup) * a.tiles + tile] = blockSquares;

    // 3. Count the block in. Each thread's fence makes its writes (g, the partial sum, its conv channels)
    // visible to every block before the count can be seen; the last block's fence orders its reads after it.
    __threadfence();
    __syncthreads();
    if (threadIdx.x == 0) lastShared = atomicAdd(a.sync + group, 1) == blocksPerGroup - 1;
    __syncthreads();
    if (!lastShared) return;
    __threadfence();

    // 4. The group's last block: the shared conv channels, then the norm. Reads of other blocks' writes go
    // through L2 (__ldcg), never a stale L1 line.
    for (int j = threadIdx.x; j < 2 * a.N; j += blockDim.x)
        shiftConvState(conv, xBC, j < a.N ? bChannels + j : cChannels + j - a.N, a.K - 1);
    float total = 0.f;
    for (int i = threadIdx.x; i < blocksPerGroup; i += blockDim.x)
        total += __ldcg(a.partial + group * blocksPerGroup + i);
    total = detail::blockSum(total);  // the barriers of step 3 separate this call from the first
    const int n = a.Di / a.G;
    const float rstd = rsqrtf(total / static_cast<float>(n) + a.eps);
    const int64_t rowBase = static_cast<int64_t>(b) * a.Di;
    for (int c = g * n + threadIdx.x; c < (g + 1) * n; c += blockDim.x)
        a.out[rowBase + c] =
            static_cast<T>(__fmul_rn(__ldcg(a.gated + rowBase + c), rstd) * static_cast<float>(a.normW[c]));
    if (threadIdx.x == 0) a.sync[group] = 0;  // ready for the next launch
}

int64_t sharedBytes(int64_t dState) { return (kRows + 2 * dState) * static_cast<int64_t>(sizeof(float)); }

}  // namespace

bool mixerStepSupported(const MixerStepWeights& w, at::ScalarType modelType) {
    if (modelType != at::kFloat && modelType != at::kBFloat16 && modelType != at::kHalf) return false;
    if (w.heads <= 0 || w.headdim <= 0 || w.groups <= 0 || w.dState <= 0 || w.heads % w.groups != 0) return false;
    if (!w.convWeight.defined() || w.convWeight.dim() != 3 || w.convWeight.size(-1) < 1) return false;
    const int64_t di = w.heads * w.headdim, c = di + 2 * w.groups * w.dState;
    // 32-bit channel indices in the kernel; the block's conv outputs in 48 KiB of shared memory.
    return c * w.convWeight.size(-1) < (int64_t(1) << 31) && sharedBytes(w.dState) <= 48 * 1024;
}

at::Tensor mixerStep(const at::Tensor& zxbcdt, at::Tensor& convState, at::Tensor& ssmState, const MixerStepWeights& w,
                     at::Tensor& sync) {
    c10::cuda::CUDAGuard guard(zxbcdt.device());
    const at::ScalarType type = zxbcdt.scalar_type();
    TORCH_CHECK(mixerStepSupported(w, type), "mixerStep: unsupported shape or dtype ", type);
    const int64_t H = w.heads, P = w.headdim, G = w.groups, N = w.dState, Di = H * P, C = Di + 2 * G * N;
    const int64_t K = w.convWeight.size(-1);
    TORCH_CHECK(zxbcdt.dim() == 2 && zxbcdt.size(1) == Di + C + H && zxbcdt.stride(1) == 1, "mixerStep: zxbcdt ",
                zxbcdt.sizes(), " for ", Di + C + H, " in_proj outputs");
    const int64_t B = zxbcdt.size(0);
    TORCH_CHECK(convState.sizes() == at::IntArrayRef({B, C, K - 1}) && convState.is_contiguous() &&
                    convState.scalar_type() == type && convState.device() == zxbcdt.device(),
                "mixerStep: conv state ", convState.sizes(), " ", convState.scalar_type());
    TORCH_CHECK(ssmState.sizes() == at::IntArrayRef({B, H, P, N}) && ssmState.is_contiguous() &&
                    ssmState.scalar_type() == at::kFloat && ssmState.device() == zxbcdt.device(),
                "mixerStep: SSM state ", ssmState.sizes(), " ", ssmState.scalar_type());
    TORCH_CHECK(sync.scalar_type() == at::kInt && sync.numel() == B * G && sync.is_contiguous() &&
                    sync.device() == zxbcdt.device(),
                "mixerStep: sync counters ", sync.sizes(), " for ", B * G);
    TORCH_CHECK(B <= 65535, "mixerStep: batch of ", B, " (at most 65535)");
    // No copies for weights already in these dtypes and layouts (the model's are): nothing is queued.
    const at::Tensor convW = w.convWeight.to(type).contiguous();
    const at::Tensor convB = w.convBias.defined() ? w.convBias.to(type).contiguous() : at::Tensor();
    const at::Tensor dtBias = w.dtBias.to(at::kFloat).contiguous(), aLog = w.aLog.to(at::kFloat).contiguous();
    const at::Tensor d = w.d.to(at::kFloat).contiguous(), normW = w.normWeight.to(type).contiguous();
    TORCH_CHECK(convW.numel() == C * K && (!convB.defined() || convB.numel() == C), "mixerStep: conv weight ",
                convW.sizes(), " for ", C, " channels");
    TORCH_CHECK(dtBias.numel() == H && aLog.numel() == H && (d.numel() == H || d.numel() == Di) && normW.numel() == Di,
                "mixerStep: dt_bias ", dtBias.numel(), ", A_log ", aLog.numel(), ", D ", d.numel(), ", norm ",
                normW.numel(), " for ", H, " heads of ", P);
    at::Tensor out = at::empty({B, Di}, zxbcdt.options());
    if (B == 0) return out;
    const int64_t tiles = (P + kRows - 1) / kRows;
    at::Tensor gated = at::empty({B, Di}, zxbcdt.options().dtype(at::kFloat));
    at::Tensor partial = at::empty({B * G * (H / G) * tiles}, zxbcdt.options().dtype(at::kFloat));
    const dim3 grid(static_cast<unsigned>(H * tiles), static_cast<unsigned>(B));
    auto stream = c10::cuda::getCurrentCUDAStream();
    detail::dispatchModelType(type, "mixerStep", [&](auto tag) {
        using T = decltype(tag);
        StepArgs<T> a;
        a.zx = zxbcdt.data_ptr<T>();
        a.ldzx = zxbcdt.stride(0);
        a.conv = convState.data_ptr<T>();
        a.ssm = ssmState.data_ptr<float>();
        a.convW = convW.data_ptr<T>();
        a.convB = convB.defined() ? convB.data_ptr<T>() : nullptr;
        a.dtBias = dtBias.data_ptr<float>();
        a.aLog = aLog.data_ptr<float>();
        a.d = d.data_ptr<float>();
        a.dPerChannel = d.numel() == Di && Di != H;
        a.normW = normW.data_ptr<T>();
        a.out = out.data_ptr<T>();
        a.gated = gated.data_ptr<float>();
        a.partial = partial.data_ptr<float>();
        a.sync = sync.data_ptr<int>();
        a.H = static_cast<int>(H);
        a.P = static_cast<int>(P);
        a.N = static_cast<int>(N);
        a.G = static_cast<int>(G);
        a.K = static_cast<int>(K);
        a.Di = static_cast<int>(Di);
        a.C = static_cast<int>(C);
        a.tiles = static_cast<int>(tiles);
        a.clamp = w.clampDt;
        a.lo = static_cast<float>(w.dtMin);
        a.hi = static_cast<float>(w.dtMax);
        a.eps = static_cast<float>(w.normEps);
        mixerStepKernel<T><<<grid, kThreads, sharedBytes(N), stream>>>(a);
        C10_CUDA_KERNEL_LAUNCH_CHECK();
    });
    return out;
}

}  // namespace ssmlens::fused
