// The chunked SSD of core/model/SsdScan.h as one chunk-serial kernel (SerialSsd.cuh): one block per (head, slice
// of PS <= 64 channels, sequence) walks the sequence's chunks of kTile positions in order and keeps the slice's
// state in fp32 registers from one chunk to the next. Per chunk, on tensor cores (raw mma.sync, MmaFragments.cuh):
//
//   scores_ij = C_i . B_j for j <= i, decayed and masked: Sh_ij = scores_ij exp(aCum_i - aCum_j) dt_j,
//   y_i       = exp(aCum_i) (C_i . S_in) + sum_{j <= i} Sh_ij x_j  (+ x_i * D),
//   S_out     = exp(aCum_end) S_in + sum_j w_j x_j (outer) B_j,   w_j = dt_j exp(aCum_end - aCum_j),
//
// with aCum the inclusive sum of dt * A inside the chunk. Operands are rounded to the model's 16-bit type, every
// product accumulates in fp32, every decay is fp32 and at most 1 (as in the chunk-parallel kernels of
// FusedSsd.cu). The chunk states never leave the multiprocessor: the parallel kernels write every chunk's state
// in fp32 and read it back, which for a wide model at batch 8 is more memory traffic than x and y together.
// What the serial form gives up is parallelism across chunks (a sequence's chunks are one block's loop), so it
// pays where batch x heads alone fill the GPU (ssdSerialPays says when).
//
// Work split, for a block of PS / 16 warps: warp w owns the state rows (channels) 16w .. 16w + 15 of the slice,
// all N columns, as m16n8 accumulator tiles. Those tiles are, element for element, the B operand of the read-out
// C . S^T (rounded in registers: no trip through shared memory), and they take the update X_w^T . B in place.
// The same warp computes the output columns 16w .. 16w + 15 for all kTile positions. The 10 tiles of 16 x 16
// scores on and below the diagonal are shared out over the warps and meet in shared memory (one barrier).
// Three barriers per chunk: operands in, scores out, buffers free again.
#include "core/cuda/SerialSsd.cuh"

#include "core/cuda/AsyncCopy.cuh"
#include "core/cuda/FusedKernels.h"
#include "core/cuda/LaunchOverlap.cuh"
#include "core/cuda/MmaFragments.cuh"

#include <algorithm>

#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

namespace ssmlens::fused::ssd {
namespace {

constexpr int kSliceP = 64;      // channels of P per block at most: four warps of 16
constexpr int kMaxStateN = 128;  // the largest N: a warp's state rows are kMaxStateN / 8 accumulator tiles
constexpr int kTileBlocks = kTile / 16;                              // 16-row blocks of positions per chunk: 4
constexpr int kLowerBlocks = kTileBlocks * (kTileBlocks + 1) / 2;   // score blocks on and below the diagonal: 10

__device__ __forceinline__ void prefetchL2(const void* p) { asm volatile("prefetch.global.L2 [%0];\n" ::"l"(p)); }

// A thread's share of moving kTile rows of `pieces` equal pieces (16-byte column pieces for a copy, 128-byte
// lines for a prefetch): piece `piece` of rows row, row + rowStep, ... (none when row >= rowStep). Worked out once
// per kernel, so the chunk loop has no division in it.
struct RowPlan {
    int row, piece, rowStep;
    __device__ RowPlan(int pieces, int threads) {
        const int t = threadIdx.x;
        rowStep = threads / pieces;
        row = t / pieces;
        piece = t - row * pieces;
        if (row >= rowStep) row = kTile;  // threads beyond whole rows idle
    }
};

// Asks L2 for the next chunk's rows (plan over the rows' 128-byte lines) while this chunk is computed, so that
// its copies find them there instead of waiting for device memory.
__device__ __forceinline__ void prefetchRows(const RowPlan& plan, const void* src, int64_t strideBytes, int64_t valid) {
    for (int r = plan.row; r < kTile && r < valid; r += plan.rowStep)
        prefetchL2(static_cast<const char*>(src) + r * strideBytes + plan.piece * 128);
}

// kTile rows (plan over the rows' 8-value pieces; row r at src + r * stride) into shared memory as mma_t rows of
// length ld, zeros at and after row `valid`. 16-bit inputs: asynchronous copies, completed by cpAsyncCommit and
// cpAsyncWait<0>; fp32 inputs: loaded and rounded here.
template <typename mma_t, typename in_t>
__device__ __forceinline__ void stageChunk(const RowPlan& plan, mma_t* dst, int ld, const in_t* src, int64_t stride,
                                           int64_t valid) {
    const int c = plan.piece * 8;
#pragma unroll 4
    for (int r = plan.row; r < kTile; r += plan.rowStep) {
        const bool ok = r < valid;
        if constexpr (std::is_same_v<in_t, mma_t>) {
            cpAsync16(dst + r * ld + c, ok ? src + r * stride + c : src, ok ? 16 : 0);
        } else {
            float4 lo = make_float4(0.f, 0.f, 0.f, 0.f), hi = lo;
            if (ok) {
                lo = __ldg(reinterpret_cast<const float4*>(src + r * stride + c));
                hi = __ldg(reinterpret_cast<const float4*>(src + r * stride + c + 4));
            }
            uint4 u;
            u.x = mma::packPair<mma_t>(lo.x, lo.y);
            u.y = mma::packPair<mma_t>(lo.z, lo.w);
            u.z = mma::packPair<mma_t>(hi.x, hi.y);
            u.w = mma::packPair<mma_t>(hi.z, hi.w);
            *reinterpret_cast<uint4*>(dst + r * ld + c) = u;
        }
    }
}

// Two packed 16-bit values (lower index in the lower half) times (f.x, f.y), each rounded once.
template <typename mma_t> __device__ __forceinline__ unsigned scalePair(unsigned packed, float2 f);
template <> __device__ __forceinline__ unsigned scalePair<__nv_bfloat16>(unsigned packed, float2 f) {
    const float2 v = __bfloat1622float2(*reinterpret_cast<const __nv_bfloat162*>(&packed));
    return mma::packPair<__nv_bfloat16>(v.x * f.x, v.y * f.y);
}
template <> __device__ __forceinline__ unsigned scalePair<__half>(unsigned packed, float2 f) {
    const float2 v = __half22float2(*reinterpret_cast<const __half2*>(&packed));
    return mma::packPair<__half>(v.x * f.x, v.y * f.y);
}

// Two consecutive output values stored as out_t (p aligned to two elements), rounded as the operands are.
__device__ __forceinline__ void storePair(float* p, float a, float b) { *reinterpret_cast<float2*>(p) = make_float2(a, b); }
template <typename T> __device__ __forceinline__ void storePair(T* p, float a, float b) {
    *reinterpret_cast<unsigned*>(p) = mma::packPair<T>(a, b);
}

// The lower-triangle score block blk (0 .. kLowerBlocks - 1, row by row) as its 16-row block of positions ib and
// 16-column block jb <= ib.
__device__ __forceinline__ int lowerBlockRow(int blk) { return blk >= 6 ? 3 : blk >= 3 ? 2 : blk >= 1 ? 1 : 0; }
__device__ __forceinline__ int lowerBlockCol(int blk, int ib) { return blk - ib * (ib + 1) / 2; }

// The raw scores C_i . B_j of block (ib, jb) from a chunk's C and B rows in shared memory (row stride ldn, N state
// columns), as two m16n8 accumulator tiles: acc[nt] holds positions i = 16 ib + g (+ 8), j = 16 jb + 8 nt + 2q (+ 1).
template <typename mma_t>
__device__ __forceinline__ void rawScoreBlock(float (&acc)[2][4], const mma_t* Cs, const mma_t* Bs, int ldn, int N,
                                              int ib, int jb, int lane) {
#pragma unroll
    for (int nt = 0; nt < 2; ++nt)
#pragma unroll
        for (int e = 0; e < 4; ++e) acc[nt][e] = 0.f;
#pragma unroll 4
    for (int kb = 0; kb < N / 16; ++kb) {
        unsigned af[4], bf[4];
        mma::ldmatrixX4(af, mma::aFromRows(Cs, ldn, 16 * ib, 16 * kb, lane));
        mma::ldmatrixX4(bf, mma::bFromRows(Bs, ldn, 16 * jb, 16 * kb, lane));
        mma::mma16816<mma_t>(acc[0], af, bf[0], bf[1]);
        mma::mma16816<mma_t>(acc[1], af, bf[2], bf[3]);
    }
}

// Byte offsets of the kernel's shared buffers for a slice of PS channels and N state columns.
struct SerialSmem {
    int64_t aCum, dt, expA, w, xs, sh, bs, cs, total;
    __host__ __device__ SerialSmem(int PS, int N, int elem) {
        aCum = 0;                       // [kTile] floats each: aCum, dt, exp(aCum), the state-update weights w
        dt = aCum + kTile * 4;
        expA = dt + kTile * 4;
        w = expA + kTile * 4;
        const int64_t xBytes = roundUp128(static_cast<int64_t>(kTile) * (PS + kPad16) * elem);
        const int64_t nBytes = roundUp128(static_cast<int64_t>(kTile) * (N + kPad16) * elem);
        xs = roundUp128(w + kTile * 4);  // [kTile][PS + kPad16] x of the chunk
        sh = xs + xBytes;                // [kTile][kTile + kPad16] decayed, masked scores
        bs = sh + roundUp128(static_cast<int64_t>(kTile) * (kTile + kPad16) * elem);  // [kTile][N + kPad16] B
        cs = bs + nBytes;                // [kTile][N + kPad16] C
        total = cs + nBytes;
    }
};

// Three blocks of four warps per multiprocessor (at most 170 registers, 3 x 55 KB of shared memory). Four, at 128
// registers, spill and measured slower (H100, device run 5: 0.636 against 0.564 ms per 2.7b layer at batch 8).
template <typename mma_t, typename in_t, int WARPS>
__global__ void __launch_bounds__(WARPS * 32, 12 / WARPS)
    serialScanKernel(const in_t* __restrict__ x, const in_t* __restrict__ Bm, const in_t* __restrict__ Cm,
                     const float* __restrict__ dt, const float* __restrict__ A, const float* __restrict__ init,
                     const float* __restrict__ skip, bool skipPerChannel, SsdShape s, in_t* __restrict__ y,
                     float* __restrict__ finalState) {
    followPreviousKernel();  // before any global memory access (LaunchOverlap.cuh)
    constexpr int PS = WARPS * 16, THREADS = WARPS * 32, NT = kMaxStateN / 8;
    extern __shared__ __align__(128) unsigned char smem[];
    const int slices = s.P / PS, h = blockIdx.x / slices, p0 = (blockIdx.x % slices) * PS, bi = blockIdx.y;
    const int t = threadIdx.x, warp = t >> 5, lane = t & 31, g = lane >> 2, q = lane & 3;
    const int N = s.N, grp = h / (s.H / s.G), ldx = PS + kPad16, ldn = N + kPad16, ldh = kTile + kPad16;
    const SerialSmem off(PS, N, sizeof(mma_t));
    float* aCum = reinterpret_cast<float*>(smem + off.aCum);
    float* dtS = reinterpret_cast<float*>(smem + off.dt);
    float* expA = reinterpret_cast<float*>(smem + off.expA);
    float* wS = reinterpret_cast<float*>(smem + off.w);
    mma_t* Xs = reinterpret_cast<mma_t*>(smem + off.xs);
    mma_t* Sh = reinterpret_cast<mma_t*>(smem + off.sh);
    mma_t* Bs = reinterpret_cast<mma_t*>(smem + off.bs);
    mma_t* Cs = reinterpret_cast<mma_t*>(smem + off.cs);

    const int64_t head = static_cast<int64_t>(bi) * s.H + h;
    const int pw = 16 * warp;  // the warp's channels in the slice: pw .. pw + 15
    const float a = A[h];

    // The warp's state rows: S[nt] is the m16n8 tile of channels pw .. pw + 15, state columns 8nt .. 8nt + 7.
    float S[NT][4];
#pragma unroll
    for (int nt = 0; nt < NT; ++nt)
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            const int64_t row = head * s.P + p0 + pw + g + (e >> 1) * 8;
            S[nt][e] = init && nt * 8 < N ? init[row * N + nt * 8 + 2 * q + (e & 1)] : 0.f;
        }

    const RowPlan copyX(PS / 8, THREADS), copyN(N / 8, THREADS);
    const int linesX = (PS * static_cast<int>(sizeof(in_t)) + 127) / 128,
              linesN = (N * static_cast<int>(sizeof(in_t)) + 127) / 128;
    const RowPlan fetchX(linesX, THREADS), fetchN(linesN, THREADS);
    // The skip factors of this thread's output channels (pw + 8nt + 2q + c): hoisted out of the chunk loop.
    float skipOf[2][2] = {};
    if (skip)
#pragma unroll
        for (int nt = 0; nt < 2; ++nt)
#pragma unroll
            for (int c = 0; c < 2; ++c) skipOf[nt][c] = skip[skipPerChannel ? h * s.P + p0 + pw + 8 * nt + 2 * q + c : h];
    // Warp 0's time steps of its two positions (2 lane, 2 lane + 1) in the coming chunk, loaded a chunk ahead.
    auto loadSteps = [&](int64_t at, float& d0, float& d1) {
        const int64_t i0 = at + 2 * lane;
        d0 = i0 < s.L ? dt[bi * s.dsb + i0 * s.dsl + h * s.dsh] : 0.f;
        d1 = i0 + 1 < s.L ? dt[bi * s.dsb + (i0 + 1) * s.dsl + h * s.dsh] : 0.f;
    };
    float nextD0 = 0.f, nextD1 = 0.f;
    if (warp == 0) loadSteps(0, nextD0, nextD1);

    for (int64_t pos = 0; pos < s.L; pos += kTile) {
        const int64_t valid = s.L - pos;
        // 1. The chunk's x, B and C; the cumulative log-decay, its exponentials and the update weights (warp 0:
        //    two positions per lane, one warp scan).
        stageChunk<mma_t, in_t>(copyX, Xs, ldx, x + bi * s.xsb + pos * s.xsl + h * s.P + p0, s.xsl, valid);
        stageChunk<mma_t, in_t>(copyN, Bs, ldn, Bm + bi * s.bsb + pos * s.bsl + grp * N, s.bsl, valid);
        stageChunk<mma_t, in_t>(copyN, Cs, ldn, Cm + bi * s.csb + pos * s.csl + grp * N, s.csl, valid);
        if (warp == 0) {
            const int i0 = 2 * lane;
            const float d0 = nextD0, d1 = nextD1;
            if (pos + kTile < s.L) loadSteps(pos + kTile, nextD0, nextD1);
            const float v0 = d0 * a, v1 = d1 * a;
            float incl = v0 + v1;
#pragma unroll
            for (int o = 1; o < 32; o <<= 1) {
                const float n = __shfl_up_sync(0xffffffffu, incl, o);
                if (lane >= o) incl += n;
            }
            float before = __shfl_up_sync(0xffffffffu, incl, 1);
            if (lane == 0) before = 0.f;
            const float c0 = before + v0, c1 = c0 + v1;
            const float total = __shfl_sync(0xffffffffu, c1, 31);
            aCum[i0] = c0;
            aCum[i0 + 1] = c1;
            dtS[i0] = d0;
            dtS[i0 + 1] = d1;
            expA[i0] = expf(c0);
            expA[i0 + 1] = expf(c1);
            wS[i0] = d0 * expf(total - c0);
            wS[i0 + 1] = d1 * expf(total - c1);
        }
        if (pos + kTile < s.L) {
            const int64_t next = pos + kTile, nextValid = s.L - next;
            prefetchRows(fetchX, x + bi * s.xsb + next * s.xsl + h * s.P + p0, s.xsl * sizeof(in_t), nextValid);
            prefetchRows(fetchN, Bm + bi * s.bsb + next * s.bsl + grp * N, s.bsl * sizeof(in_t), nextValid);
            prefetchRows(fetchN, Cm + bi * s.csb + next * s.csl + grp * N, s.csl * sizeof(in_t), nextValid);
        }
        cpAsyncCommit();
        cpAsyncWait<0>();
        __syncthreads();

        // 2. The decayed, masked scores: 16 x 16 blocks (ib, jb) with jb <= ib, block k of the lower triangle to
        //    warp k mod WARPS, one block at a time. Measured slower on the H100 and not kept: a warp's blocks side
        //    by side (independent accumulator chains; device run 7: 0.616 against 0.564 ms per 2.7b layer at
        //    batch 8), and the raw scores computed once per group by a kernel of their own and read back by
        //    every head (device run 11: 0.588 against 0.573 ms in the same call).
        for (int blk = warp; blk < kLowerBlocks; blk += WARPS) {
            const int ib = lowerBlockRow(blk), jb = lowerBlockCol(blk, ib);
            float acc[2][4];
            rawScoreBlock(acc, Cs, Bs, ldn, N, ib, jb, lane);
#pragma unroll
            for (int nt = 0; nt < 2; ++nt)
#pragma unroll
                for (int hr = 0; hr < 2; ++hr) {
                    const int i = 16 * ib + g + 8 * hr, j = 16 * jb + 8 * nt + 2 * q;
                    const float ai = aCum[i];
                    // j > i: above the diagonal, zero (whatever the exponential of a positive sum gave)
                    const float v0 = j <= i ? acc[nt][2 * hr] * __expf(ai - aCum[j]) * dtS[j] : 0.f;
                    const float v1 = j + 1 <= i ? acc[nt][2 * hr + 1] * __expf(ai - aCum[j + 1]) * dtS[j + 1] : 0.f;
                    *reinterpret_cast<unsigned*>(Sh + i * ldh + j) = mma::packPair<mma_t>(v0, v1);
                }
        }
        __syncthreads();

        // 3. The warp's output columns for every position: exp(aCum_i) (C . S_in^T), the state rounded to the
        //    operand type straight from its accumulator tiles, then + Sh . X over j <= i.
        float out[kTileBlocks][2][4] = {};
#pragma unroll
        for (int kb = 0; kb < NT / 2; ++kb) {
            if (16 * kb >= N) break;
            const unsigned lo0 = mma::packPair<mma_t>(S[2 * kb][0], S[2 * kb][1]),
                           lo1 = mma::packPair<mma_t>(S[2 * kb + 1][0], S[2 * kb + 1][1]),
                           hi0 = mma::packPair<mma_t>(S[2 * kb][2], S[2 * kb][3]),
                           hi1 = mma::packPair<mma_t>(S[2 * kb + 1][2], S[2 * kb + 1][3]);
#pragma unroll
            for (int mt = 0; mt < kTileBlocks; ++mt) {
                unsigned af[4];
                mma::ldmatrixX4(af, mma::aFromRows(Cs, ldn, 16 * mt, 16 * kb, lane));
                mma::mma16816<mma_t>(out[mt][0], af, lo0, lo1);  // channels pw + g
                mma::mma16816<mma_t>(out[mt][1], af, hi0, hi1);  // channels pw + 8 + g
            }
        }
#pragma unroll
        for (int mt = 0; mt < kTileBlocks; ++mt) {
            const float e0 = expA[16 * mt + g], e1 = expA[16 * mt + g + 8];
#pragma unroll
            for (int nt = 0; nt < 2; ++nt) {
                out[mt][nt][0] *= e0;
                out[mt][nt][1] *= e0;
                out[mt][nt][2] *= e1;
                out[mt][nt][3] *= e1;
            }
        }
#pragma unroll
        for (int jb = 0; jb < kTileBlocks; ++jb) {
            unsigned xb[4];
            mma::ldmatrixX4Trans(xb, mma::bFromCols(Xs, ldx, 16 * jb, pw, lane));
#pragma unroll
            for (int mt = jb; mt < kTileBlocks; ++mt) {
                unsigned af[4];
                mma::ldmatrixX4(af, mma::aFromRows(Sh, ldh, 16 * mt, 16 * jb, lane));
                mma::mma16816<mma_t>(out[mt][0], af, xb[0], xb[1]);
                mma::mma16816<mma_t>(out[mt][1], af, xb[2], xb[3]);
            }
        }
        // The output rows (plus x * skip, rounded once: __fmul_rn keeps x * D a product of its own, as in the ATen
        // expression); 16-bit inputs are in Xs exactly, fp32 inputs were rounded there, so they are read again.
#pragma unroll
        for (int mt = 0; mt < kTileBlocks; ++mt)
#pragma unroll
            for (int hr = 0; hr < 2; ++hr) {
                const int i = 16 * mt + g + 8 * hr;
                if (i >= valid) continue;
#pragma unroll
                for (int nt = 0; nt < 2; ++nt) {
                    const int p = pw + 8 * nt + 2 * q;
                    float v0 = out[mt][nt][2 * hr], v1 = out[mt][nt][2 * hr + 1];
                    if (skip) {
                        float x0, x1;
                        if constexpr (std::is_same_v<in_t, mma_t>) {
                            x0 = toFloat(Xs[i * ldx + p]);
                            x1 = toFloat(Xs[i * ldx + p + 1]);
                        } else {
                            const float2 xv = __ldg(reinterpret_cast<const float2*>(x + bi * s.xsb + (pos + i) * s.xsl +
                                                                                    h * s.P + p0 + p));
                            x0 = xv.x;
                            x1 = xv.y;
                        }
                        v0 += __fmul_rn(x0, skipOf[nt][0]);
                        v1 += __fmul_rn(x1, skipOf[nt][1]);
                    }
                    storePair(y + ((bi * s.L + pos + i) * s.H + h) * s.P + p0 + p, v0, v1);
                }
            }

        // 4. S = exp(aCum_end) S + (w x)^T B in the accumulator tiles.
        const float decay = expf(aCum[kTile - 1]);
#pragma unroll
        for (int nt = 0; nt < NT; ++nt)
#pragma unroll
            for (int e = 0; e < 4; ++e) S[nt][e] *= decay;
#pragma unroll
        for (int kb = 0; kb < kTileBlocks; ++kb) {
            // x^T as the A operand, each value times its position's weight and rounded in registers: a[0], a[1]
            // hold positions 16kb + 2q, + 1; a[2], a[3] positions 16kb + 8 + 2q, + 1.
            unsigned ax[4];
            mma::ldmatrixX4Trans(ax, mma::aFromCols(Xs, ldx, 16 * kb, pw, lane));
            const float2 wLo = *reinterpret_cast<const float2*>(wS + 16 * kb + 2 * q),
                         wHi = *reinterpret_cast<const float2*>(wS + 16 * kb + 8 + 2 * q);
            ax[0] = scalePair<mma_t>(ax[0], wLo);
            ax[1] = scalePair<mma_t>(ax[1], wLo);
            ax[2] = scalePair<mma_t>(ax[2], wHi);
            ax[3] = scalePair<mma_t>(ax[3], wHi);
#pragma unroll
            for (int nb = 0; nb < NT / 2; ++nb) {
                if (16 * nb >= N) break;
                unsigned bb[4];
                mma::ldmatrixX4Trans(bb, mma::bFromCols(Bs, ldn, 16 * kb, 16 * nb, lane));
                mma::mma16816<mma_t>(S[2 * nb], ax, bb[0], bb[1]);
                mma::mma16816<mma_t>(S[2 * nb + 1], ax, bb[2], bb[3]);
            }
        }
        __syncthreads();  // every warp is done with this chunk's buffers before the next chunk's copies land
    }
#pragma unroll
    for (int nt = 0; nt < NT; ++nt) {
        if (8 * nt >= N) break;
#pragma unroll
        for (int hr = 0; hr < 2; ++hr) {
            const int64_t row = head * s.P + p0 + pw + g + 8 * hr;
            *reinterpret_cast<float2*>(finalState + row * N + 8 * nt + 2 * q) = make_float2(S[nt][2 * hr], S[nt][2 * hr + 1]);
        }
    }
}

int sliceWidth(int64_t P) { return static_cast<int>(std::min<int64_t>(P, kSliceP)); }

}  // namespace

bool ssdSerialPays(const SsdShape& s, int64_t batch, int multiprocessors) {
    // Measured on an H100 (bench-ssd's parallel / serial columns, device run 11 of 2026-12-06,
    // docs/results/ssd-serial-h100-2026-12-06.md): the serial kernel wins from about one block per multiprocessor
    // (130m at batch 8, 192 blocks: 0.263 against 0.470 ms at L 2048) and loses below it, where each block's walk
    // through its chunks sets the pace (2.7b at batch 1, 80 blocks: 0.233 against 0.216 ms at L 2048, 0.879
    // against 0.750 at L 8192).
    constexpr int64_t kBlocksPerMultiprocessor = 1;
    const int64_t blocks = batch * s.H * (s.P / sliceWidth(s.P));
    return blocks >= kBlocksPerMultiprocessor * multiprocessors;
}

void ssdSerial(const at::Tensor& x, const at::Tensor& dt, const at::Tensor& A, const at::Tensor& Bm,
               const at::Tensor& Cm, const at::Tensor& init, const at::Tensor& skip, const SsdShape& s, int64_t batch,
               at::ScalarType operandType, at::Tensor& y, at::Tensor& finalState) {
    TORCH_CHECK(ssdSerialScanSupported(s.P, s.N), "ssdSerial: unsupported shape P=", s.P, " N=", s.N);
    TORCH_CHECK(batch <= 65535, "ssdSerial: at most 65535 sequences");
    const int PS = sliceWidth(s.P);
    auto stream = c10::cuda::getCurrentCUDAStream();
    const bool skipPerChannel = skip.defined() && skip.numel() == static_cast<int64_t>(s.H) * s.P;
    const dim3 grid(static_cast<unsigned>(s.H * (s.P / PS)), static_cast<unsigned>(batch));
    auto launch = [&](auto mmaTag, auto inTag, auto warpsTag) {
        using mma_t = decltype(mmaTag);
        using in_t = decltype(inTag);
        constexpr int warps = decltype(warpsTag)::value;
        const int bytes = static_cast<int>(SerialSmem(PS, s.N, sizeof(mma_t)).total);
        auto kernel = serialScanKernel<mma_t, in_t, warps>;
        // No carveout preference: leaving it to the driver measured the same (device run 11, dense 2.7b batch-8
        // graph 195.56 ms either way), and it spares a driver call at every layer's launch.
        allowSharedMemory(kernel, bytes);
        launchKernel(kernel, grid, warps * 32, bytes, layerLaunch(stream),
            reinterpret_cast<const in_t*>(x.data_ptr()), reinterpret_cast<const in_t*>(Bm.data_ptr()),
            reinterpret_cast<const in_t*>(Cm.data_ptr()), dt.data_ptr<float>(), A.data_ptr<float>(),
            init.defined() ? init.data_ptr<float>() : nullptr, skip.defined() ? skip.data_ptr<float>() : nullptr,
            skipPerChannel, s, reinterpret_cast<in_t*>(y.data_ptr()), finalState.data_ptr<float>());
    };
    // A warp per 16 channels of the slice.
    auto run = [&](auto mmaTag, auto inTag) {
        switch (PS / 16) {
            case 1: launch(mmaTag, inTag, std::integral_constant<int, 1>()); break;
            case 2: launch(mmaTag, inTag, std::integral_constant<int, 2>()); break;
            case 3: launch(mmaTag, inTag, std::integral_constant<int, 3>()); break;
            default: launch(mmaTag, inTag, std::integral_constant<int, 4>()); break;
        }
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
