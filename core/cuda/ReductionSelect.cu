// The choosing half of the token-reduction step (FusedReduction.h): which tokens are in B, which go, and where
// they go, without sorts.
//
//   rowStatsKernel     one warp per row: importance, 1 / |features|, the ranking key; zeroes the accumulators
//   splitKernel        one block per sequence: B = the |B| largest ranking keys (a radix select in shared
//                      memory), or the alternate-position rule; the A and B lists in order; for EViT the
//                      survivors directly
//   finalizeKernel     one block per sequence: the removed tokens (the k largest cosines of A, the same
//                      select), survivors, per-token details, and the removed tokens grouped by destination in
//                      position order (with each member's size, for the merge); up to 4096 rows per sequence
//                      the flags and group sizes stay in shared memory
#include "core/cuda/ReductionKernels.cuh"

#include "core/cuda/FusedCommon.cuh"

#include <algorithm>

#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAStream.h>

namespace ssmlens::fused::reduction {
namespace {

constexpr int kStatsRowsPerBlock = 8;  // one warp per row
constexpr int kKeyCacheBytes = 40 * 1024;  // with the static buffers, under the default 48 KB per block
constexpr int kSequenceThreads = 1024;  // block per sequence

// 16 bytes of the row as fp32 values (V = 8 for 16-bit types, 4 for fp32).
template <typename T>
__device__ __forceinline__ void load16(const T* p, float* out) {
    const uint4 u = __ldg(reinterpret_cast<const uint4*>(p));
    const T* v = reinterpret_cast<const T*>(&u);
#pragma unroll
    for (int k = 0; k < 16 / static_cast<int>(sizeof(T)); ++k) out[k] = toFloat(v[k]);
}

template <typename T>
__global__ void __launch_bounds__(kStatsRowsPerBlock * 32)
    rowStatsKernel(const T* __restrict__ h, const bool* __restrict__ protect, StepShape s, StepRecipe r, bool needNorms,
                   StepBuffers buf, CountsInArguments inArguments) {
    followPreviousKernel();
    // Counts given in the arguments: read from there, and written where the later kernels read them.
    if (inArguments.n > 0 && blockIdx.x == 0 && threadIdx.x < inArguments.n)
        inArguments.dst[threadIdx.x] = inArguments.c[threadIdx.x];
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const int64_t row = static_cast<int64_t>(blockIdx.x) * kStatsRowsPerBlock + warp;
    if (row >= static_cast<int64_t>(s.B) * s.M) return;
    const int b = static_cast<int>(row / s.M), i = static_cast<int>(row % s.M);
    const int length = inArguments.n > 0 ? static_cast<int>(inArguments.c[b].length) : s.length(b);
    if (lane == 0) {
        // The accumulators the later kernels add into, zeroed here rather than by separate memsets.
        buf.best[row] = 0ull;
        buf.groupCount[row] = 0;
        if (i < s.kmax) buf.mergedCount[static_cast<int64_t>(b) * s.kmax + i] = 0;
    }
    if (i >= length) {
        if (lane == 0) {
            buf.importance[row] = 0.f;
            buf.invNorm[row] = 1.f;
            buf.rankKey[row] = 0u;
        }
        return;
    }
    constexpr int V = 16 / sizeof(T);
    const T* x = h + row * s.D;
    float sum = 0.f, sumClip = 0.f, sq = 0.f, sqClip = 0.f;
    // Unrolled so that a row's loads (3 per lane at D 768 in bf16) are in flight together; the sums keep their order.
#pragma unroll 4
    for (int c = lane * V; c < s.D; c += 32 * V) {
        float v[V];
        load16(x + c, v);
#pragma unroll
        for (int k = 0; k < V; ++k) {
            const float p = fmaxf(v[k], 0.f);
            sum += v[k];
            sumClip += p;
            sq += v[k] * v[k];
            sqClip += p * p;
        }
    }
    sum = detail::warpXorSum(sum);
    sumClip = detail::warpXorSum(sumClip);
    sq = detail::warpXorSum(sq);
    sqClip = detail::warpXorSum(sqClip);
    if (lane != 0) return;
    const float importance = r.metric == Metric::Clip ? sumClip : r.metric == Metric::Raw ? sum : sqrtf(sq);
    buf.importance[row] = importance;
    if (needNorms) buf.invNorm[row] = 1.f / fmaxf(sqrtf(r.clippedFeatures ? sqClip : sq), 1e-12f);
    // Protected tokens rank above every other token.
    const bool prot = r.protectPositions && protect[row];
    buf.rankKey[row] = orderedKey(prot ? __uint_as_float(0x7f800000u) : importance);
}

// Keys of the rows [0, n) of a sequence, in shared memory when they fit (`capacity` entries), else read again.
template <typename Load>
struct KeyCache {
    uint32_t* cache;
    bool cached;
    Load load;
    __device__ uint32_t operator()(int i) const { return cached ? cache[i] : load(i); }
};
template <typename Load>
__device__ KeyCache<Load> cacheKeys(int n, int capacity, uint32_t* cache, Load load) {
    const bool cached = n <= capacity;
    if (cached)
        for (int i = threadIdx.x; i < n; i += blockDim.x) cache[i] = load(i);
    __syncthreads();
    return {cache, cached, load};
}

__global__ void __launch_bounds__(kSequenceThreads)
    splitKernel(const bool* __restrict__ protect, StepShape s, StepRecipe r, StepBuffers buf, int cacheCapacity) {
    followPreviousKernel();
    extern __shared__ uint32_t keyCache[];
    __shared__ int scratch[32], hist[258];
    // The B flags also here while the rows fit the per-thread runs (ReductionKernels.cuh), so that the partition
    // below reads them without a round trip to memory.
    __shared__ bool inBShared[kRunRows * kSequenceThreads];
    const int b = blockIdx.x, n = s.length(b);
    const int64_t base = static_cast<int64_t>(b) * s.M;
    const bool flagsShared = fitsRuns(n);
    auto setInB = [&](int i, bool f) {
        buf.inB[base + i] = f;
        if (flagsShared) inBShared[i] = f;
    };
    for (int i = threadIdx.x; i < s.M; i += blockDim.x) {
        buf.removed[base + i] = 0;
        if (i >= n) buf.inB[base + i] = false;
    }
    if (r.split == Split::AlternatePositions) {
        for (int i = threadIdx.x; i < n; i += blockDim.x) setInB(i, (i & 1) || (r.protectPositions && protect[base + i]));
    } else {
        // B (or EViT's survivors): the |B| (keep) largest keys, protected tokens first, ties to the lower position.
        const auto key = cacheKeys(n, cacheCapacity, keyCache, [&](int i) { return buf.rankKey[base + i]; });
        blockTopCount(n, r.split == Split::ImportanceOnly ? s.keep(b) : s.nB(b), key, setInB, hist, scratch);
    }
    __syncthreads();
    auto inB = [&](int i) { return flagsShared ? inBShared[i] : buf.inB[base + i]; };
    if (r.split == Split::ImportanceOnly) {
        // EViT: the kept tokens are B; everything else is pruned, nothing is matched.
        int64_t* kept = buf.kept + static_cast<int64_t>(b) * s.M2;
        stablePartition(
            n, inB,
            [&](int i, int t) {
                if (t < s.M2) kept[t] = i;
                buf.fate[base + i] = kFateKept;
            },
            [&](int i, int) { buf.fate[base + i] = kFatePruned; }, scratch);
        for (int i = threadIdx.x; i < n; i += blockDim.x) {
            buf.match[base + i] = -1;
            buf.cosine[base + i] = 0.f;
            buf.destination[base + i] = -1;
            buf.mergedFraction[base + i] = 0.f;
        }
        for (int t = s.outLength(b) + threadIdx.x; t < s.M2; t += blockDim.x) kept[t] = 0;
        return;
    }
    int* aList = buf.aList + static_cast<int64_t>(b) * s.nAmax;
    int* bList = buf.bList + static_cast<int64_t>(b) * s.nBmax;
    stablePartition(
        n, inB,
        [&](int i, int t) {
            if (t < s.nBmax) bList[t] = i;
            buf.aSlot[base + i] = -1;
        },
        [&](int i, int f) {
            if (f < s.nAmax) aList[f] = i;
            buf.aSlot[base + i] = f;
        },
        scratch);
}

// One block per sequence. Step 4: the k tokens of A with the most similar match go (the k largest cosines,
// ties to the lower position). Then the per-token details, survivors and removed tokens in order, where each
// destination's members start, and the removed tokens grouped by destination (position order in each group).
// Min. one block per multiprocessor: ptxas otherwise keeps to 32 registers (room for two such blocks, which a
// launch of one block per sequence rarely has) and spills.
__global__ void __launch_bounds__(kSequenceThreads, 1)
    finalizeKernel(const float* __restrict__ sizes, StepShape s, StepRecipe r, StepBuffers buf, int cacheCapacity,
                   int groupCapacity) {
    followPreviousKernel();
    extern __shared__ uint32_t keyCache[];  // [cacheCapacity] keys, then [groupCapacity] per-row groups (below)
    __shared__ int scratch[32], hist[258];
    __shared__ __align__(16) int chunkDst[kSequenceThreads];
    const int b = blockIdx.x, n = s.length(b), k = s.removeCount(b), nA = s.nA(b), nB = s.nB(b);
    const int64_t base = static_cast<int64_t>(b) * s.M;
    const int* aList = buf.aList + static_cast<int64_t>(b) * s.nAmax;
    int* removedList = buf.removedList + static_cast<int64_t>(b) * s.kmax;
    int* members = buf.memberList + static_cast<int64_t>(b) * s.kmax;
    int64_t* kept = buf.kept + static_cast<int64_t>(b) * s.M2;
    // While the rows fit the per-thread runs (every step of a prefill up to L 4096; the A list then always fits
    // the key cache), the select and the details take one load per row and the removed flags stay in shared
    // memory (below); when the rows also fit groupCapacity, the group sizes are counted in shared memory and the
    // survivors, removed list and group starts come out of one block scan, `groupOf` then holding
    // (start << 16) | size per row (both at most 4096). Longer sequences go through memory, a tile at a time.
    const bool rowsOnce = fitsRuns(n) && nA <= cacheCapacity;
    const bool groupsShared = rowsOnce && n <= groupCapacity;
    int* groupOf = reinterpret_cast<int*>(keyCache + cacheCapacity);
    int* groupCounter = groupsShared ? groupOf : buf.groupCount + base;
    // Per token: its match and cosine; survivors' fates; removed tokens counted into their destination's group.
    auto detail = [&](int i, int slot, unsigned long long word, bool removed) {
        const int64_t row = base + i;
        const bool hasMatch = slot >= 0 && nB > 0;
        const unsigned long long p = hasMatch ? word : 0ull;
        buf.match[row] = hasMatch ? bestPosition(p) : -1;
        buf.cosine[row] = hasMatch ? bestCosine(p) : 0.f;
        if (!removed) {
            buf.fate[row] = kFateKept;
            buf.destination[row] = -1;
            buf.mergedFraction[row] = 0.f;
            return;
        }
        const int dst = bestPosition(p);
        atomicAdd(&groupCounter[dst], 1);
        if (r.hidden == HiddenMerge::Prune) {
            // Nothing of h is merged, so the fate follows from the residual strategy alone; otherwise the merge
            // kernel, which knows the channel choice, writes it.
            buf.mergedFraction[row] = 0.f;
            buf.fate[row] = r.mergeResidual ? kFateMerged : kFatePruned;
            buf.destination[row] = r.mergeResidual ? dst : -1;
        }
    };
    // With the rows in runs, their removed flags are kept in chunkDst's bytes (free until the placement below) for
    // the partition, which then needs no round trip to memory.
    uint8_t* removedShared = reinterpret_cast<uint8_t*>(chunkDst);
    static_assert(sizeof(chunkDst) >= kRunRows * kSequenceThreads, "a byte per row of the runs");
    if (rowsOnce) {
        // A thread's rows loaded together (ReductionKernels.cuh: kRunRows), once: their A slots and best matches
        // give the select's keys (each A row writes its own slot's key into the cache), the select marks the
        // removed A slots in a shared bit set, and the details read those bits. One round trip to memory before
        // the select instead of the list, then the match (two), and none after it for the removed flags.
        __shared__ unsigned removedBits[kRunRows * kSequenceThreads / 32];
        for (int w = threadIdx.x; w < kRunRows * kSequenceThreads / 32; w += blockDim.x) removedBits[w] = 0u;
        if (groupsShared)
            for (int i = threadIdx.x; i < n; i += blockDim.x) groupOf[i] = 0;
        const int per = runLength(n), first = static_cast<int>(threadIdx.x) * per;
        int slot[kRunRows];
        unsigned long long word[kRunRows];
#pragma unroll
        for (int u = 0; u < kRunRows; ++u) {
            if (u < per && first + u < n) {
                const int64_t row = base + first + u;
                slot[u] = buf.aSlot[row];
                word[u] = buf.best[row];  // zeroed by rowStats for every row
            }
        }
#pragma unroll
        for (int u = 0; u < kRunRows; ++u)
            if (u < per && first + u < n && slot[u] >= 0 && slot[u] < nA)
                keyCache[slot[u]] = static_cast<uint32_t>(word[u] >> 32);
        __syncthreads();  // the keys are in, the bits and counts cleared
        if (k > 0) {
            blockTopCount(
                nA, k, [&](int e) { return keyCache[e]; },
                [&](int e, bool f) {
                    if (f) atomicOr(&removedBits[e >> 5], 1u << (e & 31));
                },
                hist, scratch);
            __syncthreads();  // the removed bits are complete
        }
#pragma unroll
        for (int u = 0; u < kRunRows; ++u) {
            if (u < per && first + u < n) {
                const bool removed =
                    slot[u] >= 0 && slot[u] < nA && ((removedBits[slot[u] >> 5] >> (slot[u] & 31)) & 1u);
                detail(first + u, slot[u], word[u], removed);
                removedShared[first + u] = removed ? 1 : 0;
            }
        }
    } else {
        if (k > 0) {
            const auto key = cacheKeys(nA, cacheCapacity, keyCache,
                                       [&](int e) { return static_cast<uint32_t>(buf.best[base + aList[e]] >> 32); });
            blockTopCount(
                nA, k, key,
                [&](int e, bool f) {
                    if (f) buf.removed[base + aList[e]] = 1;
                },
                hist, scratch);
            __syncthreads();  // the removed flags (zero elsewhere, from the split kernel) are complete
        }
        for (int i = threadIdx.x; i < n; i += blockDim.x)
            detail(i, buf.aSlot[base + i], buf.best[base + i], buf.removed[base + i] != 0);
    }
    __syncthreads();  // the shared removed flags and group sizes are complete
    // The removed rows in order also in the key cache (free now) when they fit, for the placement below.
    const bool removedCached = k <= cacheCapacity;
    // Sequences of more removed tokens than the block has threads place them a chunk at a time, with groupEnd as
    // each group's cursor; one chunk (every step of a prefill up to L 2048) needs no cursor.
    const bool oneChunk = k <= static_cast<int>(blockDim.x);
    if (groupsShared) {
        // Survivors, removed list and group starts in one pass over a thread's run: one block scan of the kept
        // count (low 16 bits) and the group sizes (high 16 bits; both sums at most 4096, no carry between them).
        const int per = runLength(n), first = static_cast<int>(threadIdx.x) * per;
        bool removed[kRunRows];
        int size[kRunRows], packed = 0;
#pragma unroll
        for (int u = 0; u < kRunRows; ++u) {
            removed[u] = false;
            size[u] = 0;
            if (u < per && first + u < n) {
                removed[u] = removedShared[first + u] != 0;
                size[u] = groupOf[first + u];
                packed += (removed[u] ? 0 : 1) + (size[u] << 16);
            }
        }
        int total = 0;
        const int before = blockExclusiveScan(packed, scratch, &total);
        int keptBefore = before & 0xffff, start = before >> 16;
#pragma unroll
        for (int u = 0; u < kRunRows; ++u) {
            const int i = first + u;
            if (u < per && i < n) {
                if (!removed[u]) {
                    if (keptBefore < s.M2) kept[keptBefore] = i;
                    ++keptBefore;
                } else {
                    const int f = i - keptBefore;
                    if (f < s.kmax) removedList[f] = i;
                    if (removedCached) keyCache[f] = static_cast<uint32_t>(i);
                }
                buf.groupStart[base + i] = start;
                if (size[u] > 0) buf.groupCount[base + i] = size[u];  // zero elsewhere (rowStats)
                if (!oneChunk) buf.groupEnd[base + i] = start;
                groupOf[i] = (start << 16) | size[u];  // this thread's own rows: read above, before the scan
                start += size[u];
            }
        }
        for (int t = s.outLength(b) + threadIdx.x; t < s.M2; t += blockDim.x) kept[t] = 0;
        if (k == 0) return;
    } else {
        stablePartition(
            n, [&](int i) { return rowsOnce ? removedShared[i] == 0 : buf.removed[base + i] == 0; },
            [&](int i, int t) {
                if (t < s.M2) kept[t] = i;
            },
            [&](int i, int f) {
                if (f < s.kmax) removedList[f] = i;
                if (removedCached) keyCache[f] = static_cast<uint32_t>(i);
            },
            scratch);
        for (int t = s.outLength(b) + threadIdx.x; t < s.M2; t += blockDim.x) kept[t] = 0;
        if (k == 0) return;
        __syncthreads();  // the group sizes (this block's atomics) are complete
        // Where each destination's members start: an exclusive prefix sum of the group sizes over the rows.
        blockPrefixSums(
            n, [&](int i) { return buf.groupCount[base + i]; },
            [&](int i, int start) {
                buf.groupStart[base + i] = start;
                if (!oneChunk) buf.groupEnd[base + i] = start;
            },
            scratch);
    }
    __syncthreads();  // the removed list and the group starts are complete
    // The removed tokens into their groups: chunks of the (ascending) removed list in order; inside a chunk a
    // token's slot counts the earlier tokens of the chunk with its destination.
    int2* memberGroup = buf.memberGroup + static_cast<int64_t>(b) * s.kmax;
    float* memberSize = buf.memberSize + static_cast<int64_t>(b) * s.kmax;
    for (int c0 = 0; c0 < k; c0 += blockDim.x) {
        const int e = c0 + threadIdx.x;
        const int a = e < k ? (removedCached ? static_cast<int>(keyCache[e]) : removedList[e]) : -1;
        // The token's size with its destination, then the destination's group (final since the prefix sums) and
        // cursor (the chunk before advanced it, barriers ago), all loaded before the barrier below.
        int dst = -1, groupStart = 0, groupSize = 0, cursor = 0;
        float size = 0.f;
        if (e < k) {
            size = sizes[base + a];
            dst = bestPosition(buf.best[base + a]);
            if (groupsShared) {
                const int g = groupOf[dst];
                groupStart = g >> 16;
                groupSize = g & 0xffff;
            } else {
                groupStart = buf.groupStart[base + dst];
                groupSize = buf.groupCount[base + dst];
            }
            cursor = oneChunk ? groupStart : buf.groupEnd[base + dst];
        }
        chunkDst[threadIdx.x] = dst;
        __syncthreads();
        if (e < k) {
            // Earlier lanes of my warp by a match mask; earlier warps from shared memory, unless the whole group is
            // in this warp (a lone member, the most common case, included).
            const unsigned same = __match_any_sync(__activemask(), dst);
            int earlier = __popc(same & ((1u << (threadIdx.x & 31)) - 1u));
            if (__popc(same) < groupSize) {
                // The earlier warps' destinations, four at a time (a warp's 32 are eight 16-byte words), eight
                // words in flight: the lanes of a warp read the same words (broadcast).
                const int4* words = reinterpret_cast<const int4*>(chunkDst);
                const int wordsBefore = static_cast<int>(threadIdx.x >> 5) * 8;
#pragma unroll 8
                for (int w = 0; w < wordsBefore; ++w) {
                    const int4 d4 = words[w];
                    earlier += (d4.x == dst) + (d4.y == dst) + (d4.z == dst) + (d4.w == dst);
                }
            }
            const int slot = cursor + earlier;
            members[slot] = a;
            memberGroup[slot] = make_int2(groupStart, groupSize);
            memberSize[slot] = size;
        }
        if (oneChunk) break;
        __syncthreads();
        if (e < k) atomicAdd(&buf.groupEnd[base + dst], 1);
        __syncthreads();
    }
}

}  // namespace

void launchRowStats(const at::Tensor& hidden, const bool* protect, const StepShape& s, const StepRecipe& r,
                    bool needNorms, const StepBuffers& buf, const CountsInArguments& counts, const KernelLaunch& how) {
    const int64_t rows = static_cast<int64_t>(s.B) * s.M;
    const int64_t blocks = (rows + kStatsRowsPerBlock - 1) / kStatsRowsPerBlock;
    dispatchCudaType(hidden.scalar_type(), [&](auto tag) {
        using T = decltype(tag);
        launchKernel(rowStatsKernel<T>, dim3(static_cast<unsigned>(blocks)), dim3(kStatsRowsPerBlock * 32), 0, how,
                         reinterpret_cast<const T*>(hidden.data_ptr()), protect, s, r, needNorms, buf, counts);
    });
}

// Dynamic shared memory for the keys of the longest list, up to kKeyCacheBytes (beyond, keys are read again).
static int keyCacheBytes(int longest) { return static_cast<int>(std::min<int64_t>(longest, kKeyCacheBytes / 4) * 4); }

void launchSplit(const bool* protect, const StepShape& s, const StepRecipe& r, const StepBuffers& buf,
                 const KernelLaunch& how) {
    const int bytes = r.split == Split::AlternatePositions ? 0 : keyCacheBytes(s.M);
    launchKernel(splitKernel, dim3(s.B), dim3(kSequenceThreads), bytes, how, protect, s, r, buf, bytes / 4);
}

void launchFinalize(const float* sizes, const StepShape& s, const StepRecipe& r, const StepBuffers& buf,
                    const KernelLaunch& how) {
    const int keyBytes = keyCacheBytes(s.nAmax);
    // Per-row group counts in shared memory too, where the rows fit the per-thread runs and both fit the budget.
    const int groupBytes =
        s.M <= kRunRows * kSequenceThreads && keyBytes + 4 * s.M <= kKeyCacheBytes ? 4 * s.M : 0;
    launchKernel(finalizeKernel, dim3(s.B), dim3(kSequenceThreads), keyBytes + groupBytes, how, sizes, s, r, buf,
                     keyBytes / 4, groupBytes / 4);
}

}  // namespace ssmlens::fused::reduction
