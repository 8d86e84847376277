// The chunked SSD of core/model/SsdScan.h as one chunk-serial kernel (SerialSsd.h): one block per (head, slice
// of P channels, sequence) walks the sequence's chunks of kTile positions in order and keeps the head's state in
// fp32 registers from one chunk to the next. Per chunk it computes, on tensor cores (SsdTiles.cuh):
//
//   scores  C_i . B_j for the chunk's positions (the [64 x N] x [N x 64] product; only j <= i is used),
//   y_i   = sum_{j <= i} scores_ij exp(aCum_i - aCum_j) dt_j x_j + exp(aCum_i) C_i . S_in,
//   S_out = exp(aCum_end) S_in + sum_j exp(aCum_end - aCum_j) dt_j x_j (outer) B_j,
//
// with aCum the inclusive sum of dt * A inside the chunk. The same arithmetic as the chunk-parallel kernels of
// FusedSsd.cu (operands rounded to the model's 16-bit type, fp32 accumulation, fp32 decays at most 1), but the
// chunk states never leave the multiprocessor: the parallel kernels write every chunk's state in fp32 and read
// it back, then write and read it again rounded, which for a wide model at batch 8 is more memory traffic than
// x and y together. What the serial form gives up is parallelism across chunks: a sequence's chunks are one
// block's loop, so it pays where batch x heads alone fill the GPU (ssdSerialPays says when).
#include "core/cuda/SerialSsd.cuh"

#include "core/cuda/FusedKernels.h"

#include <algorithm>

#include <ATen/ops/empty.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

namespace ssmlens::fused::ssd {
namespace {

constexpr int kSliceP = 64;         // channels of P per block: the state slice is [kSliceP x N]
constexpr int kMaxStateN = 128;     // the largest N: the state slice lives in kStateFragsPerWarp tiles per warp
constexpr int kStateFragsPerWarp = (kSliceP / 16) * (kMaxStateN / 16) / kWarps;  // 4
constexpr int kOutFragsPerWarp = (kTile / 16) * (kSliceP / 16) / kWarps;          // 2: the [64 x PS] output
constexpr int kScoreFragsPerWarp = (kTile / 16) * (kTile / 16) / kWarps;           // 2: the [64 x 64] scores

// cp.async of 16 bytes into shared memory; srcBytes 0 writes zeros (rows past the end of the sequence).
__device__ __forceinline__ void copyAsync16(void* smem, const void* gmem, int srcBytes) {
    const unsigned s = static_cast<unsigned>(__cvta_generic_to_shared(smem));
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(s), "l"(gmem), "r"(srcBytes));
}
__device__ __forceinline__ void waitAsyncCopies() { asm volatile("cp.async.wait_all;\n" ::); }
__device__ __forceinline__ void prefetchL2(const void* p) { asm volatile("prefetch.global.L2 [%0];\n" ::"l"(p)); }

// Asks L2 for the next chunk's rows (every 128-byte line of `rows` rows of `bytes` bytes) while this chunk is
// computed, so that its copies find them there instead of waiting for device memory.
__device__ __forceinline__ void prefetchRows(const void* src, int64_t strideBytes, int rows, int bytes, int64_t valid) {
    const int lines = (bytes + 127) / 128;
    for (int i = threadIdx.x; i < rows * lines; i += kThreads) {
        const int r = i / lines;
        if (r < valid) prefetchL2(static_cast<const char*>(src) + r * strideBytes + (i - r * lines) * 128);
    }
}

// `rows` rows of `cols` 16-bit values (row r at src + r * stride) into shared memory rows of length ld, zeros at
// and after row `valid`: every load in flight at once (no registers held), completed by waitAsyncCopies.
template <typename T>
__device__ __forceinline__ void stageRowsAsync(T* dst, int ld, const T* src, int64_t stride, int rows, int cols,
                                               int64_t valid) {
    const int colsV = cols / 8;
    for (int i = threadIdx.x; i < rows * colsV; i += kThreads) {
        const int r = i / colsV, c = (i - r * colsV) * 8;
        const bool ok = r < valid;
        copyAsync16(dst + r * ld + c, ok ? src + r * stride + c : src, ok ? 16 : 0);
    }
}

// Rows of x, B or C into shared memory as mma_t: asynchronous copies when they already are mma_t, else
// converted (fp32 inputs) by stageRows.
template <typename mma_t, typename in_t>
__device__ __forceinline__ void stageOperand(mma_t* dst, int ld, const in_t* src, int64_t stride, int rows, int cols,
                                             int64_t valid) {
    if constexpr (std::is_same_v<in_t, mma_t>) stageRowsAsync(dst, ld, src, stride, rows, cols, valid);
    else stageRows<mma_t>(dst, ld, src, stride, rows, cols, valid, NoScale{});
}

template <typename mma_t> __device__ __forceinline__ mma_t roundToOperand(float v);
template <> __device__ __forceinline__ __nv_bfloat16 roundToOperand<__nv_bfloat16>(float v) { return __float2bfloat16_rn(v); }
template <> __device__ __forceinline__ __half roundToOperand<__half>(float v) { return __float2half_rn(v); }

// Multiplies the 16-bit values of `rows` rows of `cols` (a multiple of 8) in shared memory by scale(r), each
// rounded once.
template <typename mma_t, typename Scale>
__device__ __forceinline__ void scaleRows(mma_t* p, int ld, int rows, int cols, Scale scale) {
    const int colsV = cols / 8;
    for (int i = threadIdx.x; i < rows * colsV; i += kThreads) {
        const int r = i / colsV, c = (i - r * colsV) * 8;
        const float f = scale(r);
        uint4 u = *reinterpret_cast<const uint4*>(p + r * ld + c);
        mma_t* e = reinterpret_cast<mma_t*>(&u);
#pragma unroll
        for (int k = 0; k < 8; ++k) e[k] = roundToOperand<mma_t>(toFloat(e[k]) * f);
        *reinterpret_cast<uint4*>(p + r * ld + c) = u;
    }
}

// Byte offsets of the kernel's shared buffers, for a slice of PS channels and N state columns. The fp32 copy of
// the state (to round it into Sb) takes the place of Bs and Cs, which are adjacent and free at that point.
struct SerialSmem {
    int64_t aCum, dt, w, xs, sh, sb, sc, bs, cs, total;
    __host__ __device__ SerialSmem(int PS, int N, int elem) {
        aCum = 0;                           // [kTile] floats each: aCum, dt, the state-update weights
        dt = aCum + kTile * 4;
        w = dt + kTile * 4;
        xs = roundUp128(w + kTile * 4);     // [kTile][PS + kPad16] x of the chunk (later scaled by w)
        sh = xs + roundUp128(static_cast<int64_t>(kTile) * (PS + kPad16) * elem);  // [kTile][kTile + kPad16]
        sb = sh + roundUp128(static_cast<int64_t>(kTile) * (kTile + kPad16) * elem);  // [PS][N + kPad16] S_in
        sc = sb + roundUp128(static_cast<int64_t>(PS) * (N + kPad16) * elem);  // fp32 scores, then fp32 output
        const int64_t scBytes = static_cast<int64_t>(kTile) * ((PS > kTile ? PS : kTile) + kPad32) * 4;
        bs = sc + roundUp128(scBytes);      // [kTile][N + kPad16] B, then C right after it
        cs = bs + static_cast<int64_t>(kTile) * (N + kPad16) * elem;
        total = cs + roundUp128(static_cast<int64_t>(kTile) * (N + kPad16) * elem);
    }
};

template <typename mma_t, typename in_t>
__global__ void __launch_bounds__(kThreads, 2)
    serialScanKernel(const in_t* __restrict__ x, const in_t* __restrict__ Bm, const in_t* __restrict__ Cm,
                     const float* __restrict__ dt, const float* __restrict__ A, const float* __restrict__ init,
                     const float* __restrict__ skip, bool skipPerChannel, SsdShape s, int PS, in_t* __restrict__ y,
                     float* __restrict__ finalState) {
    extern __shared__ __align__(128) unsigned char smem[];
    const int slices = s.P / PS, h = blockIdx.x / slices, p0 = (blockIdx.x % slices) * PS, bi = blockIdx.y;
    const int t = threadIdx.x, warp = t >> 5, lane = t & 31;
    const int N = s.N, g = h / (s.H / s.G);
    const int ldx = PS + kPad16, ldh = kTile + kPad16, ldb = N + kPad16, lds = (PS > kTile ? PS : kTile) + kPad32,
              ldy = PS + kPad32, ldf = N + kPad32;
    const SerialSmem off(PS, N, sizeof(mma_t));
    float* aCum = reinterpret_cast<float*>(smem + off.aCum);
    float* dtS = reinterpret_cast<float*>(smem + off.dt);
    float* wS = reinterpret_cast<float*>(smem + off.w);
    mma_t* Xs = reinterpret_cast<mma_t*>(smem + off.xs);
    mma_t* Sh = reinterpret_cast<mma_t*>(smem + off.sh);
    mma_t* Sb = reinterpret_cast<mma_t*>(smem + off.sb);   // the state entering the chunk, rounded: [PS][ldb]
    float* Sc = reinterpret_cast<float*>(smem + off.sc);   // scores [kTile][lds], then the output [kTile][ldy]
    mma_t* Bs = reinterpret_cast<mma_t*>(smem + off.bs);
    mma_t* Cs = reinterpret_cast<mma_t*>(smem + off.cs);
    float* Sf = reinterpret_cast<float*>(smem + off.bs);   // fp32 state [PS][ldf], over Bs and Cs

    const int fragsN = N / 16, stateFrags = (PS / 16) * fragsN, fragsP = PS / 16, outFrags = 4 * fragsP;
    const int64_t head = static_cast<int64_t>(bi) * s.H + h;
    const float a = A[h];

    // The state: fp32 tiles in registers (warp + 8i), and rounded in Sb for the read-out.
    Accumulator state[kStateFragsPerWarp];
#pragma unroll
    for (int i = 0; i < kStateFragsPerWarp; ++i) {
        const int f = warp + i * kWarps;
        if (f >= stateFrags) break;
        if (init)
            wmma::load_matrix_sync(state[i], init + (head * s.P + p0 + (f / fragsN) * 16) * N + (f % fragsN) * 16, N,
                                   wmma::mem_row_major);
        else wmma::fill_fragment(state[i], 0.f);
    }
    for (int i = t; i < PS * N; i += kThreads) {
        const int r = i / N, c = i - r * N;
        Sb[r * ldb + c] = roundToOperand<mma_t>(init ? init[(head * s.P + p0 + r) * N + c] : 0.f);
    }

    for (int64_t pos = 0; pos < s.L; pos += kTile) {
        const int64_t valid = s.L - pos;
        // 1. The chunk's x, B and C; the cumulative log-decay (two warps' scans joined below).
        stageOperand<mma_t>(Xs, ldx, x + bi * s.xsb + pos * s.xsl + h * s.P + p0, s.xsl, kTile, PS, valid);
        stageOperand<mma_t>(Bs, ldb, Bm + bi * s.bsb + pos * s.bsl + g * N, s.bsl, kTile, N, valid);
        stageOperand<mma_t>(Cs, ldb, Cm + bi * s.csb + pos * s.csl + g * N, s.csl, kTile, N, valid);
        if (t < kTile) {
            const float d = t < valid ? dt[bi * s.dsb + (pos + t) * s.dsl + h * s.dsh] : 0.f;
            float v = d * a;
            for (int o = 1; o < 32; o <<= 1) {
                const float n = __shfl_up_sync(0xffffffffu, v, o);
                if (lane >= o) v += n;
            }
            aCum[t] = v;
            dtS[t] = d;
        }
        if (pos + kTile < s.L) {
            const int64_t next = pos + kTile, nextValid = s.L - next;
            prefetchRows(x + bi * s.xsb + next * s.xsl + h * s.P + p0, s.xsl * sizeof(in_t), kTile, PS * sizeof(in_t),
                         nextValid);
            prefetchRows(Bm + bi * s.bsb + next * s.bsl + g * N, s.bsl * sizeof(in_t), kTile, N * sizeof(in_t),
                         nextValid);
            prefetchRows(Cm + bi * s.csb + next * s.csl + g * N, s.csl * sizeof(in_t), kTile, N * sizeof(in_t),
                         nextValid);
        }
        waitAsyncCopies();
        __syncthreads();
        // 2. Scores C_i . B_j of the tiles on and below the diagonal; the second warp's sums join the first's.
        if (warp == 1) {
            const float before = aCum[31];
            __syncwarp();
            aCum[32 + lane] += before;
        }
#pragma unroll
        for (int i = 0; i < kScoreFragsPerWarp; ++i) {
            const int f = warp + i * kWarps, mi = f / 4, ki = f % 4;
            if (ki > mi) continue;
            Accumulator sc;
            wmma::fill_fragment(sc, 0.f);
            multiplyAccumulate<mma_t, wmma::row_major, wmma::col_major>(sc, Cs + mi * 16 * ldb, ldb, Bs + ki * 16 * ldb,
                                                                         ldb, N);
            wmma::store_matrix_sync(Sc + mi * 16 * lds + ki * 16, sc, lds, wmma::mem_row_major);
        }
        __syncthreads();
        // 3. Decayed, masked scores; C scaled by exp(aCum_i) for the state read-out; the state-update weights.
        const float total = aCum[kTile - 1];
        for (int i = t; i < kTile * kTile / 4; i += kThreads) {
            const int r = i / (kTile / 4), k = (i % (kTile / 4)) * 4;
            if (k / 16 > r / 16) continue;  // tiles above the diagonal: never read (step 4 stops at the diagonal)
            float o[4];
#pragma unroll
            for (int j = 0; j < 4; ++j)
                o[j] = k + j <= r ? Sc[r * lds + k + j] * expf(aCum[r] - aCum[k + j]) * dtS[k + j] : 0.f;
            store4<mma_t>(Sh + r * ldh + k, make_float4(o[0], o[1], o[2], o[3]));
        }
        scaleRows(Cs, ldb, kTile, N, [&](int r) { return expf(aCum[r]); });
        if (t < kTile) wS[t] = dtS[t] * expf(total - aCum[t]);
        __syncthreads();
        // 4. y = decayed scores x X + (exp(aCum) C) x S_in^T, into Sc (the scores are consumed).
#pragma unroll
        for (int i = 0; i < kOutFragsPerWarp; ++i) {
            const int f = warp + i * kWarps;
            if (f >= outFrags) break;
            const int mi = f / fragsP, pi = f % fragsP;
            Accumulator acc;
            wmma::fill_fragment(acc, 0.f);
            multiplyAccumulate<mma_t, wmma::row_major, wmma::row_major>(acc, Sh + mi * 16 * ldh, ldh, Xs + pi * 16, ldx,
                                                                         (mi + 1) * 16);  // causal: j <= i
            multiplyAccumulate<mma_t, wmma::row_major, wmma::col_major>(acc, Cs + mi * 16 * ldb, ldb,
                                                                         Sb + pi * 16 * ldb, ldb, N);
            wmma::store_matrix_sync(Sc + mi * 16 * ldy + pi * 16, acc, ldy, wmma::mem_row_major);
        }
        __syncthreads();
        // 5. The output rows (plus x * skip, rounded once), and x scaled by the state-update weights into Sh
        //    (free since step 4; Xs stays as it is for the skip term).
        const int P4 = PS / 4;
        mma_t* Xw = Sh;  // [kTile][ldh] (PS <= kTile)
        for (int i = t; i < kTile * P4; i += kThreads) {
            const int r = i / P4, p = (i - r * P4) * 4;
            if (r >= valid) continue;
            const float* src = Sc + r * ldy + p;
            float4 v = make_float4(src[0], src[1], src[2], src[3]);
            if (skip) {
                // __fmul_rn: x * D rounded on its own (no fused multiply-add), as in the ATen expression. 16-bit
                // inputs are in Xs exactly; fp32 inputs were rounded there, so they are read again.
                float4 xv;
                if constexpr (std::is_same_v<in_t, mma_t>) {
                    const mma_t* e = Xs + r * ldx + p;
                    xv = make_float4(toFloat(e[0]), toFloat(e[1]), toFloat(e[2]), toFloat(e[3]));
                } else {
                    xv = load4(x + bi * s.xsb + (pos + r) * s.xsl + h * s.P + p0 + p);
                }
                const float* d = skip + (skipPerChannel ? h * s.P + p0 + p : h);
                const int dp = skipPerChannel ? 1 : 0;
                v.x += __fmul_rn(xv.x, d[0]);
                v.y += __fmul_rn(xv.y, d[dp]);
                v.z += __fmul_rn(xv.z, d[2 * dp]);
                v.w += __fmul_rn(xv.w, d[3 * dp]);
            }
            storeOut4(y + ((bi * s.L + pos + r) * s.H + h) * s.P + p0 + p, v);
        }
        for (int i = t; i < kTile * (PS / 8); i += kThreads) {
            const int r = i / (PS / 8), c = (i - r * (PS / 8)) * 8;
            const float f = wS[r];
            uint4 u = *reinterpret_cast<const uint4*>(Xs + r * ldx + c);
            mma_t* e = reinterpret_cast<mma_t*>(&u);
#pragma unroll
            for (int k = 0; k < 8; ++k) e[k] = roundToOperand<mma_t>(toFloat(e[k]) * f);
            *reinterpret_cast<uint4*>(Xw + r * ldh + c) = u;
        }
        __syncthreads();
        // 6. S = exp(aCum_end) S + (w x)^T B: the decay is one number per head and chunk, so it scales the
        //    accumulator tiles whatever their layout.
        const float decay = expf(total);
#pragma unroll
        for (int i = 0; i < kStateFragsPerWarp; ++i) {
            const int f = warp + i * kWarps;
            if (f >= stateFrags) break;
#pragma unroll
            for (int e = 0; e < state[i].num_elements; ++e) state[i].x[e] *= decay;
            multiplyAccumulate<mma_t, wmma::col_major, wmma::row_major>(state[i], Xw + (f / fragsN) * 16, ldh,
                                                                         Bs + (f % fragsN) * 16, ldb, kTile);
        }
        if (pos + kTile >= s.L) break;
        // 7. The new state rounded into Sb for the next chunk, through an fp32 copy over Bs and Cs.
        __syncthreads();
#pragma unroll
        for (int i = 0; i < kStateFragsPerWarp; ++i) {
            const int f = warp + i * kWarps;
            if (f >= stateFrags) break;
            wmma::store_matrix_sync(Sf + (f / fragsN) * 16 * ldf + (f % fragsN) * 16, state[i], ldf,
                                    wmma::mem_row_major);
        }
        __syncthreads();
        for (int i = t; i < PS * N / 4; i += kThreads) {
            const int r = i / (N / 4), c = (i - r * (N / 4)) * 4;
            store4<mma_t>(Sb + r * ldb + c, *reinterpret_cast<const float4*>(Sf + r * ldf + c));
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < kStateFragsPerWarp; ++i) {
        const int f = warp + i * kWarps;
        if (f >= stateFrags) break;
        wmma::store_matrix_sync(finalState + (head * s.P + p0 + (f / fragsN) * 16) * N + (f % fragsN) * 16, state[i],
                                N, wmma::mem_row_major);
    }
}

int sliceWidth(int64_t P) { return static_cast<int>(std::min<int64_t>(P, kSliceP)); }

}  // namespace

bool ssdSerialPays(const SsdShape& s, int64_t batch, int multiprocessors) {
    // Measured on an H100 (bench-ssd's parallel / serial columns, docs/results/ssd-serial-h100-2026-12-06.md):
    // the serial kernel only wins where its blocks fill the GPU several times over (2.7b at batch 8: 640 blocks
    // on 132 multiprocessors); with fewer, each block's walk through its chunks sets the pace.
    constexpr int64_t kBlocksPerMultiprocessor = 4;
    const int64_t blocks = batch * s.H * (s.P / sliceWidth(s.P));
    return blocks >= kBlocksPerMultiprocessor * multiprocessors;
}

void ssdSerial(const at::Tensor& x, const at::Tensor& dt, const at::Tensor& A, const at::Tensor& Bm,
               const at::Tensor& Cm, const at::Tensor& init, const at::Tensor& skip, const SsdShape& s, int64_t batch,
               at::ScalarType operandType, at::Tensor& y, at::Tensor& finalState) {
    TORCH_CHECK(ssdSerialScanSupported(s.P, s.N), "ssdSerial: unsupported shape P=", s.P, " N=", s.N);
    TORCH_CHECK(batch <= 65535, "ssdSerial: at most 65535 sequences");
    const int PS = sliceWidth(s.P);
    // The initial state is read as whole accumulator tiles, which need 32-byte alignment.
    const at::Tensor start = init.defined() && reinterpret_cast<uintptr_t>(init.data_ptr()) % 32 != 0 ? init.clone() : init;
    auto stream = c10::cuda::getCurrentCUDAStream();
    const bool skipPerChannel = skip.defined() && skip.numel() == static_cast<int64_t>(s.H) * s.P;
    const dim3 grid(static_cast<unsigned>(s.H * (s.P / PS)), static_cast<unsigned>(batch));
    auto run = [&](auto mmaTag, auto inTag) {
        using mma_t = decltype(mmaTag);
        using in_t = decltype(inTag);
        const int bytes = static_cast<int>(SerialSmem(PS, s.N, sizeof(mma_t)).total);
        auto kernel = serialScanKernel<mma_t, in_t>;
        allowSharedMemory(kernel, bytes);
        kernel<<<grid, kThreads, bytes, stream>>>(
            reinterpret_cast<const in_t*>(x.data_ptr()), reinterpret_cast<const in_t*>(Bm.data_ptr()),
            reinterpret_cast<const in_t*>(Cm.data_ptr()), dt.data_ptr<float>(), A.data_ptr<float>(),
            start.defined() ? start.data_ptr<float>() : nullptr, skip.defined() ? skip.data_ptr<float>() : nullptr,
            skipPerChannel, s, PS, reinterpret_cast<in_t*>(y.data_ptr()), finalState.data_ptr<float>());
        C10_CUDA_KERNEL_LAUNCH_CHECK();
    };
    const bool fp32In = x.scalar_type() == at::kFloat;
    if (operandType == at::kHalf) {
        if (fp32In) run(__half(), float());
        else run(__half(), __half());
    } else {
        if (fp32In) run(__nv_bfloat16(), float());
        else run(__nv_bfloat16(), __nv_bfloat16());
    }
}

}  // namespace ssmlens::fused::ssd

namespace ssmlens::fused {

bool ssdSerialScanSupported(int64_t headdim, int64_t dState) {
    const int64_t PS = std::min<int64_t>(headdim, ssd::kSliceP);
    return headdim > 0 && dState > 0 && headdim % 16 == 0 && dState % 16 == 0 && headdim % PS == 0 &&
           dState <= ssd::kMaxStateN;
}

}  // namespace ssmlens::fused
