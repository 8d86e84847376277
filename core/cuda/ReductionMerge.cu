// Step 5 of the token reduction (FusedReduction.h): the hybrid prune/merge choice, then one pass that merges
// the removed rows into their destinations and compacts both streams to the survivors.
//
//   channelChoiceKernel  one block per (removed token, 256 channels): in each channel, is the token among the
//                        floor(j/2) largest of the j tokens merged into its destination (ties to the lower
//                        position; a lone match, j = 1, is merged)? Counted against the other members, so the
//                        work is j^2 per group and channel, spread over the whole grid.
//   tokenChoiceKernel    the same choice per token, by importance (granularity "token").
//   mergeCompactKernel   one block per output row: the survivor's row, with its group's members added in
//                        position order, written to its new place; padding rows zeroed. Rows that receive
//                        nothing (most) are 16-byte copies whose loads start before the group size is read;
//                        a destination's member rows come into shared memory a few members per round trip
//                        (cp.async). The sums are the ATen code's own fp32 operations in its order (no fused
//                        multiply-add), so a merged row is bit-identical to the ATen step's whenever the choices
//                        are the same.
#include "core/cuda/ReductionKernels.cuh"

#include "core/cuda/FusedCommon.cuh"  // the block sum normalizeRow reproduces

#include <algorithm>
#include <atomic>

#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAStream.h>

namespace ssmlens::fused::reduction {
namespace {

constexpr int kChoiceThreads = 256;

// The members of the group that the removed token in slot e of the member list belongs to (finalize wrote where
// its group starts and how many it has).
struct Group {
    int start, end, limit;
};
__device__ __forceinline__ Group groupOfSlot(const StepShape& s, const StepBuffers& buf, int b, int e) {
    const int2 g = buf.memberGroup[static_cast<int64_t>(b) * s.kmax + e];
    // Rounding rule (docs/token-reduction.md, step 5): floor(j/2) of the j tokens are merged, a lone one too.
    return {g.x, g.x + g.y, g.y == 1 ? 1 : g.y / 2};
}

// Members compared per round of loads in the choice kernels: their rows' values are in flight together.
constexpr int kChoiceBatch = 4;

template <typename T>
__global__ void __launch_bounds__(kChoiceThreads)
    channelChoiceKernel(const T* __restrict__ h, StepShape s, StepBuffers buf) {
    followPreviousKernel();
    const int b = blockIdx.z, e = blockIdx.x;
    if (e >= s.removeCount(b)) return;
    const int64_t base = static_cast<int64_t>(b) * s.M;
    const int* members = buf.memberList + static_cast<int64_t>(b) * s.kmax;
    const int a = members[e];
    const Group g = groupOfSlot(s, buf, b, e);
    const int d = blockIdx.y * kChoiceThreads + threadIdx.x;
    int chosen = 0;
    if (d < s.D) {
        if (g.end - g.start == 1) {
            chosen = 1;
        } else {
            // Counts the members above this token in channel d until floor(j/2) are: it is merged when fewer are.
            const float v = toFloat(h[(base + a) * s.D + d]);
            int above = 0;
            for (int q0 = g.start; q0 < g.end && above < g.limit; q0 += kChoiceBatch) {
                int other[kChoiceBatch];
                float w[kChoiceBatch];
#pragma unroll
                for (int u = 0; u < kChoiceBatch; ++u) other[u] = q0 + u < g.end ? members[q0 + u] : -1;
#pragma unroll
                for (int u = 0; u < kChoiceBatch; ++u) w[u] = other[u] >= 0 ? toFloat(h[(base + other[u]) * s.D + d]) : 0.f;
#pragma unroll
                for (int u = 0; u < kChoiceBatch; ++u)
                    above += other[u] >= 0 && ((w[u] > v) || (w[u] == v && other[u] < a));
            }
            chosen = above < g.limit;
        }
        buf.chosen[(static_cast<int64_t>(b) * s.kmax + e) * s.D + d] = static_cast<uint8_t>(chosen);
    }
    // Channels merged for this token, summed over the block.
    const int inWarp = __popc(__ballot_sync(0xffffffffu, chosen));
    if ((threadIdx.x & 31) == 0 && inWarp) atomicAdd(&buf.mergedCount[static_cast<int64_t>(b) * s.kmax + e], inWarp);
}

__global__ void __launch_bounds__(kChoiceThreads) tokenChoiceKernel(StepShape s, StepBuffers buf) {
    followPreviousKernel();
    const int b = blockIdx.y, e = blockIdx.x * kChoiceThreads + threadIdx.x;
    if (e >= s.removeCount(b)) return;
    const int64_t base = static_cast<int64_t>(b) * s.M;
    const int* members = buf.memberList + static_cast<int64_t>(b) * s.kmax;
    const int a = members[e];
    const Group g = groupOfSlot(s, buf, b, e);
    const float v = buf.importance[base + a];
    int above = 0;
    for (int q = g.start; q < g.end; ++q) {
        const int other = members[q];
        const float w = buf.importance[base + other];
        above += (w > v) || (w == v && other < a);
    }
    const int chosen = g.end - g.start == 1 || above < g.limit;
    buf.chosen[static_cast<int64_t>(b) * s.kmax + e] = static_cast<uint8_t>(chosen);
    buf.mergedCount[static_cast<int64_t>(b) * s.kmax + e] = chosen;
}

// 8 consecutive channels as fp32, and back (round to nearest even for 16-bit types).
template <typename T>
__device__ __forceinline__ void load8(const T* p, float* v) {
    if constexpr (sizeof(T) == 4) {
        const float4 x = __ldg(reinterpret_cast<const float4*>(p)), y = __ldg(reinterpret_cast<const float4*>(p) + 1);
        v[0] = x.x, v[1] = x.y, v[2] = x.z, v[3] = x.w, v[4] = y.x, v[5] = y.y, v[6] = y.z, v[7] = y.w;
    } else {
        const uint4 u = __ldg(reinterpret_cast<const uint4*>(p));
        const T* t = reinterpret_cast<const T*>(&u);
#pragma unroll
        for (int k = 0; k < 8; ++k) v[k] = toFloat(t[k]);
    }
}
template <typename T>
__device__ __forceinline__ void store8(T* p, const float* v) {
    if constexpr (sizeof(T) == 4) {
        reinterpret_cast<float4*>(p)[0] = make_float4(v[0], v[1], v[2], v[3]);
        reinterpret_cast<float4*>(p)[1] = make_float4(v[4], v[5], v[6], v[7]);
    } else {
        uint4 u;
        T* t = reinterpret_cast<T*>(&u);
#pragma unroll
        for (int k = 0; k < 8; ++k) t[k] = fromFloat<T>(v[k]);
        *reinterpret_cast<uint4*>(p) = u;
    }
}

// 16 bytes of a row as they are (copies of rows that receive nothing: no conversion, bit for bit).
__device__ __forceinline__ uint4 load16Raw(const void* p) { return __ldg(reinterpret_cast<const uint4*>(p)); }
__device__ __forceinline__ void store16Raw(void* p, uint4 v) { *reinterpret_cast<uint4*>(p) = v; }
// 8 channels as fp32 from their raw 16-byte words (2 for fp32, 1 for 16-bit types): load8 in two halves, so that
// a batch's loads are all issued before any is converted.
template <typename T>
__device__ __forceinline__ void unpack8(const uint4* raw, float* v) {
    if constexpr (sizeof(T) == 4) {
        const float* f = reinterpret_cast<const float*>(raw);
#pragma unroll
        for (int k = 0; k < 8; ++k) v[k] = f[k];
    } else {
        const T* t = reinterpret_cast<const T*>(raw);
#pragma unroll
        for (int k = 0; k < 8; ++k) v[k] = toFloat(t[k]);
    }
}

// One block per output row, a thread per 8 channels (up to kMergeMaxThreads, ReductionKernels.cuh; wider rows
// loop): a destination's merge then takes a few memory round trips whatever D is. (A warp per row, tried on
// 2026-12-06, serialized a destination's channels, D / 256 chunks of round trips each, and made 1.3b / 2.7b steps
// 40-55 % slower on the H100.)
// A destination's members: the first kCachedMembers (row, size) in shared memory; their rows summed up to
// kStagedMembers at a time, both streams' values of a batch copied into shared memory together (cp.async: one
// round trip per batch, and no registers held for them), in at most kStageBytes per block.
constexpr int kCachedMembers = 32;
constexpr int kStagedMembers = 4;
constexpr int kStageBytes = 40 * 1024;  // with 256 bytes of static shared memory, under the default 48 KB

// The next layer's start for one output row, in place of its addRmsNorm kernel (FusedNorms.cu): x = float(h) +
// residual (x: this thread's 8 channels from c0, h already rounded to T as the merge stores it), stored as the
// residual stream, and x * rsqrt(mean(x^2) + eps) * w in T. The sum of squares is added up in the norm kernel's
// order: its block of sumThreads threads, thread v summing channels v, v + sumThreads, ... in turn (fused
// multiply-adds, as the compiler makes of its loop), then detail::blockSum over those threads. So the rows are
// bit for bit what the step's streams would give after the norm kernel (ssmlens-cli check-reduce compares them).
// The row goes through shared memory (D floats at `row`) for that order. Every thread of the block calls it.
template <typename T>
__device__ void normalizeRow(const float* x, int c0, int D, const NextNormArgs& next, float* row, float* rDst, T* uDst) {
    __shared__ float warpSums[32];
    if (c0 < D) {
        store8(rDst + c0, x);
        store8(row + c0, x);
    }
    __syncthreads();
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    const int S = next.sumThreads, sumWarps = S >> 5;
    for (int vw = warp; vw < sumWarps; vw += warps) {  // warp-uniform: whole warps shuffle below
        float ss = 0.f;
        for (int i = vw * 32 + lane; i < D; i += S) {
            const float v = row[i];
            ss += v * v;
        }
        ss = detail::warpXorSum(ss);
        if (lane == 0) warpSums[vw] = ss;
    }
    __syncthreads();
    const float rstd = rsqrtf(detail::sumWarpPartials(warpSums, sumWarps) / static_cast<float>(D) + next.eps);
    if (c0 >= D) return;
    float w[8], u[8];
    load8(static_cast<const T*>(next.weight) + c0, w);
#pragma unroll
    for (int k = 0; k < 8; ++k) u[k] = __fmul_rn(x[k], rstd) * w[k];
    store8(uDst + c0, u);
}

// kNorm: the next layer's add and norm too (normalizeRow; the host asks for it only where a row is one pass of
// the block's threads, D <= kNextNormMaxChannels): hOut is then not written.
template <typename T, bool kNorm>
__global__ void mergeCompactKernel(const T* __restrict__ h, const float* __restrict__ r, const float* __restrict__ sizes,
                                   const bool* __restrict__ protect, StepShape s, StepRecipe rc, bool merges,
                                   int stagedMembers, StepBuffers buf, T* __restrict__ hOut, float* __restrict__ rOut,
                                   float* __restrict__ sizeOut, bool* __restrict__ protectOut, NextNormArgs next) {
    constexpr int HV = 8 * static_cast<int>(sizeof(T)) / 16;  // 16-byte words per 8 channels of h: 1 or 2
    followPreviousKernel();
    const int b = blockIdx.y, t = blockIdx.x, D = s.D;
    const int64_t outRow = static_cast<int64_t>(b) * s.M2 + t;
    T* hDst = hOut + outRow * D;
    float* rDst = rOut + outRow * D;
    // The merge's staging area (below); with kNorm the row for the norm's sums in shared memory after it.
    extern __shared__ uint4 stage[];
    float* normRow = reinterpret_cast<float*>(reinterpret_cast<unsigned char*>(stage) + next.rowAt);
    T* uDst = kNorm ? static_cast<T*>(next.out) + outRow * D : nullptr;
    if (t >= s.outLength(b)) {  // padding
        if constexpr (kNorm) {
            // Zero streams, normalized as the norm kernel would (zeros, or -0 where a weight is negative).
            float zero[8] = {0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f};
            normalizeRow<T>(zero, threadIdx.x * 8, D, next, normRow, rDst, uDst);
            if (threadIdx.x == 0) {
                sizeOut[outRow] = 1.f;
                protectOut[outRow] = false;
            }
            return;
        }
        const uint4 zero = make_uint4(0u, 0u, 0u, 0u);
        for (int c = threadIdx.x * 8; c < D; c += blockDim.x * 8) {
#pragma unroll
            for (int w = 0; w < HV; ++w) store16Raw(hDst + c + w * (8 / HV), zero);
            store16Raw(rDst + c, zero);
            store16Raw(rDst + c + 4, zero);
        }
        if (threadIdx.x == 0) {
            sizeOut[outRow] = 1.f;
            protectOut[outRow] = false;
        }
        return;
    }
    const int64_t base = static_cast<int64_t>(b) * s.M;
    const int i = static_cast<int>(buf.kept[outRow]);
    const int64_t row = base + i;
    const T* hSrc = h + row * D;
    const float* rSrc = r + row * D;
    // This thread's first 8 channels of the row, in flight together with the group size: most rows receive
    // nothing and are copies, whose loads then wait for one index (kept) instead of two.
    const int c0 = threadIdx.x * 8;
    uint4 early[2 + HV];
    if (c0 < D) {
        early[0] = load16Raw(rSrc + c0);
        early[1] = load16Raw(rSrc + c0 + 4);
#pragma unroll
        for (int w = 0; w < HV; ++w) early[2 + w] = load16Raw(hSrc + c0 + w * (8 / HV));
    }
    // Rows that receive no removed token are copied as they are (as in the ATen code); destinations go through
    // the weighted average.
    const bool active = merges && s.removeCount(b) > 0;
    const int j = active ? buf.groupCount[row] : 0;
    // Where a destination's members start, loaded with j rather than after it (finalize wrote it for every row of
    // a sequence with removals; unused when j is 0).
    const int groupStart = active ? buf.groupStart[row] : 0;
    const float own = sizes[row];
    if (threadIdx.x == 0) protectOut[outRow] = protect[row];
    if (j == 0) {  // most rows: a copy
        if (threadIdx.x == 0) sizeOut[outRow] = own;
        if constexpr (kNorm) {
            float x[8], y[8];
            if (c0 < D) {
                unpack8<float>(early, x);
                unpack8<T>(early + 2, y);
#pragma unroll
                for (int k = 0; k < 8; ++k) x[k] = y[k] + x[k];
            }
            normalizeRow<T>(x, c0, D, next, normRow, rDst, uDst);
            return;
        }
        if (c0 < D) {
            store16Raw(rDst + c0, early[0]);
            store16Raw(rDst + c0 + 4, early[1]);
#pragma unroll
            for (int w = 0; w < HV; ++w) store16Raw(hDst + c0 + w * (8 / HV), early[2 + w]);
        }
        for (int c = c0 + blockDim.x * 8; c < D; c += blockDim.x * 8) {  // rows wider than 8 * kMergeMaxThreads
            const uint4 x0 = load16Raw(rSrc + c), x1 = load16Raw(rSrc + c + 4);
            uint4 y[HV];
#pragma unroll
            for (int w = 0; w < HV; ++w) y[w] = load16Raw(hSrc + c + w * (8 / HV));
            store16Raw(rDst + c, x0);
            store16Raw(rDst + c + 4, x1);
#pragma unroll
            for (int w = 0; w < HV; ++w) store16Raw(hDst + c + w * (8 / HV), y[w]);
        }
        return;
    }
    const bool mergeHidden = rc.hidden != HiddenMerge::Prune, mergeResidual = rc.mergeResidual;
    const int start = groupStart, end = start + j;
    const int64_t slots = static_cast<int64_t>(b) * s.kmax;  // this sequence's member slots
    const int* members = buf.memberList + slots;
    const float* memberSizes = buf.memberSize + slots;
    const uint8_t* chosen = buf.chosen + slots * (rc.channelChoice ? D : 1);
    // The group's first kCachedMembers members and their sizes (finalize wrote both per slot: one round trip), a
    // thread each, in shared memory (the rest, rare, read again): the sums below then wait on member rows only.
    __shared__ int memberRow[kCachedMembers];
    __shared__ float memberSize[kCachedMembers];
    if (static_cast<int>(threadIdx.x) < j && threadIdx.x < kCachedMembers) {
        memberRow[threadIdx.x] = members[start + threadIdx.x];
        memberSize[threadIdx.x] = memberSizes[start + threadIdx.x];
    }
    __syncthreads();  // j is the block's: every thread gets here
    auto memberAt = [&](int q) { return q - start < kCachedMembers ? memberRow[q - start] : members[q]; };
    auto sizeAt = [&](int q) { return q - start < kCachedMembers ? memberSize[q - start] : memberSizes[q]; };
    float total = own;  // own size plus the members', summed in order
    for (int q = start; q < end; ++q) total = __fadd_rn(total, sizeAt(q));
    if (threadIdx.x == 0) sizeOut[outRow] = mergeResidual ? total : own;
    // The staging area: per member of a batch, this thread's 16-byte words (residual, then hidden), each word's
    // threads side by side.
    // Then per member of a batch its choice for this thread's channels (8 bytes; per token: the token's, 4 bytes
    // of mergedCount, which the token choice sets to the same 0 / 1), after all of the words.
    const int words = (mergeResidual ? 2 : 0) + (mergeHidden ? HV : 0);
    uint2* picks = reinterpret_cast<uint2*>(stage + stagedMembers * words * blockDim.x) + threadIdx.x;
    // kNorm: this thread's channels of hidden + residual, for the norm (hidden rounded to T, as it is stored).
    float sumOut[8];
    for (int c = c0; c < D; c += blockDim.x * 8) {
        // Both streams' sums at once: a batch of members has their residual and hidden values (and channel choices)
        // in flight together, so a group of j costs ceil(j / stagedMembers) round trips (before: 2 ceil(j / 2));
        // each stream's sum still adds its members in order, with the ATen code's fp32 operations.
        // A stream that is not merged is stored at once (its values are then not held across the loop).
        float numR[8], numH[8], denH[8];
        load8(rSrc + c, numR);
        load8(hSrc + c, numH);
        if constexpr (!kNorm) {
            if (!mergeResidual) store8(rDst + c, numR);
            if (!mergeHidden) store8(hDst + c, numH);
        }
#pragma unroll
        for (int k = 0; k < 8; ++k) {
            numR[k] = __fmul_rn(numR[k], own);
            numH[k] = __fmul_rn(numH[k], own);
            denH[k] = own;
        }
        for (int q0 = start; q0 < end; q0 += stagedMembers) {
            const int batch = min(stagedMembers, end - q0);
#pragma unroll 1
            for (int u = 0; u < batch; ++u) {
                const int q = q0 + u;
                const int64_t m = (base + memberAt(q)) * D + c;
                uint4* slot = stage + u * words * blockDim.x + threadIdx.x;
                if (mergeResidual) {
                    cpAsync16(slot, r + m);
                    cpAsync16(slot + blockDim.x, r + m + 4);
                    slot += 2 * blockDim.x;
                }
                if (mergeHidden) {
#pragma unroll
                    for (int w = 0; w < HV; ++w) cpAsync16(slot + w * blockDim.x, h + m + w * (8 / HV));
                    uint2* pick = picks + u * blockDim.x;
                    if (rc.hidden == HiddenMerge::Hybrid && rc.channelChoice)
                        cpAsyncSmall<8>(pick, chosen + static_cast<int64_t>(q) * D + c);
                    else if (rc.hidden == HiddenMerge::Hybrid)
                        cpAsyncSmall<4>(pick, buf.mergedCount + slots + q);  // the same 0 / 1 as chosen[q]

                }
            }
            cpAsyncCommit();
            cpAsyncWait<0>();  // this thread's own copies: no other thread reads them, no barrier
#pragma unroll 1
            for (int u = 0; u < batch; ++u) {
                const int q = q0 + u;
                const uint4* slot = stage + u * words * blockDim.x + threadIdx.x;
                const float size = sizeAt(q);
                if (mergeResidual) {
                    const uint4 raw[2] = {slot[0], slot[blockDim.x]};
                    float y[8];
                    unpack8<float>(raw, y);
#pragma unroll
                    for (int k = 0; k < 8; ++k) numR[k] = __fadd_rn(numR[k], __fmul_rn(y[k], size));
                    slot += 2 * blockDim.x;
                }
                if (mergeHidden) {
                    uint4 raw[HV];
#pragma unroll
                    for (int w = 0; w < HV; ++w) raw[w] = slot[w * blockDim.x];
                    float y[8], w[8];
                    unpack8<T>(raw, y);
                    if (rc.hidden == HiddenMerge::Merge) {
#pragma unroll
                        for (int k = 0; k < 8; ++k) w[k] = size;
                    } else if (rc.channelChoice) {
                        const uint2 pick = picks[u * blockDim.x];
                        const uint8_t* bits = reinterpret_cast<const uint8_t*>(&pick);
#pragma unroll
                        for (int k = 0; k < 8; ++k) w[k] = bits[k] ? size : 0.f;
                    } else {
                        const float v = picks[u * blockDim.x].x ? size : 0.f;  // the token's choice
#pragma unroll
                        for (int k = 0; k < 8; ++k) w[k] = v;
                    }
#pragma unroll
                    for (int k = 0; k < 8; ++k) {
                        numH[k] = __fadd_rn(numH[k], __fmul_rn(y[k], w[k]));
                        denH[k] = __fadd_rn(denH[k], w[k]);
                    }
                }
            }
        }
        if (mergeResidual) {
#pragma unroll
            for (int k = 0; k < 8; ++k) numR[k] = __fdiv_rn(numR[k], total);
            if constexpr (!kNorm) store8(rDst + c, numR);
        }
        if (mergeHidden) {
#pragma unroll
            for (int k = 0; k < 8; ++k) numH[k] = __fdiv_rn(numH[k], denH[k]);
            if constexpr (!kNorm) store8(hDst + c, numH);
        }
        if constexpr (kNorm) {
            // A stream that is not merged is the survivor's own row: loaded again (rare recipes) rather than held
            // in registers across the members' loop.
            if (!mergeResidual) load8(rSrc + c, numR);
            if (!mergeHidden) load8(hSrc + c, numH);
#pragma unroll
            for (int k = 0; k < 8; ++k) sumOut[k] = toFloat(fromFloat<T>(numH[k])) + numR[k];
        }
    }
    if constexpr (kNorm) normalizeRow<T>(sumOut, c0, D, next, normRow, rDst, uDst);
    // The members' fates, now that the share of their channels merged is known.
    if (!mergeHidden) return;
    for (int q = start + threadIdx.x; q < end; q += blockDim.x) {
        const int a = memberAt(q);
        const float share = rc.hidden == HiddenMerge::Merge
                                ? 1.f
                                : static_cast<float>(buf.mergedCount[static_cast<int64_t>(b) * s.kmax + q]) /
                                      static_cast<float>(rc.channelChoice ? D : 1);
        const bool merged = rc.mergeResidual || share > 0.f;
        buf.mergedFraction[base + a] = share;
        buf.fate[base + a] = merged ? kFateMerged : kFatePruned;
        buf.destination[base + a] = merged ? i : -1;
    }
}

}  // namespace

void launchMergeChoice(const at::Tensor& hidden, const StepShape& s, const StepRecipe& r, const StepBuffers& buf,
                       const KernelLaunch& how) {
    if (s.kmax == 0 || r.hidden != HiddenMerge::Hybrid) return;
    if (!r.channelChoice) {
        launchKernel(tokenChoiceKernel, dim3((s.kmax + kChoiceThreads - 1) / kChoiceThreads, s.B),
                         dim3(kChoiceThreads), 0, how, s, buf);
        return;
    }
    TORCH_CHECK(s.B <= 65535, "token reduction kernels: at most 65535 sequences per batch");
    dispatchCudaType(hidden.scalar_type(), [&](auto tag) {
        using T = decltype(tag);
        const dim3 grid(s.kmax, (s.D + kChoiceThreads - 1) / kChoiceThreads, s.B);
        launchKernel(channelChoiceKernel<T>, grid, dim3(kChoiceThreads), 0, how,
                         reinterpret_cast<const T*>(hidden.data_ptr()), s, buf);
    });
}

void launchMergeCompact(const at::Tensor& hidden, const at::Tensor& residual, const float* sizes, const bool* protect,
                        const StepShape& s, const StepRecipe& r, const StepBuffers& buf, at::Tensor& hiddenOut,
                        at::Tensor& residualOut, at::Tensor& sizesOut, at::Tensor& protectOut, const NextNormArgs* next,
                        const KernelLaunch& how) {
    if (s.M2 == 0) return;
    TORCH_CHECK(s.B <= 65535, "token reduction kernels: at most 65535 sequences per batch");
    TORCH_CHECK(!next || s.D <= kNextNormMaxChannels, "token reduction kernels: the next norm on rows of ", s.D);
    // The EViT split and prune-only merge nothing: survivors are copied.
    const bool merges = r.split != Split::ImportanceOnly && (r.mergeResidual || r.hidden != HiddenMerge::Prune);
    const int threads =
        static_cast<int>(std::min<int64_t>(kMergeMaxThreads, std::max<int64_t>(32, (s.D / 8 + 31) / 32 * 32)));
    dispatchCudaType(hidden.scalar_type(), [&](auto tag) {
        using T = decltype(tag);
        // Members staged per batch: as many as kStageBytes hold (at most kStagedMembers, at least one), each this
        // many 16-byte words per thread (residual 2, hidden 8 channels of T), none where nothing is merged.
        const int words = (merges && r.mergeResidual ? 2 : 0) +
                          (merges && r.hidden != HiddenMerge::Prune ? 8 * static_cast<int>(sizeof(T)) / 16 : 0);
        const bool picks = merges && r.hidden == HiddenMerge::Hybrid;
        const int perMember = words * threads * 16 + (picks ? threads * 8 : 0);
        const int staged = perMember == 0 ? 1 : std::max(1, std::min(kStagedMembers, kStageBytes / perMember));
        // With the next norm, the row's D floats follow the staging area (16-byte aligned: perMember is).
        NextNormArgs args = next ? *next : NextNormArgs{};
        args.rowAt = staged * perMember;
        const int bytes = args.rowAt + (next ? 4 * s.D : 0);
        auto launch = [&](auto kernel) {
            // All of the unified L1 / shared memory as shared where it can be, asked once per device and kernel:
            // the copies (most blocks) are register-bound at nine 96-thread blocks per multiprocessor (the 130m's
            // rows), whose staging areas (21.5 KB each) need the largest carveout. L1 holds nothing this kernel
            // reads twice. Up to 56 KB per block with the next norm's row (above the default 48 KB: asked for).
            static std::atomic<bool> asked[kMaxDevices] = {};
            const int device = currentDeviceIndex();
            if (!asked[device].load(std::memory_order_acquire)) {
                C10_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributePreferredSharedMemoryCarveout,
                                                    cudaSharedmemCarveoutMaxShared));
                C10_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                                    kStageBytes + 4 * kNextNormMaxChannels));
                asked[device].store(true, std::memory_order_release);
            }
            launchKernel(kernel, dim3(s.M2, s.B), dim3(threads), bytes, how,
                             reinterpret_cast<const T*>(hidden.data_ptr()), residual.data_ptr<float>(), sizes, protect,
                             s, r, merges, staged, buf, next ? nullptr : reinterpret_cast<T*>(hiddenOut.data_ptr()),
                             residualOut.data_ptr<float>(), sizesOut.data_ptr<float>(), protectOut.data_ptr<bool>(),
                             args);
        };
        if (next) launch(mergeCompactKernel<T, true>);
        else launch(mergeCompactKernel<T, false>);
    });
}

}  // namespace ssmlens::fused::reduction
