#pragma once
// What the tensor-core prefill scans share (core/cuda/FusedSsd.cu: the chunk-parallel kernels,
// core/cuda/SerialSsd.cu: the chunk-serial kernel): the scan's shape and strides, chunk and padding sizes, and
// shared-memory limits; for the chunk-parallel kernels also shared-memory staging of 16-bit operand tiles and
// 16 x 16 x 16 products on tensor cores (wmma) that accumulate in fp32 (the serial kernel keeps its accumulators
// in registers across products, which needs the known fragment layout of raw mma.sync: MmaFragments.cuh).
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <mma.h>

#include <cstdint>
#include <type_traits>

#include <c10/cuda/CUDAException.h>

namespace ssmlens::fused::ssd {

namespace wmma = nvcuda::wmma;

constexpr int kTile = 64;      // positions per tile: the rows of every product in the scan kernel
constexpr int kThreads = 256;  // 8 warps per block
constexpr int kWarps = kThreads / 32;
constexpr int kPad16 = 8;      // extra elements per 16-bit row in shared memory (bank conflicts)
constexpr int kPad32 = 4;      // extra elements per fp32 row

__host__ __device__ constexpr int64_t roundUp128(int64_t bytes) { return (bytes + 127) / 128 * 128; }

// Four values rounded to mma_t, stored as one 8-byte word (p 8-byte aligned).
template <typename mma_t> __device__ __forceinline__ void store4(mma_t* p, float4 v);
template <> __device__ __forceinline__ void store4<__nv_bfloat16>(__nv_bfloat16* p, float4 v) {
    __nv_bfloat162 lo = __floats2bfloat162_rn(v.x, v.y), hi = __floats2bfloat162_rn(v.z, v.w);
    uint2 u;
    u.x = *reinterpret_cast<unsigned*>(&lo);
    u.y = *reinterpret_cast<unsigned*>(&hi);
    *reinterpret_cast<uint2*>(p) = u;
}
template <> __device__ __forceinline__ void store4<__half>(__half* p, float4 v) {
    __half2 lo = __floats2half2_rn(v.x, v.y), hi = __floats2half2_rn(v.z, v.w);
    uint2 u;
    u.x = *reinterpret_cast<unsigned*>(&lo);
    u.y = *reinterpret_cast<unsigned*>(&hi);
    *reinterpret_cast<uint2*>(p) = u;
}

// Sizes and element strides. x: [b, L, H * P], B and C: [b, L, G * N] (rows may be strided, each row's
// channels contiguous, rows and the start 16-byte aligned); dt: [b, L, H] with any strides.
struct SsdShape {
    int64_t L;
    int H, P, G, N, chunks;
    int Q;  // positions per chunk, a multiple of kTile, at most kMaxChunk
    int64_t xsb, xsl, bsb, bsl, csb, csl, dsb, dsl, dsh;
};

template <typename T> __device__ __forceinline__ float toFloat(T v);
template <> __device__ __forceinline__ float toFloat<__nv_bfloat16>(__nv_bfloat16 v) { return __bfloat162float(v); }
template <> __device__ __forceinline__ float toFloat<__half>(__half v) { return __half2float(v); }

struct NoScale {
    __device__ __forceinline__ float operator()(int) const { return 1.f; }
};

// Copies `rows` rows of `cols` values of src_t (fp32, or mma_t itself; row r at src + r * stride; cols a multiple
// of 8) into shared memory as mma_t rows of length ld, each row times scale(r); rows at and after `valid` become
// zeros (past the end of the sequence). 16-byte loads, neighbouring threads on neighbouring columns. Rows of
// mma_t that need no scale are copied as they are (the same values as rounding them again).
template <typename mma_t, typename src_t, typename Scale>
__device__ __forceinline__ void stageRows(mma_t* dst, int ld, const src_t* src, int64_t stride, int rows, int cols,
                                          int64_t valid, Scale scale) {
    static_assert(std::is_same_v<src_t, float> || std::is_same_v<src_t, mma_t>, "fp32 or the operand type");
    constexpr int V = 16 / sizeof(src_t);  // elements per 16-byte load
    const int colsV = cols / V;
#pragma unroll 4  // several loads in flight per thread: the loop is latency-bound
    for (int i = threadIdx.x; i < rows * colsV; i += kThreads) {
        const int r = i / colsV, c = (i - r * colsV) * V;
        if constexpr (std::is_same_v<src_t, float>) {
            float4 v = make_float4(0.f, 0.f, 0.f, 0.f);
            if (r < valid) {
                v = __ldg(reinterpret_cast<const float4*>(src + r * stride + c));
                const float f = scale(r);
                v.x *= f;
                v.y *= f;
                v.z *= f;
                v.w *= f;
            }
            store4<mma_t>(dst + r * ld + c, v);
        } else {
            uint4 raw = make_uint4(0u, 0u, 0u, 0u);
            if (r < valid) raw = __ldg(reinterpret_cast<const uint4*>(src + r * stride + c));
            if constexpr (std::is_same_v<Scale, NoScale>) {
                *reinterpret_cast<uint4*>(dst + r * ld + c) = raw;
            } else {
                const mma_t* e = reinterpret_cast<const mma_t*>(&raw);
                const float f = r < valid ? scale(r) : 0.f;
                store4<mma_t>(dst + r * ld + c, make_float4(toFloat(e[0]) * f, toFloat(e[1]) * f, toFloat(e[2]) * f,
                                                            toFloat(e[3]) * f));
                store4<mma_t>(dst + r * ld + c + 4, make_float4(toFloat(e[4]) * f, toFloat(e[5]) * f,
                                                                toFloat(e[6]) * f, toFloat(e[7]) * f));
            }
        }
    }
}

// Four consecutive values of x (fp32 or 16-bit; p aligned to 4 elements) as fp32, and four fp32 values stored
// as out_t.
__device__ __forceinline__ float4 load4(const float* p) { return __ldg(reinterpret_cast<const float4*>(p)); }
template <typename T> __device__ __forceinline__ float4 load4(const T* p) {
    const uint2 raw = __ldg(reinterpret_cast<const uint2*>(p));
    const T* e = reinterpret_cast<const T*>(&raw);
    return make_float4(toFloat(e[0]), toFloat(e[1]), toFloat(e[2]), toFloat(e[3]));
}
__device__ __forceinline__ void storeOut4(float* p, float4 v) { *reinterpret_cast<float4*>(p) = v; }
template <typename T> __device__ __forceinline__ void storeOut4(T* p, float4 v) { store4<T>(p, v); }

using Accumulator = wmma::fragment<wmma::accumulator, 16, 16, 16, float>;

// acc += A [16 x K] * B [K x 16], both in shared memory: a points at A's first element, laid out row- or
// column-major with row length lda (likewise b, ldb); K a multiple of 16.
template <typename mma_t, typename LayoutA, typename LayoutB>
__device__ __forceinline__ void multiplyAccumulate(Accumulator& acc, const mma_t* a, int lda, const mma_t* b, int ldb,
                                                   int K) {
    constexpr bool aRows = std::is_same_v<LayoutA, wmma::row_major>, bRows = std::is_same_v<LayoutB, wmma::row_major>;
#pragma unroll 4
    for (int kk = 0; kk < K; kk += 16) {
        wmma::fragment<wmma::matrix_a, 16, 16, 16, mma_t, LayoutA> fa;
        wmma::fragment<wmma::matrix_b, 16, 16, 16, mma_t, LayoutB> fb;
        wmma::load_matrix_sync(fa, a + (aRows ? kk : kk * lda), lda);
        wmma::load_matrix_sync(fb, b + (bRows ? kk * ldb : kk), ldb);
        wmma::mma_sync(acc, fa, fb, acc);
    }
}

// A block of `kernel` may use `bytes` of dynamic shared memory on the current device: above the default 48 KB
// this must be asked for (per function and device; the call is cheap, so it is made at every launch). A GPU
// with less shared memory per block than asked gets a clear error here instead of a failed launch.
template <typename Kernel>
inline void allowSharedMemory(Kernel kernel, int bytes) {
    if (bytes <= 48 * 1024) return;
    C10_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, bytes));
}

}  // namespace ssmlens::fused::ssd
