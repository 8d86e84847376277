// Step 3 of the token reduction (FusedReduction.h): for every token a of A its best match in B by cosine.
// Large products run on cuBLAS where it is reachable (bestMatchOnCublas, below); small ones, or all when
// cuBLAS is missing or not asked for (KernelPaths::bestMatchProducts), on the kernels of this file, which compute
// cos(a, b) = (g_a . g_b) / (|g_a| |g_b|) with g the (clipped) mixer output, as one blocked matrix product
// that keeps only each row's maximum. Each block computes a BM x BN tile of dot products for one sequence,
// scales them by the two inverse norms, finds each row's best column in the tile (the first one on ties:
// the B list is ascending, so that is the lower position) and merges it into the row's packed best match with
// a 64-bit atomicMax (FusedReduction's packBest: exact and independent of the order of the blocks). The
// cosine matrix itself never reaches device memory.
//
// bf16 / fp16: tensor cores (ldmatrix + mma.sync m16n8k16, fp32 accumulation), operand tiles brought in by
// cp.async, four or six stages deep; the clipping max(g, 0) is applied in shared memory by the thread that
// copied each chunk, between its own cp.async wait and the block barrier every k step has anyway (no extra
// barrier, each value clipped once); the row maxima are taken from the accumulator registers. Whatever the tile
// shape, every output is the same chain of m16n8k16 steps over k in order, so the tile configurations give
// bit-identical cosines.
// fp32: a plain fp32 product (no TF32), 4 x 4 outputs per thread.
#include "core/cuda/ReductionKernels.cuh"

#include "core/cuda/CublasProducts.h"
#include "core/cuda/MmaFragments.cuh"

#include <algorithm>
#include <atomic>
#include <type_traits>

#include <ATen/ops/empty.h>

#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAStream.h>

namespace ssmlens::fused::reduction {
namespace {

using mma::ldmatrixX4;  // ldmatrix and mma.sync m16n8k16 on raw PTX (MmaFragments.cuh, shared with the serial scan)
using mma::mma16816;

constexpr int kThreads = 256;  // 8 warps (fp32 kernel)
__device__ __forceinline__ float negInf() { return __uint_as_float(0xff800000u); }

// max(v, 0) on two packed 16-bit values of a bf16 / fp16 type (both keep the sign in the top bit): a value with
// its sign bit set (negative, -0, or a NaN with the sign set) becomes +0, the same bits as clip8 below. Two
// instructions: a byte permute whose selector nibbles 9 and B replicate the sign bit of byte 1 (the low half's
// top byte) over bytes 0-1 and that of byte 3 over bytes 2-3 (PTX prmt, sign-extend mode: selector msb set),
// which gives 0xffff for every negative half, then an and-not (the form before was four integer operations in
// the source: shift, mask, multiply, and-not).
__device__ __forceinline__ unsigned clip2(unsigned w) {
    unsigned negative;
    asm("prmt.b32 %0, %1, %2, 0xbb99;\n" : "=r"(negative) : "r"(w), "r"(0u));
    return w & ~negative;
}

// max(v, 0) on 8 packed 16-bit values of a bf16 / fp16 type (16 bytes in registers or in shared memory).
__device__ __forceinline__ void clip8(uint4* p) {
    uint4 u = *p;
    u.x = clip2(u.x);
    u.y = clip2(u.y);
    u.z = clip2(u.z);
    u.w = clip2(u.w);
    *p = u;
}

// A candidate (value, column) is better than the current one when its value is larger, or equal with a lower
// column; an empty candidate has column -1.
__device__ __forceinline__ void keepBetter(float& v, int& c, float v2, int c2) {
    if (c2 < 0) return;
    if (c < 0 || v2 > v || (v2 == v && c2 < c)) {
        v = v2;
        c = c2;
    }
}

// Rows and columns of one block's tile: the feature offsets of its A and B tokens (-1 past the lists' ends),
// their inverse norms and the B tokens' positions.
template <int BM, int BN>
struct TileRows {
    int64_t offA[BM], offB[BN];
    float invA[BM], invB[BN];
    int rowA[BM], posB[BN];  // positions of the A and B tokens in the sequence
};

// The tile's rows in two parts: the list entries (thread q takes A row q and B row q: every configuration has at
// least max(BM, BN) threads), kept in registers, with their feature offsets and positions stored at once (the
// operand loads need them); the inverse norms, needed only by the epilogue, stored after the first operand
// loads are on their way, so that their memory round trip overlaps those loads.
struct TileRowIndex {
    int rowA, rowB;  // row in the sequence of this thread's A / B entry, -1 for none
};
template <int BM, int BN>
__device__ __forceinline__ TileRowIndex loadTileOffsets(TileRows<BM, BN>& t, const StepShape& s, const StepBuffers& buf,
                                                        int b, int a0, int c0, int nA, int nB) {
    const int q = threadIdx.x;
    const int64_t base = static_cast<int64_t>(b) * s.M;
    TileRowIndex r;
    r.rowA = q < BM && a0 + q < nA ? buf.aList[static_cast<int64_t>(b) * s.nAmax + a0 + q] : -1;
    r.rowB = q < BN && c0 + q < nB ? buf.bList[static_cast<int64_t>(b) * s.nBmax + c0 + q] : -1;
    if (q < BM) {
        t.offA[q] = r.rowA >= 0 ? (base + r.rowA) * s.D : -1;
        t.rowA[q] = r.rowA;
    }
    if (q < BN) {
        t.offB[q] = r.rowB >= 0 ? (base + r.rowB) * s.D : -1;
        t.posB[q] = r.rowB;
    }
    return r;
}
template <int BM, int BN>
__device__ __forceinline__ void loadTileNorms(TileRows<BM, BN>& t, const StepShape& s, const StepBuffers& buf, int b,
                                              TileRowIndex r) {
    const int q = threadIdx.x;
    const int64_t base = static_cast<int64_t>(b) * s.M;
    const float invA = r.rowA >= 0 ? buf.invNorm[base + r.rowA] : 0.f;
    const float invB = r.rowB >= 0 ? buf.invNorm[base + r.rowB] : 0.f;
    if (q < BM) t.invA[q] = invA;
    if (q < BN) t.invB[q] = invB;
}

// One tile configuration of the tensor-core kernel: BM x BN outputs per block, WARPS_M x WARPS_N warps, k steps
// of BK channels, STAGES operand tiles in flight (cp.async groups), at least MIN_BLOCKS blocks per
// multiprocessor (the register budget follows).
template <int BM_, int BN_, int WARPS_M_, int WARPS_N_, int STAGES_, int BK_, int MIN_BLOCKS_>
struct TileConfig {
    static constexpr int BM = BM_, BN = BN_, WARPS_M = WARPS_M_, WARPS_N = WARPS_N_, STAGES = STAGES_;
    static constexpr int MIN_BLOCKS = MIN_BLOCKS_;
    static constexpr int BK = BK_, LDS = BK + 8;  // 16 extra bytes per smem row against bank conflicts
    static constexpr int THREADS = 32 * WARPS_M * WARPS_N;
    template <typename T>
    static constexpr int operandBytes() {
        return STAGES * (BM + BN) * LDS * static_cast<int>(sizeof(T));
    }
    static constexpr int epilogueBytes() {
        return BM * WARPS_N * 8;
    }
    template <typename T>
    static constexpr int smemBytes() {
        return operandBytes<T>() > epilogueBytes() ? operandBytes<T>() : epilogueBytes();
    }
};
// Large products (all on these kernels): 256 threads, 80 KB, two blocks per multiprocessor.
using BigTiles = TileConfig<128, 128, 2, 4, 4, 32, 2>;
// Narrow models at short lengths (the by-size default: D <= 1024, under kCublasFromMacs), where one step's product
// is a few hundred tiles: k steps of 64 channels (half the waits and barriers of 32 channels; the clip was then a
// separate pass over shared memory with a barrier of its own), six stages, 108 KB, two blocks per multiprocessor.
// 64 x 64 tiles while there are enough of them to give every multiprocessor one (the first anchors: 1024 x 1024 at
// L 2048 is 256 tiles), 32 x 64 below that (the last anchors of a 130m pass, ~560 x 560, are 81 tiles of 64 x 64 and
// 162 of 32 x 64). Measured on the H100 (Nsight Compute, reduced 130m pass at L 2048, mean per step; 2026-12-06,
// docs/results/step-narrow-h100-2026-12-06.md): 32 channels x 4 stages with the smem clip 31.7 us, 64 x 3 stages
// 23.6 us, 64 x 6 stages 23.3 us, all with 32 x 32 outputs per warp. More operand tiles in flight did not help;
// Nsight Compute's sections of the first anchor step (tools/device/prefill_graph.sh bprof, 2026-12-06) showed
// 2 warps per scheduler (the grid is ~2 blocks per multiprocessor whatever the occupancy limit), 4.4 cycles per
// issued instruction, the top stall a fixed-latency dependency: too few warps to hide the latency of the mma / clip
// chain. So 32 x 16 outputs per warp (8 warps a 64 x 64 tile, 4 a 32 x 64 one): twice the warps on the same tiles
// and stages, half again the ldmatrix traffic (24 ldmatrix.x4 per 16 channels of a 64 x 64 tile, not 16: A is read
// by 4 warps, not 2), the same chain of k steps for every output (bit-identical cosines). Then (2026-12-07) fewer
// instructions per k step for the same warps: the copies' addresses worked out once per block and the clip done once
// per value by the copying thread (the kernel below), no longer per fragment in every warp.
// Then (2026-12-07, eleventh session) the first anchors' products, where 64 x 64 tiles are more than one per
// multiprocessor (256 at L 2048: two blocks on most of them): the work of two such tiles as one 128 x 64 tile of
// 16 warps, the same 32 x 16 outputs per warp. Per multiprocessor the same product and the same warps, but 192
// operand rows brought in from L2 per k step instead of 256 (the A rows shared by the pair): the step's product
// reads each token row from L2 once per tile it is in, ~50 MB at the first anchor of a 130m pass at L 2048 for
// 3 MB of features, and Nsight Compute had the kernel's memory at 47 % of its peak.
using NarrowTiles = TileConfig<64, 64, 2, 4, 6, 64, 2>;      // 256 threads, 108 KB
using NarrowPairTiles = TileConfig<128, 64, 4, 4, 6, 64, 1>;  // 512 threads, 162 KB
using NarrowTallTiles = TileConfig<32, 64, 1, 4, 6, 64, 2>;  // 128 threads, 81 KB

template <typename T, typename C>
__global__ void __launch_bounds__(C::THREADS, C::MIN_BLOCKS)
    bestMatchTensorCoreKernel(const T* __restrict__ h, StepShape s, bool clipped, StepBuffers buf) {
    constexpr int BM = C::BM, BN = C::BN, BK = C::BK, LDS = C::LDS, STAGES = C::STAGES, THREADS = C::THREADS;
    constexpr int WM = BM / C::WARPS_M, WN = BN / C::WARPS_N, FM = WM / 16, FN8 = WN / 8;
    constexpr int CH = BK * sizeof(T) / 16;  // 16-byte chunks per tile row
    static_assert(FM >= 1 && FN8 >= 2 && WM % 16 == 0 && WN % 16 == 0, "tile shape");
    static_assert(THREADS >= BM && THREADS >= BN, "a thread per tile row (loadTileOffsets)");
    followPreviousKernel();
    const int b = blockIdx.z, nA = s.nA(b), nB = s.nB(b);
    const int a0 = blockIdx.x * BM, c0 = blockIdx.y * BN;
    if (a0 >= nA || c0 >= nB) return;

    extern __shared__ __align__(128) unsigned char smem[];
    T* operands = reinterpret_cast<T*>(smem);  // STAGES x (A tile [BM][LDS], then B tile [BN][LDS])
    __shared__ TileRows<BM, BN> rows;
    const TileRowIndex index = loadTileOffsets(rows, s, buf, b, a0, c0, nA, nB);
    __syncthreads();

    const int tid = threadIdx.x, warp = tid >> 5, lane = tid & 31;
    const int wm = warp / C::WARPS_N, wn = warp % C::WARPS_N;
    // Each thread copies the same CPT 16-byte chunks of every k tile (chunk j is number j * THREADS + tid of the
    // tile's (BM + BN) x CH), so where they come from and go to is worked out once here, not at every k step:
    // the chunks' column in the tile (tid % CH) is the same for all j, and whether chunk j is of A or B is known
    // at compile time. Per k step a chunk then costs an add, a select and its cp.async.
    constexpr int CPT = (BM + BN) * CH / THREADS, A_CHUNKS = BM * CH / THREADS;
    static_assert(THREADS % CH == 0 && (BM * CH) % THREADS == 0 && (BN * CH) % THREADS == 0, "chunks per thread");
    const int part = tid % CH, firstRow = tid / CH;
    const T* src[CPT];  // the chunk's row at channel part * 8, nullptr where the tile has no such row
#pragma unroll
    for (int j = 0; j < CPT; ++j) {
        const int r = firstRow + j * (THREADS / CH) - (j < A_CHUNKS ? 0 : BM);
        const int64_t off = j < A_CHUNKS ? rows.offA[r] : rows.offB[r];
        src[j] = off >= 0 ? h + off + part * 8 : nullptr;
    }
    // Element offset of chunk j in a stage: A rows first, then B rows (the B chunks' rows restart at BM).
    const int firstDst = firstRow * LDS + part * 8;
    constexpr int kRowStride = (THREADS / CH) * LDS;
    auto stageOf = [&](int stage) { return operands + stage * (BM + BN) * LDS; };
    auto load = [&](int stage, int k0) {
        T* dst = stageOf(stage) + firstDst;
        const bool inK = k0 + part * 8 < s.D;  // past the end: zeros (D is a multiple of 8)
#pragma unroll
        for (int j = 0; j < CPT; ++j) {
            const bool ok = inK && src[j] != nullptr;
            cpAsync16(dst + j * kRowStride, ok ? src[j] + k0 : h, ok ? 16 : 0);
        }
    };
    // max(g, 0) on the chunks this thread copied, once they are in (its own cp.async wait) and before the barrier
    // that shows them to the other warps: each operand value is clipped once, by one thread, with no barrier of
    // its own (clipping the fragments after ldmatrix instead repeated it in every warp that reads the value: an A
    // row is read by WARPS_N warps, and put an integer dependency between every ldmatrix and its mma). Zero-filled
    // chunks stay zero, so every chunk is clipped, without a test. The same bits either way.
    auto clipOwn = [&](int stage) {
        T* dst = stageOf(stage) + firstDst;
#pragma unroll
        for (int j = 0; j < CPT; ++j) clip8(reinterpret_cast<uint4*>(dst + j * kRowStride));
    };
    auto stageA = [&](int stage) { return stageOf(stage); };
    auto stageB = [&](int stage) { return stageOf(stage) + BM * LDS; };

    // Accumulators of the warp's WM x WN outputs as m16n8 tiles: acc[i][j][0..1] at row g, columns 2q, 2q + 1
    // of tile (i, j), acc[i][j][2..3] at row g + 8 (g = lane / 4, q = lane % 4: the mma.m16n8k16 layout).
    float acc[FM][FN8][4];
#pragma unroll
    for (int i = 0; i < FM; ++i)
#pragma unroll
        for (int j = 0; j < FN8; ++j)
#pragma unroll
            for (int v = 0; v < 4; ++v) acc[i][j][v] = 0.f;

    // Multistage pipeline: tiles kt + 1 .. kt + STAGES - 1 are in flight while tile kt is multiplied. Every
    // iteration commits one group (empty past the end), so "all but the newest STAGES - 2" is always tile kt.
    const int KT = (s.D + BK - 1) / BK;
#pragma unroll
    for (int st = 0; st < STAGES - 1; ++st) {
        if (st < KT) load(st, st * BK);
        cpAsyncCommit();
    }
    loadTileNorms(rows, s, buf, b, index);  // read after the main loop's barriers
    // ldmatrix addresses of this lane inside a 16 x 16 tile: A as rows (lane % 16) at k 0 / 8; B as n rows
    // (lane % 8) + 8 (lane / 16) at k 8 ((lane / 8) % 2).
    const int aRow = lane & 15, aCol = (lane >> 4) * 8;
    const int bRow = (lane & 7) + (lane >> 4) * 8, bCol = ((lane >> 3) & 1) * 8;
    for (int kt = 0; kt < KT; ++kt) {
        cpAsyncWait<STAGES - 2>();  // this thread's chunks of tile kt are in
        if (clipped) clipOwn(kt % STAGES);
        __syncthreads();  // tile kt is in (and clipped) for everyone, and everyone is done with tile kt - 1
        const int next = kt + STAGES - 1;
        if (next < KT) load(next % STAGES, next * BK);
        cpAsyncCommit();
        const T* At = stageA(kt % STAGES);
        const T* Bt = stageB(kt % STAGES);
#pragma unroll
        for (int kk = 0; kk < BK; kk += 16) {
            unsigned af[FM][4], bf[FN8 / 2][4];
#pragma unroll
            for (int i = 0; i < FM; ++i) ldmatrixX4(af[i], At + (wm * WM + i * 16 + aRow) * LDS + kk + aCol);
#pragma unroll
            for (int j = 0; j < FN8 / 2; ++j) ldmatrixX4(bf[j], Bt + (wn * WN + j * 16 + bRow) * LDS + kk + bCol);
#pragma unroll
            for (int i = 0; i < FM; ++i)
#pragma unroll
                for (int j = 0; j < FN8; ++j)
                    mma16816<T>(acc[i][j], af[i], bf[j / 2][(j % 2) * 2], bf[j / 2][(j % 2) * 2 + 1]);
        }
    }
    cpAsyncWait<0>();
    __syncthreads();  // the operand buffers are free for the epilogue

    // Row maxima in registers: each thread scans its columns of rows g and g + 8 of every m16 tile, then the
    // four threads of a quad (the same rows) combine; the warps across the tile's columns combine through
    // shared memory.
    float* partV = reinterpret_cast<float*>(smem);  // [BM][WARPS_N]
    int* partC = reinterpret_cast<int*>(partV + BM * C::WARPS_N);
    const int g = lane >> 2, q = lane & 3;
#pragma unroll
    for (int i = 0; i < FM; ++i) {
#pragma unroll
        for (int half = 0; half < 2; ++half) {
            const int rowInTile = wm * WM + i * 16 + g + half * 8;
            const float invA = rows.invA[rowInTile];
            float v = negInf();
            int col = -1;
#pragma unroll
            for (int j = 0; j < FN8; ++j)
#pragma unroll
                for (int c = 0; c < 2; ++c) {
                    const int colInTile = wn * WN + j * 8 + 2 * q + c;
                    if (c0 + colInTile < nB)
                        keepBetter(v, col, acc[i][j][half * 2 + c] * rows.invB[colInTile] * invA, colInTile);
                }
#pragma unroll
            for (int o = 1; o < 4; o <<= 1)
                keepBetter(v, col, __shfl_xor_sync(0xffffffffu, v, o), __shfl_xor_sync(0xffffffffu, col, o));
            if (q == 0) {
                partV[rowInTile * C::WARPS_N + wn] = v;
                partC[rowInTile * C::WARPS_N + wn] = col;
            }
        }
    }
    __syncthreads();
    for (int r = tid; r < BM; r += THREADS) {
        if (a0 + r >= nA) continue;
        float v = negInf();
        int col = -1;
        for (int w = 0; w < C::WARPS_N; ++w) keepBetter(v, col, partV[r * C::WARPS_N + w], partC[r * C::WARPS_N + w]);
        if (col < 0) continue;
        const int64_t aRowIndex = static_cast<int64_t>(b) * s.M + rows.rowA[r];  // no list read at the end
        atomicMax(&buf.best[aRowIndex], packBest(v, rows.posB[col]));
    }
}

template <typename T, typename C>
void launchTensorCore(const T* h, const StepShape& s, bool clipped, const StepBuffers& buf, const KernelLaunch& how) {
    constexpr int bytes = C::template smemBytes<T>();
    auto kernel = bestMatchTensorCoreKernel<T, C>;
    // Above 48 KB of dynamic shared memory a kernel must ask, once per device (the first step runs eagerly
    // before a prefill graph captures it: CapturedGraph's warm-up, so the capture itself never asks).
    if constexpr (bytes > 48 * 1024) {
        static std::atomic<bool> asked[kMaxDevices] = {};
        const int device = currentDeviceIndex();
        if (!asked[device].load(std::memory_order_acquire)) {
            C10_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, bytes));
            // All of the unified L1 / shared memory as shared where it can be: room for two such blocks.
            C10_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributePreferredSharedMemoryCarveout,
                                                cudaSharedmemCarveoutMaxShared));
            asked[device].store(true, std::memory_order_release);
        }
    }
    const dim3 grid((s.nAmax + C::BM - 1) / C::BM, (s.nBmax + C::BN - 1) / C::BN, s.B);
    launchKernel(kernel, grid, dim3(C::THREADS), bytes, how, h, s, clipped, buf);
}

// fp32 models: 64 x 64 tiles, k steps of 16, each of the 256 threads owns 4 rows x 4 columns.
__global__ void __launch_bounds__(kThreads)
    bestMatchFp32Kernel(const float* __restrict__ h, StepShape s, bool clipped, StepBuffers buf) {
    constexpr int BM = 64, BN = 64, BK = 16;
    followPreviousKernel();
    const int b = blockIdx.z, nA = s.nA(b), nB = s.nB(b);
    const int a0 = blockIdx.x * BM, c0 = blockIdx.y * BN;
    if (a0 >= nA || c0 >= nB) return;
    __shared__ __align__(16) float As[BK][BM + 4];
    __shared__ __align__(16) float Bs[BK][BN + 4];
    __shared__ TileRows<BM, BN> rows;
    const TileRowIndex index = loadTileOffsets(rows, s, buf, b, a0, c0, nA, nB);  // 256 threads: one per row
    loadTileNorms(rows, s, buf, b, index);
    __syncthreads();
    const int tid = threadIdx.x, tx = tid % 16, ty = tid / 16;
    float acc[4][4] = {};
    for (int k0 = 0; k0 < s.D; k0 += BK) {
        {
            const int r = tid / 4, q = tid % 4, col = k0 + q * 4;  // one float4 of A and one of B per thread
            float4 va = make_float4(0.f, 0.f, 0.f, 0.f), vb = va;
            if (rows.offA[r] >= 0 && col < s.D) va = __ldg(reinterpret_cast<const float4*>(h + rows.offA[r] + col));
            if (rows.offB[r] >= 0 && col < s.D) vb = __ldg(reinterpret_cast<const float4*>(h + rows.offB[r] + col));
            if (clipped) {
                va = make_float4(fmaxf(va.x, 0.f), fmaxf(va.y, 0.f), fmaxf(va.z, 0.f), fmaxf(va.w, 0.f));
                vb = make_float4(fmaxf(vb.x, 0.f), fmaxf(vb.y, 0.f), fmaxf(vb.z, 0.f), fmaxf(vb.w, 0.f));
            }
            As[q * 4 + 0][r] = va.x;
            As[q * 4 + 1][r] = va.y;
            As[q * 4 + 2][r] = va.z;
            As[q * 4 + 3][r] = va.w;
            Bs[q * 4 + 0][r] = vb.x;
            Bs[q * 4 + 1][r] = vb.y;
            Bs[q * 4 + 2][r] = vb.z;
            Bs[q * 4 + 3][r] = vb.w;
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < BK; ++kk) {
            const float4 a = *reinterpret_cast<const float4*>(&As[kk][ty * 4]);
            const float4 c = *reinterpret_cast<const float4*>(&Bs[kk][tx * 4]);
            const float av[4] = {a.x, a.y, a.z, a.w}, cv[4] = {c.x, c.y, c.z, c.w};
#pragma unroll
            for (int i = 0; i < 4; ++i)
#pragma unroll
                for (int j = 0; j < 4; ++j) acc[i][j] = fmaf(av[i], cv[j], acc[i][j]);
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < 4; ++i) {
        const int rowInTile = ty * 4 + i;
        float v = negInf();
        int col = -1;
#pragma unroll
        for (int j = 0; j < 4; ++j) {
            const int colInTile = tx * 4 + j;
            if (c0 + colInTile < nB) keepBetter(v, col, acc[i][j] * rows.invB[colInTile] * rows.invA[rowInTile], colInTile);
        }
        // The 16 threads of one row group are 16 consecutive lanes.
        for (int o = 8; o > 0; o >>= 1)
            keepBetter(v, col, __shfl_xor_sync(0xffffffffu, v, o), __shfl_xor_sync(0xffffffffu, col, o));
        if (tx == 0 && col >= 0 && a0 + rowInTile < nA) {
            const int64_t aRow = static_cast<int64_t>(b) * s.M + rows.rowA[rowInTile];
            atomicMax(&buf.best[aRow], packBest(v, rows.posB[col]));
        }
    }
}

// The cuBLAS path, used where cuBLAS is reachable (CublasProducts.h): the A and B rows of each sequence are
// gathered (and clipped) into two dense matrices, cuBLAS forms every dot product in fp32, and one warp per A row
// finds the row's best column. It writes the products to device memory (nA x nB floats per sequence) but runs at
// cuBLAS's rate, several times the hand-written kernel's on these gathered operands. Per sequence the operands
// and products have nAp >= nAmax rows and nBp >= nBmax columns, multiples of 16 (bestMatchOnCublas says why);
// the rows past a sequence's list are zero and their products are never read.
template <typename T>
__global__ void gatherListsKernel(const T* __restrict__ h, StepShape s, bool clipped, StepBuffers buf, int b0, int nAp,
                                  int nBp, T* __restrict__ aOut, T* __restrict__ bOut, float* __restrict__ invBList) {
    constexpr int V = 16 / sizeof(T);
    const int local = blockIdx.y, b = b0 + local, slot = blockIdx.x;
    const bool isA = slot < nAp;
    const int e = isA ? slot : slot - nAp, n = isA ? s.nA(b) : s.nB(b);
    const int row = e < n ? (isA ? buf.aList[static_cast<int64_t>(b) * s.nAmax + e]
                                 : buf.bList[static_cast<int64_t>(b) * s.nBmax + e])
                          : -1;
    const int64_t base = static_cast<int64_t>(b) * s.M;
    T* dst = isA ? aOut + (static_cast<int64_t>(local) * nAp + e) * s.D : bOut + (static_cast<int64_t>(local) * nBp + e) * s.D;
    const T* src = h + (base + (row >= 0 ? row : 0)) * s.D;
    for (int c = threadIdx.x * V; c < s.D; c += blockDim.x * V) {
        uint4 v = make_uint4(0u, 0u, 0u, 0u);
        if (row >= 0) {
            v = __ldg(reinterpret_cast<const uint4*>(src + c));
            if (clipped) {
                if constexpr (sizeof(T) == 2) {
                    clip8(&v);
                } else {
                    float* f = reinterpret_cast<float*>(&v);
                    for (int k = 0; k < 4; ++k) f[k] = fmaxf(f[k], 0.f);
                }
            }
        }
        *reinterpret_cast<uint4*>(dst + c) = v;
    }
    if (!isA && threadIdx.x == 0)
        invBList[static_cast<int64_t>(local) * nBp + e] = row >= 0 ? buf.invNorm[base + row] : 0.f;
}

constexpr int kRowMaxWarps = 8;

__global__ void __launch_bounds__(kRowMaxWarps * 32)
    rowMaxKernel(const float* __restrict__ products, const float* __restrict__ invBList, StepShape s, int b0, int nAp,
                 int nBp, StepBuffers buf) {
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const int local = blockIdx.y, b = b0 + local, e = blockIdx.x * kRowMaxWarps + warp;
    if (e >= s.nA(b)) return;
    const int64_t base = static_cast<int64_t>(b) * s.M;
    const int row = buf.aList[static_cast<int64_t>(b) * s.nAmax + e], nB = s.nB(b);
    const float invA = buf.invNorm[base + row];
    const float* p = products + (static_cast<int64_t>(local) * nAp + e) * nBp;
    const float* invB = invBList + static_cast<int64_t>(local) * nBp;
    float v = negInf();
    int col = -1;
    for (int c = lane; c < nB; c += 32) keepBetter(v, col, p[c] * invB[c] * invA, c);
    for (int o = 16; o > 0; o >>= 1)
        keepBetter(v, col, __shfl_xor_sync(0xffffffffu, v, o), __shfl_xor_sync(0xffffffffu, col, o));
    if (lane == 0 && col >= 0) buf.best[base + row] = packBest(v, buf.bList[static_cast<int64_t>(b) * s.nBmax + col]);
}

void bestMatchOnCublas(const at::Tensor& hidden, const StepShape& s, const StepRecipe& r, const StepBuffers& buf) {
    constexpr int64_t kMaxProducts = int64_t(1) << 26;  // 256 MiB of fp32 products per group of sequences
    // Row counts rounded up to a multiple of 16: with a leading dimension of the products (nBp) that is not a
    // multiple of 8, cuBLAS falls back to slow unaligned kernels (measured on an H100, 2.7b at L 8192: 510-696 us
    // instead of 118 us at the anchors after the first, whose token counts are odd).
    constexpr int kProductAlign = 16;
    const int nAp = (s.nAmax + kProductAlign - 1) / kProductAlign * kProductAlign,
              nBp = (s.nBmax + kProductAlign - 1) / kProductAlign * kProductAlign;
    const int64_t perSequence = static_cast<int64_t>(nAp) * nBp;
    const int group = static_cast<int>(std::min<int64_t>(s.B, std::max<int64_t>(1, kMaxProducts / perSequence)));
    auto opts = hidden.options();
    at::Tensor a = at::empty({group, nAp, s.D}, opts), bm = at::empty({group, nBp, s.D}, opts);
    at::Tensor invB = at::empty({group, nBp}, opts.dtype(at::kFloat));
    at::Tensor products = at::empty({group, nAp, nBp}, opts.dtype(at::kFloat));
    auto stream = c10::cuda::getCurrentCUDAStream();
    const int threads = std::min(256, std::max(32, (s.D / 8 + 31) / 32 * 32));
    for (int b0 = 0; b0 < s.B; b0 += group) {
        const int count = std::min(group, s.B - b0);
        dispatchCudaType(hidden.scalar_type(), [&](auto tag) {
            using T = decltype(tag);
            gatherListsKernel<T><<<dim3(nAp + nBp, count), threads, 0, stream>>>(
                reinterpret_cast<const T*>(hidden.data_ptr()), s, r.clippedFeatures, buf, b0, nAp, nBp,
                reinterpret_cast<T*>(a.data_ptr()), reinterpret_cast<T*>(bm.data_ptr()), invB.data_ptr<float>());
            C10_CUDA_KERNEL_LAUNCH_CHECK();
        });
        at::Tensor c = products.narrow(0, 0, count);
        cublasProducts(a.narrow(0, 0, count), bm.narrow(0, 0, count), c);
        rowMaxKernel<<<dim3((s.nAmax + kRowMaxWarps - 1) / kRowMaxWarps, count), kRowMaxWarps * 32, 0, stream>>>(
            products.data_ptr<float>(), invB.data_ptr<float>(), s, b0, nAp, nBp, buf);
        C10_CUDA_KERNEL_LAUNCH_CHECK();
    }
}

}  // namespace

void launchBestMatch(const at::Tensor& hidden, const StepShape& s, const StepRecipe& r, const StepBuffers& buf,
                     BestMatchProducts products, const KernelLaunch& how) {
    if (s.nAmax == 0 || s.nBmax == 0) return;
    TORCH_CHECK(s.B <= 65535, "token reduction kernels: at most 65535 sequences per batch");
    // Which product is faster, measured on an H100 with padded cuBLAS operands (check-reduce --cases timed,
    // docs/results/speed-side-by-side-h100-2026-12-06.md): the kernels below only for narrow models at short
    // lengths (D 768: 0.090 vs 0.118 ms at L 1024, 0.099 vs 0.115 at L 2048), cuBLAS everywhere else, wide
    // models at short lengths included (D 2048, L 1024: 0.113 vs 0.125 ms; D 2560: 0.113 vs 0.145).
    constexpr double kCublasFromMacs = 2e9;
    constexpr int64_t kKernelsUpToWidth = 1024;
    const double macs = static_cast<double>(s.nAmax) * s.nBmax * s.D * s.B;
    if (products != BestMatchProducts::Kernels &&
        (products == BestMatchProducts::Cublas || macs >= kCublasFromMacs || s.D > kKernelsUpToWidth) &&
        cublasProductsAvailable())
        return bestMatchOnCublas(hidden, s, r, buf);  // plain stream order (cuBLAS waits for nothing itself)
    if (hidden.scalar_type() == at::kFloat) {
        const dim3 grid((s.nAmax + 63) / 64, (s.nBmax + 63) / 64, s.B);
        launchKernel(bestMatchFp32Kernel, grid, dim3(kThreads), 0, how, hidden.data_ptr<float>(), s,
                         r.clippedFeatures, buf);
        return;
    }
    dispatchCudaType(hidden.scalar_type(), [&](auto tag) {
        using T = decltype(tag);
        if constexpr (!std::is_same_v<T, float>) {
            const T* h = reinterpret_cast<const T*>(hidden.data_ptr());
            // Large tiles when there are enough of them to fill the GPU twice over, else the narrow ones (above):
            // pairs of 64 x 64 tiles where those would be more than one per multiprocessor and the pairs fit in one.
            auto tiles = [&](int bm, int bn) {
                return static_cast<int64_t>((s.nAmax + bm - 1) / bm) * ((s.nBmax + bn - 1) / bn) * s.B;
            };
            const int sms = deviceMultiprocessors();
            if (tiles(128, 128) >= 2 * sms) launchTensorCore<T, BigTiles>(h, s, r.clippedFeatures, buf, how);
            else if (tiles(64, 64) > sms && tiles(128, 64) <= sms)
                launchTensorCore<T, NarrowPairTiles>(h, s, r.clippedFeatures, buf, how);
            else if (tiles(64, 64) >= sms) launchTensorCore<T, NarrowTiles>(h, s, r.clippedFeatures, buf, how);
            else launchTensorCore<T, NarrowTallTiles>(h, s, r.clippedFeatures, buf, how);
        }
    });
}

}  // namespace ssmlens::fused::reduction
