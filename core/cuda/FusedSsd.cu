// The chunked SSD (core/model/SsdScan.h) on tensor cores, for bf16 / fp16 models: three launches per layer
// instead of ~40 ATen kernels, and no per-head [Q x Q] decay matrices in device memory. These are the
// chunk-parallel kernels (every chunk of every head at once); where batch x heads alone fill the GPU, the
// chunk-serial kernel of SerialSsd.cu runs instead (ssdChunkedTensorCores decides).
//
//   1. chunkStateAndScoresKernel, two kinds of blocks in one launch:
//      chunkStateBlock, one per (chunk, head, 64 state columns, sequence): the cumulative log-decay aCum inside
//      the chunk (an inclusive scan of dt * A) and the chunk's own contribution to the state at its end,
//      S_c = sum_j exp(aCum_end - aCum_j) dt_j x_j (outer) B_j, a [P x Q] x [Q x N] product;
//      chunkScoresBlock, one per (64 rows of a chunk, group, sequence): the scores C_i . B_j of every pair in
//      the chunk with j <= i (by tiles of 64 x 64), shared by all heads of the group.
//   2. statePassingKernel, one thread per four state elements: S_in(c) = exp(aCum_end(c-1)) S_in(c-1) + S_{c-1}
//      in fp32, stored rounded to the operand type for the scan, and the final state in fp32.
//   3. chunkScanKernel, one block per (64 rows of a chunk, head, sequence):
//      y_i = sum_{j <= i in the chunk} (C_i . B_j) exp(aCum_i - aCum_j) dt_j x_j + exp(aCum_i) C_i . S_in(c).
//
// The operands of the matrix products are rounded to the model dtype (as the model's x, B and C already are,
// and as the reference Triton kernels of state-spaces/mamba do with scores and states); every product
// accumulates in fp32, every decay is computed in fp32 and is at most 1 (aCum only decreases). The chunk
// length is the kernels' own (SsdShape::Q, not the model's chunk_size): the result does not depend on it beyond
// rounding.
#include "core/cuda/FusedKernels.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <mma.h>

#include <algorithm>
#include <type_traits>

#include <ATen/ops/zeros.h>

#include "core/cuda/DeviceAttributes.cuh"
#include "core/cuda/FusedCommon.cuh"
#include "core/cuda/LaunchOverlap.cuh"
#include "core/cuda/SerialSsd.cuh"
#include "core/cuda/SsdTiles.cuh"
#include "core/runtime/KernelPaths.h"

namespace ssmlens::fused {
namespace {

using namespace ssd;

constexpr int kMaxChunk = kThreads;  // positions per chunk (SsdShape::Q): 64, 128 or 256, one per thread
constexpr int kDefaultChunk = 128;
constexpr int kStateSlice = 64;   // state columns (of N) per block of the chunk-state kernel
constexpr int kMaxFrags = 4;  // 16x16 accumulator tiles per warp for a [P x kStateSlice] slice or a [64 x P]
                              // output tile: P <= 128

// Inclusive prefix sum of v over the block's threads (kThreads of them); uses 32 floats of `scratch`.
__device__ float blockInclusiveScan(float v, float* scratch) {
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    for (int o = 1; o < 32; o <<= 1) {
        const float n = __shfl_up_sync(0xffffffffu, v, o);
        if (lane >= o) v += n;
    }
    if (lane == 31) scratch[warp] = v;
    __syncthreads();
    if (warp == 0) {
        float w = lane < kWarps ? scratch[lane] : 0.f;
        for (int o = 1; o < 32; o <<= 1) {
            const float n = __shfl_up_sync(0xffffffffu, w, o);
            if (lane >= o) w += n;
        }
        if (lane < kWarps) scratch[lane] = w;
    }
    __syncthreads();
    return warp > 0 ? v + scratch[warp - 1] : v;
}

// One block per (chunk, head and slice of kStateSlice state columns, sequence); slice 0 also writes aCum.
template <typename mma_t, typename in_t, int kFrags>
__device__ void chunkStateBlock(const in_t* __restrict__ x, const in_t* __restrict__ Bm, const float* __restrict__ dt,
                                const float* __restrict__ A, const SsdShape& s, float* __restrict__ aCumOut,
                                float* __restrict__ totals, float* __restrict__ states, int ci, int headSlice,
                                int bi) {
    extern __shared__ __align__(128) unsigned char smem[];
    const int slices = (s.N + kStateSlice - 1) / kStateSlice;
    const int h = headSlice / slices, slice = headSlice % slices;
    const int t = threadIdx.x, warp = t >> 5;
    const int P = s.P, N = s.N, g = h / (s.H / s.G), n0 = slice * kStateSlice;
    const int ns = N - n0 < kStateSlice ? N - n0 : kStateSlice;  // columns of this slice, a multiple of 16
    const int ldx = P + kPad16, ldb = kStateSlice + kPad16;
    float* weight = reinterpret_cast<float*>(smem);  // [Q] exp(aCum_end - aCum_j) dt_j
    float* scratch = weight + kMaxChunk;             // [32]
    mma_t* Xs = reinterpret_cast<mma_t*>(smem + roundUp128((kMaxChunk + 32) * sizeof(float)));  // [kTile][ldx]
    mma_t* Bs = Xs + kTile * ldx;                                                          // [kTile][ldb]

    const int Q = s.Q;
    const int64_t pos0 = static_cast<int64_t>(ci) * Q;
    float d = 0.f;
    if (t < Q && pos0 + t < s.L) d = dt[bi * s.dsb + (pos0 + t) * s.dsl + h * s.dsh];
    const float cum = blockInclusiveScan(d * A[h], scratch);  // threads past Q add zeros at the end
    const int64_t row = (static_cast<int64_t>(bi) * s.H + h) * s.chunks + ci;
    if (slice == 0 && t < Q) aCumOut[row * Q + t] = cum;
    if (t == Q - 1) scratch[31] = cum;  // the scan itself uses scratch[0 .. kWarps)
    __syncthreads();
    const float total = scratch[31];
    if (t < Q) weight[t] = d * expf(total - cum);
    if (slice == 0 && t == 0) totals[row] = total;
    __syncthreads();

    const int fragsN = ns / 16, nFrags = (P / 16) * fragsN;
    Accumulator acc[kFrags];
#pragma unroll
    for (int i = 0; i < kFrags; ++i) wmma::fill_fragment(acc[i], 0.f);

    for (int k0 = 0; k0 < Q && pos0 + k0 < s.L; k0 += kTile) {
        const int64_t pos = pos0 + k0, valid = s.L - pos;
        stageRows<mma_t>(Xs, ldx, x + bi * s.xsb + pos * s.xsl + h * P, s.xsl, kTile, P, valid,
                         [&](int r) { return weight[k0 + r]; });
        stageRows<mma_t>(Bs, ldb, Bm + bi * s.bsb + pos * s.bsl + g * N + n0, s.bsl, kTile, ns, valid, NoScale{});
        __syncthreads();
        // state[p][n] += sum_r Xs[r][p] Bs[r][n]: Xs read as the column-major [P x kTile] matrix X^T.
#pragma unroll
        for (int i = 0; i < kFrags; ++i) {
            const int f = warp + i * kWarps;
            if (f >= nFrags) break;
            const int pi = f / fragsN, ni = f % fragsN;
            multiplyAccumulate<mma_t, wmma::col_major, wmma::row_major>(acc[i], Xs + pi * 16, ldx, Bs + ni * 16, ldb,
                                                                         kTile);
        }
        __syncthreads();
    }
    float* out = states + ((static_cast<int64_t>(bi) * s.chunks + ci) * s.H + h) * P * N + n0;
#pragma unroll
    for (int i = 0; i < kFrags; ++i) {
        const int f = warp + i * kWarps;
        if (f >= nFrags) break;
        wmma::store_matrix_sync(out + (f / fragsN) * 16 * N + (f % fragsN) * 16, acc[i], N, wmma::mem_row_major);
    }
}


// Offset (floats) of the [kTile x kTile] block of C . B scores for output tile mt and source tile kt of a chunk
// and group: scores are shared by every head of the group, so they are computed once per group.
__device__ __forceinline__ int64_t scoreTile(const SsdShape& s, int bi, int ci, int g, int mt, int kt) {
    const int tiles = s.Q / kTile;
    return ((((static_cast<int64_t>(bi) * s.chunks + ci) * s.G + g) * tiles + mt) * tiles + kt) *
           (kTile * kTile);
}

// scores[i][j] = C_i . B_j for the source tiles kt <= mt of one output tile (rows past the end: zeros).
template <typename mma_t, typename in_t>
__device__ void chunkScoresBlock(const in_t* __restrict__ Bm, const in_t* __restrict__ Cm, const SsdShape& s,
                                 float* __restrict__ scores, int chunkTile, int g, int bi) {
    extern __shared__ __align__(128) unsigned char smem[];
    const int tiles = s.Q / kTile, ci = chunkTile / tiles, mt = chunkTile % tiles;
    const int warp = threadIdx.x >> 5, N = s.N, ldc = N + kPad16;
    const int64_t chunkPos = static_cast<int64_t>(ci) * s.Q, mPos = chunkPos + mt * kTile;
    if (mPos >= s.L) return;  // the whole tile is past the end (the same for every thread)
    mma_t* Cs = reinterpret_cast<mma_t*>(smem);  // [kTile][ldc]
    mma_t* Bs = Cs + kTile * ldc;                 // [kTile][ldc]
    stageRows<mma_t>(Cs, ldc, Cm + bi * s.csb + mPos * s.csl + g * N, s.csl, kTile, N, s.L - mPos, NoScale{});
    for (int kt = 0; kt <= mt; ++kt) {
        const int64_t kPos = chunkPos + kt * kTile;
        stageRows<mma_t>(Bs, ldc, Bm + bi * s.bsb + kPos * s.bsl + g * N, s.bsl, kTile, N, s.L - kPos, NoScale{});
        __syncthreads();
        float* out = scores + scoreTile(s, bi, ci, g, mt, kt);
#pragma unroll
        for (int i = 0; i < 2; ++i) {  // 16 tiles of 16 x 16, two per warp; B read as the column-major B^T
            const int f = warp + i * kWarps, mi = f / 4, ki = f % 4;
            Accumulator sc;
            wmma::fill_fragment(sc, 0.f);
            multiplyAccumulate<mma_t, wmma::row_major, wmma::col_major>(sc, Cs + mi * 16 * ldc, ldc, Bs + ki * 16 * ldc,
                                                                         ldc, N);
            wmma::store_matrix_sync(out + mi * 16 * kTile + ki * 16, sc, kTile, wmma::mem_row_major);
        }
        __syncthreads();
    }
}

// Steps 1 and 3 in one launch (they are independent): the first stateBlocks blocks compute chunk states, the
// others scores, so that the two fill the device together. kFrags: state tiles per warp, as in the scan kernel.
template <typename mma_t, typename in_t, int kFrags>
__global__ void __launch_bounds__(kThreads, kFrags <= 2 ? 4 : 3) chunkStateAndScoresKernel(
    const in_t* __restrict__ x, const in_t* __restrict__ Bm, const in_t* __restrict__ Cm,
    const float* __restrict__ dt, const float* __restrict__ A, SsdShape s, float* __restrict__ aCumOut,
    float* __restrict__ totals, float* __restrict__ states, float* __restrict__ scores, int stateBlocks) {
    followPreviousKernel();  // before any global memory access (LaunchOverlap.cuh)
    const int block = blockIdx.x;
    if (block < stateBlocks) {
        const int headSlices = s.H * ((s.N + kStateSlice - 1) / kStateSlice);
        const int ci = block % s.chunks, rest = block / s.chunks;
        chunkStateBlock<mma_t, in_t, kFrags>(x, Bm, dt, A, s, aCumOut, totals, states, ci, rest % headSlices, rest / headSlices);
    } else {
        const int chunkTiles = s.chunks * (s.Q / kTile), b = block - stateBlocks;
        const int ct = b % chunkTiles, rest = b / chunkTiles;
        chunkScoresBlock<mma_t, in_t>(Bm, Cm, s, scores, ct, rest % s.G, rest / s.G);
    }
}

// stateIn[c] = the state entering chunk c, from the chunks' own contributions `states` (fp32), rounded to mma_t
// (the scan kernel's operand type). Loads kPassBatch chunks at a time before the sequential part, so that
// their latencies overlap. The sum itself runs in fp32.
constexpr int kPassBatch = 8;

template <typename mma_t>
__global__ void statePassingKernel(const float* __restrict__ states, const float* __restrict__ totals,
                                   const float* __restrict__ init, mma_t* __restrict__ stateIn,
                                   float* __restrict__ finalState, SsdShape s) {
    followPreviousKernel();  // before any global memory access (LaunchOverlap.cuh)
    // Four consecutive state elements per thread (P * N is a multiple of 4): 16-byte loads, 8-byte stores.
    const int64_t PN = static_cast<int64_t>(s.P) * s.N;
    const int64_t e = (static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x) * 4;
    if (e >= PN) return;
    const int h = blockIdx.y, bi = blockIdx.z;
    const int64_t head = static_cast<int64_t>(bi) * s.H + h, chunkStride = static_cast<int64_t>(s.H) * PN;
    const int64_t first = (static_cast<int64_t>(bi) * s.chunks * s.H + h) * PN + e;
    const float* own0 = states + first;
    mma_t* in0 = stateIn + first;
    float4 v = init ? *reinterpret_cast<const float4*>(init + head * PN + e) : make_float4(0.f, 0.f, 0.f, 0.f);
    for (int c0 = 0; c0 < s.chunks; c0 += kPassBatch) {
        float4 own[kPassBatch];
        float decay[kPassBatch];
#pragma unroll
        for (int j = 0; j < kPassBatch; ++j) {
            if (c0 + j < s.chunks) {
                own[j] = __ldg(reinterpret_cast<const float4*>(own0 + (c0 + j) * chunkStride));
                decay[j] = expf(totals[head * s.chunks + c0 + j]);
            }
        }
#pragma unroll
        for (int j = 0; j < kPassBatch; ++j) {
            if (c0 + j < s.chunks) {
                store4<mma_t>(in0 + (c0 + j) * chunkStride, v);
                v.x = decay[j] * v.x + own[j].x;
                v.y = decay[j] * v.y + own[j].y;
                v.z = decay[j] * v.z + own[j].z;
                v.w = decay[j] * v.w + own[j].w;
            }
        }
    }
    *reinterpret_cast<float4*>(finalState + head * PN + e) = v;
}

// Byte offsets of the scan kernel's shared buffers. After aM, aK, dK, one region serves three phases in turn:
// the loop over source tiles (Xs, Sh), the read-out of the entering state (Cs, Ks), the output tile (Yf). About
// 36 KB for P = 64, N = 128, which lets six blocks share a multiprocessor.
struct ScanSmem {
    int64_t xs, sh, yf, cs, ks, total;
    __host__ __device__ ScanSmem(int P, int N, int elem) {
        const int64_t ldc = N + kPad16, ldx = P + kPad16;
        const int64_t base = roundUp128(3 * kTile * sizeof(float));
        xs = base;
        sh = xs + roundUp128(kTile * ldx * elem);
        const int64_t loopEnd = sh + roundUp128(kTile * (kTile + kPad16) * elem);
        cs = base;
        ks = cs + roundUp128(kTile * ldc * elem);
        const int64_t stateEnd = ks + roundUp128(P * ldc * elem);
        yf = base;
        const int64_t yEnd = yf + roundUp128(kTile * (P + kPad32) * sizeof(float));
        total = loopEnd > stateEnd ? loopEnd : stateEnd;
        total = total > yEnd ? total : yEnd;
    }
};

// y (in in_t, the type of x) = the scan, plus x * skip when skip is given (the mixer's D term: one value per
// head, or per channel when skipPerChannel), summed in fp32 and rounded once. kFrags: output tiles (16 x 16)
// per warp, P / 32 rounded up to 2 or 4 (fewer registers for the common P = 64: four blocks per multiprocessor).
template <typename mma_t, typename in_t, int kFrags>
__global__ void __launch_bounds__(kThreads, kFrags <= 2 ? 4 : 3) chunkScanKernel(const in_t* __restrict__ x, const in_t* __restrict__ Cm,
                                                            const float* __restrict__ dt,
                                                            const float* __restrict__ aCumIn,
                                                            const float* __restrict__ scores,
                                                            const mma_t* __restrict__ statesIn,
                                                            const float* __restrict__ skip, bool skipPerChannel,
                                                            SsdShape s, in_t* __restrict__ y) {
    followPreviousKernel();  // before any global memory access (LaunchOverlap.cuh)
    extern __shared__ __align__(128) unsigned char smem[];
    const int tiles = s.Q / kTile, ci = blockIdx.x / tiles, mt = blockIdx.x % tiles;
    const int h = blockIdx.y, bi = blockIdx.z, t = threadIdx.x, warp = t >> 5;
    const int P = s.P, N = s.N, g = h / (s.H / s.G);
    const int64_t chunkPos = static_cast<int64_t>(ci) * s.Q, mPos = chunkPos + mt * kTile;
    if (mPos >= s.L) return;  // the whole tile is past the end (the same for every thread)
    const int ldc = N + kPad16, ldx = P + kPad16, ldh = kTile + kPad16, ldy = P + kPad32;
    const ScanSmem off(P, N, sizeof(mma_t));
    float* aM = reinterpret_cast<float*>(smem);  // aCum of the output rows
    float* aK = aM + kTile;                      // aCum of the tile's source positions
    float* dK = aK + kTile;                      // dt of the source positions
    mma_t* Cs = reinterpret_cast<mma_t*>(smem + off.cs);  // [kTile][ldc] exp(aCum_i) C_i
    mma_t* Ks = reinterpret_cast<mma_t*>(smem + off.ks);  // [P][ldc] the state entering the chunk
    mma_t* Xs = reinterpret_cast<mma_t*>(smem + off.xs);  // [kTile][ldx] x rows of the source positions
    float* Yf = reinterpret_cast<float*>(smem + off.yf);  // [kTile][ldy] the output tile
    mma_t* Sh = reinterpret_cast<mma_t*>(smem + off.sh);  // [kTile][ldh] decayed, masked scores

    const float* aChunk = aCumIn + ((static_cast<int64_t>(bi) * s.H + h) * s.chunks + ci) * s.Q;
    if (t < kTile) aM[t] = aChunk[mt * kTile + t];
    const int fragsP = P / 16, nOut = 4 * fragsP;  // the [kTile x P] output in 16x16 tiles
    Accumulator acc[kFrags];
#pragma unroll
    for (int i = 0; i < kFrags; ++i) wmma::fill_fragment(acc[i], 0.f);

    for (int kt = 0; kt <= mt; ++kt) {
        const int64_t kPos = chunkPos + kt * kTile;
        __syncthreads();  // the previous tile's readers are done with Sh, Xs, aK, dK
        if (t < kTile) {
            aK[t] = aChunk[kt * kTile + t];
            dK[t] = kPos + t < s.L ? dt[bi * s.dsb + (kPos + t) * s.dsl + h * s.dsh] : 0.f;
        }
        __syncthreads();
        // Scores times the decay exp(aCum_i - aCum_j) and dt_j; zero above the diagonal of the diagonal tile.
        const float* sc = scores + scoreTile(s, bi, ci, g, mt, kt);
#pragma unroll
        for (int i = t; i < kTile * kTile / 4; i += kThreads) {
            const int r = i / (kTile / 4), k = (i % (kTile / 4)) * 4;
            const float4 v = __ldg(reinterpret_cast<const float4*>(sc + r * kTile + k));
            const float vs[4] = {v.x, v.y, v.z, v.w};
            float o[4];
#pragma unroll
            for (int j = 0; j < 4; ++j)
                o[j] = (kt < mt || k + j <= r) ? vs[j] * expf(aM[r] - aK[k + j]) * dK[k + j] : 0.f;
            store4<mma_t>(Sh + r * ldh + k, make_float4(o[0], o[1], o[2], o[3]));
        }
        stageRows<mma_t>(Xs, ldx, x + bi * s.xsb + kPos * s.xsl + h * P, s.xsl, kTile, P, s.L - kPos, NoScale{});
        __syncthreads();
        // y += scores [64 x 64] x [64 x P]
#pragma unroll
        for (int i = 0; i < kFrags; ++i) {
            const int f = warp + i * kWarps;
            if (f >= nOut) break;
            const int mi = f / fragsP, pi = f % fragsP;
            multiplyAccumulate<mma_t, wmma::row_major, wmma::row_major>(acc[i], Sh + mi * 16 * ldh, ldh, Xs + pi * 16, ldx,
                                                                         kTile);
        }
    }
    // The state entering the chunk, read out at each row with its decay since the chunk start:
    // y_i += (exp(aCum_i) C_i) . S_in, S_in read as the column-major [N x P] S^T. Cs and Ks take the place of
    // Xs and Sh, and Yf then theirs: a barrier before each.
    __syncthreads();
    stageRows<mma_t>(Cs, ldc, Cm + bi * s.csb + mPos * s.csl + g * N, s.csl, kTile, N, s.L - mPos,
                     [&](int r) { return expf(aM[r]); });
    const mma_t* sIn = statesIn + ((static_cast<int64_t>(bi) * s.chunks + ci) * s.H + h) * P * N;
    for (int i = t; i < P * N / 8; i += kThreads) {  // 8 values (16 bytes) at a time, already rounded
        const int r = i / (N / 8), c = (i - r * (N / 8)) * 8;
        *reinterpret_cast<uint4*>(Ks + r * ldc + c) = __ldg(reinterpret_cast<const uint4*>(sIn + r * N + c));
    }
    __syncthreads();
#pragma unroll
    for (int i = 0; i < kFrags; ++i) {
        const int f = warp + i * kWarps;
        if (f >= nOut) break;
        const int mi = f / fragsP, pi = f % fragsP;
        multiplyAccumulate<mma_t, wmma::row_major, wmma::col_major>(acc[i], Cs + mi * 16 * ldc, ldc, Ks + pi * 16 * ldc,
                                                                     ldc, N);
    }
    __syncthreads();
#pragma unroll
    for (int i = 0; i < kFrags; ++i) {
        const int f = warp + i * kWarps;
        if (f >= nOut) break;
        wmma::store_matrix_sync(Yf + (f / fragsP) * 16 * ldy + (f % fragsP) * 16, acc[i], ldy, wmma::mem_row_major);
    }
    __syncthreads();
    const int P4 = P / 4;
    for (int i = t; i < kTile * P4; i += kThreads) {
        const int r = i / P4, p = (i - r * P4) * 4;
        if (mPos + r < s.L) {
            const float* src = Yf + r * ldy + p;
            float4 v = make_float4(src[0], src[1], src[2], src[3]);
            if (skip) {
                // __fmul_rn: x * D rounded on its own (no fused multiply-add), as in the ATen expression.
                const float4 xv = load4(x + bi * s.xsb + (mPos + r) * s.xsl + h * P + p);
                const float* d = skip + (skipPerChannel ? h * P + p : h);
                const int dp = skipPerChannel ? 1 : 0;
                v.x += __fmul_rn(xv.x, d[0]);
                v.y += __fmul_rn(xv.y, d[dp]);
                v.z += __fmul_rn(xv.z, d[2 * dp]);
                v.w += __fmul_rn(xv.w, d[3 * dp]);
            }
            storeOut4(y + ((bi * s.L + mPos + r) * s.H + h) * P + p, v);
        }
    }
}

// t itself when each position's channels (the last `inner` dimensions) are one contiguous run and every row
// starts 16 bytes aligned (the kernels read 16 bytes at a time), else a contiguous copy.
at::Tensor rowsContiguous(const at::Tensor& t, int inner) {
    int64_t expect = 1;
    bool ok = reinterpret_cast<uintptr_t>(t.data_ptr()) % 16 == 0;
    for (int d = t.dim() - 1; d >= t.dim() - inner; --d) {
        ok = ok && (t.size(d) == 1 || t.stride(d) == expect);
        expect *= t.size(d);
    }
    const int64_t perLoad = 16 / static_cast<int64_t>(t.element_size());  // elements per 16-byte load
    for (int d = 0; d < t.dim() - inner; ++d) ok = ok && (t.size(d) == 1 || t.stride(d) % perLoad == 0);
    return ok ? t : t.contiguous();
}

template <typename mma_t, typename in_t, int kFrags>
void launchSsd(const at::Tensor& x, const at::Tensor& dt, const at::Tensor& A, const at::Tensor& Bm,
               const at::Tensor& Cm, const at::Tensor& init, const at::Tensor& skip, const SsdShape& s, int64_t batch,
               at::Tensor& y, at::Tensor& finalState) {
    auto opts = x.options().dtype(at::kFloat);
    at::Tensor aCum = at::empty({batch, s.H, s.chunks, s.Q}, opts);
    at::Tensor totals = at::empty({batch, s.H, s.chunks}, opts);  // aCum at the end of each chunk
    at::Tensor states = at::empty({batch, s.chunks, s.H, s.P, s.N}, opts);  // each chunk's own contribution
    at::Tensor stateIn = at::empty({batch, s.chunks, s.H, s.P, s.N},
                                   opts.dtype(std::is_same_v<mma_t, __half> ? at::kHalf : at::kBFloat16));
    auto stream = c10::cuda::getCurrentCUDAStream();

    const int tiles = s.Q / kTile;
    at::Tensor scores = at::empty({batch, s.chunks, s.G, tiles, tiles, kTile, kTile}, opts);

    const int stateSmem = static_cast<int>(roundUp128((kMaxChunk + 32) * sizeof(float)) +
                                           kTile * (s.P + kPad16 + kStateSlice + kPad16) * sizeof(mma_t));
    const int scoresSmem = static_cast<int>(2 * kTile * (s.N + kPad16) * sizeof(mma_t));
    const int scanSmem = static_cast<int>(ScanSmem(s.P, s.N, sizeof(mma_t)).total);
    const int firstSmem = std::max(stateSmem, scoresSmem);
    allowSharedMemory(chunkStateAndScoresKernel<mma_t, in_t, kFrags>, firstSmem);
    allowSharedMemory(chunkScanKernel<mma_t, in_t, kFrags>, scanSmem);

    const int slices = (s.N + kStateSlice - 1) / kStateSlice;
    const int64_t stateBlocks = static_cast<int64_t>(s.chunks) * s.H * slices * batch;
    const int64_t scoreBlocks = static_cast<int64_t>(s.chunks) * tiles * s.G * batch;
    TORCH_CHECK(stateBlocks + scoreBlocks < (int64_t(1) << 31), "ssdChunkedTensorCores: too many blocks");
    const in_t* xp = reinterpret_cast<const in_t*>(x.data_ptr());
    const in_t* bp = reinterpret_cast<const in_t*>(Bm.data_ptr());
    const in_t* cp = reinterpret_cast<const in_t*>(Cm.data_ptr());
    launchKernel(chunkStateAndScoresKernel<mma_t, in_t, kFrags>, static_cast<unsigned>(stateBlocks + scoreBlocks),
                 kThreads, firstSmem, layerLaunch(stream),
        xp, bp, cp, dt.data_ptr<float>(), A.data_ptr<float>(), s,
        aCum.data_ptr<float>(), totals.data_ptr<float>(), states.data_ptr<float>(), scores.data_ptr<float>(),
        static_cast<int>(stateBlocks));
    const int64_t PN = static_cast<int64_t>(s.P) * s.N;
    mma_t* stateInPtr = reinterpret_cast<mma_t*>(stateIn.data_ptr());
    const KernelLaunch next = layerLaunchAfterOwnKernel(stream);  // the two below follow the kernel above
    launchKernel(statePassingKernel<mma_t>, dim3((PN / 4 + 255) / 256, s.H, batch), 256, 0, next,
        states.data_ptr<float>(), totals.data_ptr<float>(), init.defined() ? init.data_ptr<float>() : nullptr,
        stateInPtr, finalState.data_ptr<float>(), s);
    const bool skipPerChannel = skip.defined() && skip.numel() == static_cast<int64_t>(s.H) * s.P;
    launchKernel(chunkScanKernel<mma_t, in_t, kFrags>, dim3(s.chunks * tiles, s.H, batch), kThreads, scanSmem, next,
        xp, cp, dt.data_ptr<float>(), aCum.data_ptr<float>(), scores.data_ptr<float>(), stateInPtr,
        skip.defined() ? skip.data_ptr<float>() : nullptr, skipPerChannel, s, reinterpret_cast<in_t*>(y.data_ptr()));
}

}  // namespace

bool ssdTensorCoreShapeSupported(int64_t headdim, int64_t dState) {
    // Output tiles of the scan: 4 x headdim/16 per block, at most kMaxFrags per warp; state slices likewise.
    return headdim > 0 && dState > 0 && headdim % 16 == 0 && dState % 16 == 0 &&
           4 * (headdim / 16) <= kWarps * kMaxFrags && (headdim / 16) * (kStateSlice / 16) <= kWarps * kMaxFrags &&
           dState <= 256;
}

std::pair<at::Tensor, at::Tensor> ssdChunkedTensorCores(const at::Tensor& xIn, const at::Tensor& dtIn,
                                                        const at::Tensor& AIn, const at::Tensor& BIn,
                                                        const at::Tensor& CIn, const at::Tensor& initIn,
                                                        at::ScalarType operandType, int64_t chunkLength,
                                                        const at::Tensor& skipIn) {
    c10::cuda::CUDAGuard guard(xIn.device());
    const int64_t Q = chunkLength > 0 ? chunkLength : kDefaultChunk;
    TORCH_CHECK(Q % kTile == 0 && Q <= kMaxChunk, "ssdChunkedTensorCores: chunk length ", Q, " is not 64, 128 or 256");
    TORCH_CHECK(xIn.dim() == 4 && BIn.dim() == 4 && CIn.dim() == 4 && dtIn.dim() == 3,
                "ssdChunkedTensorCores: expected x [B, L, H, P], dt [B, L, H], B and C [B, L, G, N]");
    const int64_t batch = xIn.size(0), L = xIn.size(1), H = xIn.size(2), P = xIn.size(3);
    const int64_t G = BIn.size(2), N = BIn.size(3);
    TORCH_CHECK(ssdTensorCoreShapeSupported(P, N) && H % G == 0, "ssdChunkedTensorCores: unsupported shape P=", P,
                " N=", N, " H=", H, " G=", G);
    TORCH_CHECK(operandType == at::kHalf || operandType == at::kBFloat16, "ssdChunkedTensorCores: operand type ",
                operandType, " is not bf16 or fp16");
    const at::ScalarType inType = xIn.scalar_type();
    TORCH_CHECK(dtIn.scalar_type() == at::kFloat && (inType == at::kFloat || inType == operandType) &&
                    BIn.scalar_type() == inType && CIn.scalar_type() == inType,
                "ssdChunkedTensorCores: dt must be fp32, x, B and C all fp32 or all ", operandType, " (got x ",
                inType, ", B ", BIn.scalar_type(), ", C ", CIn.scalar_type(), ")");
    const at::Tensor x = rowsContiguous(xIn, 2), Bm = rowsContiguous(BIn, 2), Cm = rowsContiguous(CIn, 2);
    const at::Tensor A = AIn.to(at::kFloat).contiguous();
    const at::Tensor init = initIn.defined() ? initIn.to(at::kFloat).contiguous() : at::Tensor();
    SsdShape s{L,
               static_cast<int>(H),
               static_cast<int>(P),
               static_cast<int>(G),
               static_cast<int>(N),
               static_cast<int>((L + Q - 1) / Q),
               static_cast<int>(Q),
               x.stride(0),
               x.stride(1),
               Bm.stride(0),
               Bm.stride(1),
               Cm.stride(0),
               Cm.stride(1),
               dtIn.stride(0),
               dtIn.stride(1),
               dtIn.stride(2)};
    at::Tensor skip;
    if (skipIn.defined()) {
        skip = skipIn.to(at::kFloat).contiguous();
        TORCH_CHECK(skip.numel() == H || skip.numel() == H * P, "ssdChunkedTensorCores: skip has ", skip.numel(),
                    " entries for ", H, " heads of ", P);
    }
    const auto fp32 = x.options().dtype(at::kFloat);
    at::Tensor y = at::empty({batch, L, H, P}, x.options());  // in x's dtype
    at::Tensor finalState = at::empty({batch, H, P, N}, fp32);
    if (batch == 0 || L == 0) {
        finalState = init.defined() ? init.clone() : at::zeros({batch, H, P, N}, fp32);
        return {y, finalState};
    }
    // The chunk-serial kernel where it is asked for or expected to be faster; an explicit chunk length asks for
    // the chunk-parallel kernels (bench-ssd times each length).
    const SsdScanKernel which = kernelPaths().ssdScanKernel;
    if (chunkLength <= 0 && which != SsdScanKernel::Parallel && ssdSerialScanSupported(P, N)) {
        if (which == SsdScanKernel::Serial || ssd::ssdSerialPays(s, batch, deviceMultiprocessors())) {
            ssd::ssdSerial(x, dtIn, A, Bm, Cm, init, skip, s, batch, operandType, y, finalState);
            return {y, finalState};
        }
    }
    auto run = [&](auto mmaTag, auto inTag) {
        using mma_t = decltype(mmaTag);
        using in_t = decltype(inTag);
        // Accumulator tiles per warp: the [64 x P] output and the [P x 64] state slice are P / 32 of them.
        if (P <= 64) launchSsd<mma_t, in_t, 2>(x, dtIn, A, Bm, Cm, init, skip, s, batch, y, finalState);
        else launchSsd<mma_t, in_t, kMaxFrags>(x, dtIn, A, Bm, Cm, init, skip, s, batch, y, finalState);
    };
    const bool fp32In = inType == at::kFloat;
    if (operandType == at::kHalf) {
        if (fp32In) run(__half(), float());
        else run(__half(), __half());
    } else {
        if (fp32In) run(__nv_bfloat16(), float());
        else run(__nv_bfloat16(), __nv_bfloat16());
    }
    return {y, finalState};
}

}  // namespace ssmlens::fused
