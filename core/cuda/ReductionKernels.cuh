#pragma once
// Shared by the token-reduction kernels (core/cuda/Reduction*.cu, driven by FusedReduction.cu): the shape of
// one step, its device buffers, order-preserving keys, and block-wide scans. See FusedReduction.h for what the
// step computes; the comments here say how the pieces fit.
//
// Positions and orders. Every choice of the step ranks tokens by a key, largest first, ties to the lower
// position (as the ATen code's stable descending sorts do). Keys are fp32 values mapped to uint32 so that the
// integer order is the float order (orderedKey), which makes every ranking a strict total order with the
// position as tie break: "rank < count" then marks exactly `count` tokens, whatever the data (NaN included).
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "core/cuda/AsyncCopy.cuh"
#include "core/cuda/DeviceAttributes.cuh"
#include "core/cuda/LaunchOverlap.cuh"

#include <cstdint>

#include <ATen/core/Tensor.h>
#include <c10/cuda/CUDAException.h>
#include <c10/util/Exception.h>

#include "core/reduction/ReductionCounts.h"
#include "core/runtime/KernelPaths.h"
#include "core/reduction/TokenTrace.h"  // TokenFate

namespace ssmlens::fused::reduction {

// Per sequence b of B, rows b * M + i (i < M). Sizes known on the host.
struct StepShape {
    int B = 0, M = 0, D = 0;
    int M2 = 0;     // rows per sequence after the step (the largest outLength)
    int nAmax = 0;  // widths of the per-sequence lists: A, B, removed tokens
    int nBmax = 0;
    int kmax = 0;
    // [B] on the device (core/reduction/ReductionCounts.h); for batches of up to kCountsInArguments sequences
    // written there by the step's first kernel (rowStats) from its arguments (CountsInArguments), where no kernel
    // of the step reads them earlier.
    const SequenceCounts* counts = nullptr;
    __device__ __forceinline__ int length(int b) const { return static_cast<int>(counts[b].length); }
    __device__ __forceinline__ int keep(int b) const { return static_cast<int>(counts[b].keep); }
    __device__ __forceinline__ int nB(int b) const { return static_cast<int>(counts[b].nB); }
    __device__ __forceinline__ int nA(int b) const { return static_cast<int>(counts[b].nA); }
    __device__ __forceinline__ int removeCount(int b) const { return static_cast<int>(counts[b].removeCount); }
    __device__ __forceinline__ int outLength(int b) const { return static_cast<int>(counts[b].outLength); }
};

// The counts of a small batch by value, for the step's first kernel: no upload of its own before the step (one
// launch fewer per anchor; core/runtime/DeviceUpload.h says why small host values travel in arguments).
inline constexpr int kCountsInArguments = 8;
struct CountsInArguments {
    int n = 0;  // sequences given here; 0: StepShape::counts was filled on the device before the step
    SequenceCounts* dst = nullptr;  // where rowStats writes them for the later kernels (StepShape::counts)
    SequenceCounts c[kCountsInArguments];
};

// What the recipe asks of the kernels (ReductionRecipe, as plain values).
enum class Split : int { ImportanceHalves, AlternatePositions, ImportanceOnly };
enum class Metric : int { Clip, Raw, L2 };
enum class HiddenMerge : int { Hybrid, Merge, Prune };
struct StepRecipe {
    Split split = Split::ImportanceHalves;
    Metric metric = Metric::Clip;
    HiddenMerge hidden = HiddenMerge::Hybrid;
    bool channelChoice = true;   // hybrid per channel (else per token, by importance)
    bool mergeResidual = true;   // residual: merge (else prune)
    bool clippedFeatures = true;
    bool protectPositions = true;
};

// Device buffers of one step (FusedReduction.cu allocates them). Per row: [B * M]; lists: [B * width].
struct StepBuffers {
    // rowStats: importance (also a detail output), 1 / max(|features|, 1e-12), the ranking key
    float* importance = nullptr;
    float* invNorm = nullptr;
    uint32_t* rankKey = nullptr;
    unsigned long long* best = nullptr;  // per A row: packed (cosine, position of the best B); zeroed by rowStats
    int* aSlot = nullptr;      // per row: its slot in the A list, -1 when not in A
    int* aList = nullptr;      // [B * nAmax] rows of A, ascending
    int* bList = nullptr;      // [B * nBmax] rows of B, ascending
    int* removedList = nullptr;  // [B * kmax] removed rows, ascending
    uint8_t* removed = nullptr;  // per row: removed at this step
    int* groupCount = nullptr;   // per row: removed tokens merged into it (j); zeroed by rowStats
    int* groupStart = nullptr;   // per row: start of its members in memberList (the members are [start, start + j))
    int* groupEnd = nullptr;     // per row: finalize's cursor while it places members (sequences of more removed
                                 // tokens than its block has threads); not read after finalize
    int* memberList = nullptr;   // [B * kmax] removed rows grouped by destination, each group ascending
    int2* memberGroup = nullptr;  // [B * kmax] per member slot: (start, j) of its group in memberList, so that the
                                  // choice kernels find the group in one load instead of three dependent ones
    float* memberSize = nullptr;  // [B * kmax] per member slot: the member's size (finalize copies it from the input
                                  // sizes, so that the merge reads a group's rows and sizes in one round trip)
    int* mergedCount = nullptr;  // [B * kmax] per member slot: channels (or 1 for the token) merged; zeroed
    uint8_t* chosen = nullptr;   // [B * kmax * D] per member slot and channel: merged (1) or pruned (0)
    // Detail outputs [B * M] (padding rows: whatever is convenient)
    bool* inB = nullptr;
    int64_t* match = nullptr;
    float* cosine = nullptr;
    int64_t* fate = nullptr;
    int64_t* destination = nullptr;
    float* mergedFraction = nullptr;
    // Survivors: [B * M2] input row of each output row (padding rows: 0)
    int64_t* kept = nullptr;
};

constexpr int64_t kFateKept = FateKept, kFateMerged = FateMerged, kFatePruned = FatePruned;  // TokenFate

// fp32 -> uint32 with the same order (-0 and +0 made equal first, as float comparison has them).
__device__ __forceinline__ uint32_t orderedKey(float f) {
    if (f == 0.f) f = 0.f;
    const uint32_t u = __float_as_uint(f);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}
__device__ __forceinline__ float fromOrderedKey(uint32_t k) {
    return __uint_as_float((k & 0x80000000u) ? (k & 0x7fffffffu) : ~k);
}

// The best match of an A row as one 64-bit word whose unsigned maximum is the largest cosine, ties to the lower
// position of the B token: atomicMax over candidates is then exact and order-independent. 0 = no candidate.
__device__ __forceinline__ unsigned long long packBest(float cosine, int position) {
    return (static_cast<unsigned long long>(orderedKey(cosine)) << 32) | (0xffffffffu - static_cast<uint32_t>(position));
}
__device__ __forceinline__ float bestCosine(unsigned long long p) { return fromOrderedKey(static_cast<uint32_t>(p >> 32)); }
__device__ __forceinline__ int bestPosition(unsigned long long p) {
    return static_cast<int>(0xffffffffu - static_cast<uint32_t>(p & 0xffffffffu));
}

// Model dtypes as CUDA types, to and from fp32 (round to nearest even, as ATen's casts).
__device__ __forceinline__ float toFloat(float v) { return v; }
__device__ __forceinline__ float toFloat(__nv_bfloat16 v) { return __bfloat162float(v); }
__device__ __forceinline__ float toFloat(__half v) { return __half2float(v); }
template <typename T> __device__ __forceinline__ T fromFloat(float v);
template <> __device__ __forceinline__ float fromFloat<float>(float v) { return v; }
template <> __device__ __forceinline__ __nv_bfloat16 fromFloat<__nv_bfloat16>(float v) { return __float2bfloat16_rn(v); }
template <> __device__ __forceinline__ __half fromFloat<__half>(float v) { return __float2half_rn(v); }

// cp.async wrappers (cpAsync16, cpAsyncSmall, cpAsyncCommit, cpAsyncWait): core/cuda/AsyncCopy.cuh.

// Calls f(T()) with T the CUDA type of a model dtype.
template <typename F>
void dispatchCudaType(at::ScalarType t, F&& f) {
    switch (t) {
        case at::kFloat: f(float()); return;
        case at::kBFloat16: f(__nv_bfloat16()); return;
        case at::kHalf: f(__half()); return;
        default: TORCH_CHECK(false, "token reduction kernels: unsupported dtype ", t);
    }
}

// Exclusive prefix sum of v over the block (blockDim.x a multiple of 32, at most 1024); *total gets the sum.
// `scratch`: 32 ints of shared memory. Every thread of the block must call it.
__device__ __forceinline__ int blockExclusiveScan(int v, int* scratch, int* total) {
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    int inclusive = v;
    for (int o = 1; o < 32; o <<= 1) {
        const int n = __shfl_up_sync(0xffffffffu, inclusive, o);
        if (lane >= o) inclusive += n;
    }
    if (lane == 31) scratch[warp] = inclusive;
    __syncthreads();
    if (warp == 0) {
        int w = lane < warps ? scratch[lane] : 0;
        for (int o = 1; o < 32; o <<= 1) {
            const int n = __shfl_up_sync(0xffffffffu, w, o);
            if (lane >= o) w += n;
        }
        scratch[lane] = w;  // inclusive sums of the warps
    }
    __syncthreads();
    const int before = warp > 0 ? scratch[warp - 1] : 0;
    *total = scratch[warps - 1];
    __syncthreads();  // scratch may be reused right after
    return before + inclusive - v;
}

// The passes over a sequence's rows below take them in one of two ways. Up to kRunRows rows per thread (n <=
// kRunRows * blockDim.x: 4096 rows for the 1024-thread blocks, every step of a prefill up to L 4096), thread t
// owns the run of rows [t * per, (t + 1) * per), per = ceil(n / blockDim.x): its loads are in flight together,
// and the pass needs a single block scan (these blocks are one per sequence, so a pass costs its chain of memory
// round trips and barriers, not its arithmetic). Longer sequences go a tile of blockDim.x rows at a time, one
// block scan per tile. The results are the same either way.
constexpr int kRunRows = 4;
__device__ __forceinline__ bool fitsRuns(int n) { return n <= kRunRows * static_cast<int>(blockDim.x); }
__device__ __forceinline__ int runLength(int n) { return (n + static_cast<int>(blockDim.x) - 1) / static_cast<int>(blockDim.x); }

// Stable partition of the rows [0, n) by flag(i), by the whole block: onTrue(i, t) for the t-th row (in order)
// with the flag, onFalse(i, f) for the f-th without. Returns the number of rows with the flag.
template <typename Flag, typename OnTrue, typename OnFalse>
__device__ int stablePartition(int n, Flag flag, OnTrue onTrue, OnFalse onFalse, int* scratch) {
    if (fitsRuns(n)) {
        const int per = runLength(n), first = static_cast<int>(threadIdx.x) * per;
        bool f[kRunRows];
        int count = 0;
#pragma unroll
        for (int u = 0; u < kRunRows; ++u) {
            f[u] = u < per && first + u < n && flag(first + u);
            count += f[u] ? 1 : 0;
        }
        int total = 0;
        int t = blockExclusiveScan(count, scratch, &total);  // rows with the flag before this run
#pragma unroll
        for (int u = 0; u < kRunRows; ++u) {
            const int i = first + u;
            if (u < per && i < n) {
                if (f[u]) onTrue(i, t++);
                else onFalse(i, i - t);
            }
        }
        return total;
    }
    int before = 0;  // rows with the flag in earlier tiles
    for (int c0 = 0; c0 < n; c0 += blockDim.x) {
        const int i = c0 + static_cast<int>(threadIdx.x);
        const bool f = i < n && flag(i);
        int total = 0;
        const int t = blockExclusiveScan(f ? 1 : 0, scratch, &total);
        if (i < n) {
            if (f) onTrue(i, before + t);
            else onFalse(i, i - before - t);
        }
        before += total;
    }
    return before;
}

// Exclusive prefix sums of value(i) over the rows [0, n), by the whole block: out(i, sum of the values before i).
template <typename Value, typename Out>
__device__ void blockPrefixSums(int n, Value value, Out out, int* scratch) {
    if (fitsRuns(n)) {
        const int per = runLength(n), first = static_cast<int>(threadIdx.x) * per;
        int v[kRunRows], sum = 0;
#pragma unroll
        for (int u = 0; u < kRunRows; ++u) {
            v[u] = u < per && first + u < n ? value(first + u) : 0;
            sum += v[u];
        }
        int total = 0;
        int running = blockExclusiveScan(sum, scratch, &total);
#pragma unroll
        for (int u = 0; u < kRunRows; ++u) {
            if (u < per && first + u < n) out(first + u, running);
            running += v[u];
        }
        return;
    }
    int before = 0;
    for (int c0 = 0; c0 < n; c0 += blockDim.x) {
        const int i = c0 + static_cast<int>(threadIdx.x);
        const int v = i < n ? value(i) : 0;
        int total = 0;
        const int t = blockExclusiveScan(v, scratch, &total);
        if (i < n) out(i, before + t);
        before += total;
    }
}

// Marks the `count` largest of the keys key(i), i < n (ties to the lower i), by the whole block: mark(i, flag)
// once for every i. The count-th largest key T comes from a radix select over 8-bit digits (up to four passes
// over the keys, which the caller should keep in shared memory); the marked keys are those above T, and the
// first of those equal to T (in order) until the count is reached. A pass whose digit's keys are all taken
// (exactly the count still missing: common after two or three passes, the keys being floats of a step) ends
// the select early: every key with the digits found so far is marked, with no ties to break and no scan.
// hist: 258 ints, scratch: 32 ints, both shared. Every thread of the block must call it.
template <typename Key, typename Mark>
__device__ void blockTopCount(int n, int count, Key key, Mark mark, int* hist, int* scratch) {
    if (count <= 0 || count >= n) {
        for (int i = threadIdx.x; i < n; i += blockDim.x) mark(i, count > 0);
        return;
    }
    uint32_t prefix = 0u, mask = 0u;
    int remaining = count;  // keys still to take among those matching the prefix
    bool allOfPrefix = false;  // the keys matching the prefix are exactly the ones still to take
    for (int shift = 24; shift >= 0; shift -= 8) {
        for (int t = threadIdx.x; t < 256; t += blockDim.x) hist[t] = 0;
        __syncthreads();
        // Shared atomics, one per key, except where a whole warp's keys have the same digit (or none matches the
        // prefix): then one add of 32 by its first lane, or nothing. That is the common case of the first round,
        // where the keys of a step (cosines, importances: floats of a few exponents) share their top byte and
        // 32 adds to one address would be serialized; the test is a shuffle and a ballot per key. (Aggregating
        // every warp's equal digits with __match_any_sync, tried on 2026-12-06, was slower: up to ~25 us per
        // step of the 130m at L 8192 on the H100, no gain anywhere.)
        for (int i0 = 0; i0 < n; i0 += blockDim.x) {  // the same trips for every thread: the warp votes together
            const int i = i0 + static_cast<int>(threadIdx.x);
            uint32_t digit = 256u;  // none
            if (i < n) {
                const uint32_t k = key(i);
                if ((k & mask) == prefix) digit = (k >> shift) & 255u;
            }
            const uint32_t lead = __shfl_sync(0xffffffffu, digit, 0);
            if (__all_sync(0xffffffffu, digit == lead)) {
                if ((threadIdx.x & 31) == 0 && lead < 256u) atomicAdd(&hist[lead], 32);
            } else if (digit < 256u) {
                atomicAdd(&hist[digit], 1);
            }
        }
        __syncthreads();
        if (threadIdx.x < 32) {  // lane l looks at digits 255 - 8l down to 248 - 8l
            const int lane = threadIdx.x;
            int c[8], sum = 0;
#pragma unroll
            for (int u = 0; u < 8; ++u) {
                c[u] = hist[255 - (8 * lane + u)];
                sum += c[u];
            }
            int inclusive = sum;
            for (int o = 1; o < 32; o <<= 1) {
                const int v = __shfl_up_sync(0xffffffffu, inclusive, o);
                if (lane >= o) inclusive += v;
            }
            int run = inclusive - sum;  // keys with a larger digit
            if (run < remaining && remaining <= inclusive) {
#pragma unroll
                for (int u = 0; u < 8; ++u) {
                    if (run + c[u] >= remaining) {
                        hist[256] = (255 - (8 * lane + u)) | (run + c[u] == remaining ? 0x100 : 0);  // 0x100: all
                        hist[257] = run;
                        break;
                    }
                    run += c[u];
                }
            }
        }
        __syncthreads();
        const int found = hist[256];
        prefix |= static_cast<uint32_t>(found & 0xff) << shift;
        mask |= 0xffu << shift;
        remaining -= hist[257];
        allOfPrefix = (found & 0x100) != 0;
        __syncthreads();  // hist is cleared next round
        if (allOfPrefix) break;  // the block's: every thread read the same word
    }
    if (allOfPrefix) {
        for (int i = threadIdx.x; i < n; i += blockDim.x) mark(i, (key(i) & mask) >= prefix);
        return;
    }
    if (fitsRuns(n)) {
        const int per = runLength(n), first = static_cast<int>(threadIdx.x) * per;
        uint32_t k[kRunRows];
        int equal = 0;
#pragma unroll
        for (int u = 0; u < kRunRows; ++u) {
            k[u] = u < per && first + u < n ? key(first + u) : 0u;
            equal += u < per && first + u < n && k[u] == prefix ? 1 : 0;
        }
        int total = 0;
        int e = blockExclusiveScan(equal, scratch, &total);  // keys equal to T before this run
#pragma unroll
        for (int u = 0; u < kRunRows; ++u) {
            if (u < per && first + u < n) {
                const bool isEqual = k[u] == prefix;
                mark(first + u, k[u] > prefix || (isEqual && e < remaining));
                e += isEqual ? 1 : 0;
            }
        }
        return;
    }
    int equalBefore = 0;
    for (int c0 = 0; c0 < n; c0 += blockDim.x) {
        const int i = c0 + static_cast<int>(threadIdx.x);
        const uint32_t k = i < n ? key(i) : 0u;
        const bool equal = i < n && k == prefix;
        int total = 0;
        const int e = blockExclusiveScan(equal ? 1 : 0, scratch, &total);
        if (i < n) mark(i, k > prefix || (equal && equalBefore + e < remaining));
        equalBefore += total;
    }
}

// Launchers (one per kernel; each as `how` says, its error checked). The step is six small kernels in a row,
// launched overlapped where FusedReduction.cu says so (core/cuda/LaunchOverlap.cuh: each kernel calls
// followPreviousKernel() before it touches global memory).
void launchRowStats(const at::Tensor& hidden, const bool* protect, const StepShape& s, const StepRecipe& r,
                    bool needNorms, const StepBuffers& buf, const CountsInArguments& counts, const KernelLaunch& how);
void launchSplit(const bool* protect, const StepShape& s, const StepRecipe& r, const StepBuffers& buf,
                 const KernelLaunch& how);
void launchBestMatch(const at::Tensor& hidden, const StepShape& s, const StepRecipe& r, const StepBuffers& buf,
                     BestMatchProducts products, const KernelLaunch& how);
void launchFinalize(const float* sizes, const StepShape& s, const StepRecipe& r, const StepBuffers& buf,
                    const KernelLaunch& how);
void launchMergeChoice(const at::Tensor& hidden, const StepShape& s, const StepRecipe& r, const StepBuffers& buf,
                       const KernelLaunch& how);
// mergeCompact's threads per block (8 channels each); rows up to 8 times as wide are one pass of the block, the
// rows on which it can also do the next layer's norm.
inline constexpr int kMergeMaxThreads = 512;
inline constexpr int kNextNormMaxChannels = 8 * kMergeMaxThreads;

// The next layer's residual add and RMSNorm, taken over by mergeCompact (FusedReduction.h, nextNormWeight): the
// norm's weight (the rows' dtype), epsilon, where the normalized rows go, and the block size of the norm kernel
// that would otherwise run (FusedNorms.cu, addRmsNorm), whose order of additions mergeCompact repeats.
struct NextNormArgs {
    const void* weight = nullptr;
    void* out = nullptr;
    float eps = 0.f;
    int sumThreads = 0;
    int rowAt = 0;  // byte offset of the row's D floats in the kernel's dynamic shared memory
};

// hiddenOut is not written when `next` is given: residualOut then holds hidden + residual (the next layer's
// residual stream) and next->out the normalized rows.
void launchMergeCompact(const at::Tensor& hidden, const at::Tensor& residual, const float* sizes, const bool* protect,
                        const StepShape& s, const StepRecipe& r, const StepBuffers& buf, at::Tensor& hiddenOut,
                        at::Tensor& residualOut, at::Tensor& sizesOut, at::Tensor& protectOut, const NextNormArgs* next,
                        const KernelLaunch& how);

// The current device and its cached attributes (kMaxDevices, currentDeviceIndex, deviceMultiprocessors,
// deviceComputeMajor): core/cuda/DeviceAttributes.cuh.

}  // namespace ssmlens::fused::reduction
