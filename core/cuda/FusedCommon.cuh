#pragma once
// Helpers shared by the fused kernels (core/cuda/*.cu only): dtype dispatch, strided row views, block sums.
#include <ATen/core/Tensor.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

namespace ssmlens::fused::detail {

// Calls f(T()) with T the C++ type of a model dtype (fp32, bf16, fp16).
template <typename F>
void dispatchModelType(at::ScalarType t, const char* what, F&& f) {
    switch (t) {
        case at::kFloat: f(float()); return;
        case at::kBFloat16: f(c10::BFloat16()); return;
        case at::kHalf: f(c10::Half()); return;
        default: TORCH_CHECK(false, what, ": unsupported dtype ", t);
    }
}

// Element offsets into a [B, L, C] tensor with any strides ([B, C] is read as [B, 1, C]); row = b * L + l.
struct RowView {
    int64_t sb, sl, sc, L;
    __device__ __forceinline__ int64_t rowBase(int64_t row) const { return (row / L) * sb + (row % L) * sl; }
    __device__ __forceinline__ int64_t at(int64_t row, int64_t c) const { return rowBase(row) + c * sc; }
};

inline RowView rowView(const at::Tensor& t, const char* what) {
    TORCH_CHECK(t.dim() == 2 || t.dim() == 3, what, ": expected [B, C] or [B, L, C], got ", t.sizes());
    if (t.dim() == 2) return {t.stride(0), 0, t.stride(1), 1};
    return {t.stride(0), t.stride(1), t.stride(2), std::max<int64_t>(t.size(1), 1)};
}

inline int64_t rowCount(const at::Tensor& t) { return t.numel() / std::max<int64_t>(t.size(-1), 1); }

// Threads for a block that walks n elements: about 4 per thread, a multiple of 32, at most 512.
inline int blockThreads(int64_t n) {
    int64_t t = ((n + 3) / 4 + 31) / 32 * 32;
    return static_cast<int>(std::min<int64_t>(std::max<int64_t>(t, 32), 512));
}

// Rounds through T (the model dtype), as storing an ATen result in that dtype does; identity for float.
template <typename T>
__device__ __forceinline__ float roundTo(float v) {
    return static_cast<float>(static_cast<T>(v));
}

// The conv's SiLU as the ATen path computes it in the model dtype T: the conv sum rounded to T, its SiLU
// computed in fp32 and rounded to T again (identity for float). Shared by the prefill's conv kernels and the
// decode step's kernel, so a decoded token's conv output equals the prefill's at the same position.
template <typename T>
__device__ __forceinline__ float convSiluRounded(float acc) {
    acc = roundTo<T>(acc);
    return roundTo<T>(acc / (1.f + expf(-acc)));
}

// Sum of v over the 32 lanes of a warp, every lane getting the total, in butterfly order (lane xor 16, 8, ... 1):
// the order of blockSum, so that kernels which must give its bits (ReductionMerge.cu's normalizeRow) use it too.
__device__ __forceinline__ float warpXorSum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

// The total of per-warp partial sums sums[0, warps) (warps at most 32), added up by warp 0 in warpXorSum's order
// and returned to every thread through sums[0]. Every thread of the block calls it after a barrier that follows
// the partials' stores.
__device__ __forceinline__ float sumWarpPartials(float* sums, int warps) {
    const int lane = threadIdx.x & 31;
    if ((threadIdx.x >> 5) == 0) {
        const float v = warpXorSum(lane < warps ? sums[lane] : 0.f);
        if (lane == 0) sums[0] = v;
    }
    __syncthreads();
    return sums[0];
}

// Sum of v over the block (blockDim.x a multiple of 32, at most 1024); every thread gets the total, summed in
// the same order on every run. It reuses one shared buffer: a kernel that calls it twice needs a
// __syncthreads() between the two calls.
__device__ __forceinline__ float blockSum(float v) {
    __shared__ float warpSums[32];
    v = warpXorSum(v);
    if ((threadIdx.x & 31) == 0) warpSums[threadIdx.x >> 5] = v;
    __syncthreads();
    return sumWarpPartials(warpSums, blockDim.x >> 5);
}

// The time step of one head: softplus(raw + bias) (at::softplus with beta 1 and threshold 20), clamped to
// [lo, hi] when clamp is set. Shared by the prefill's time-step kernel and the decode step's kernel, so both
// give the same dt for the same input.
__device__ __forceinline__ float timeStep(float raw, float bias, bool clamp, float lo, float hi) {
    float v = raw + bias;
    v = v > 20.f ? v : log1pf(expf(v));
    if (clamp) v = v < lo ? lo : (v > hi ? hi : v);
    return v;
}

}  // namespace ssmlens::fused::detail
