#pragma once
// Tensor-core products on raw PTX (ldmatrix + mma.sync m16n8k16, fp32 accumulation) for kernels that keep their
// operands or accumulators in registers between products, which wmma's opaque fragments do not allow: the
// chunk-serial scan (SerialSsd.cu) feeds its fp32 state accumulators straight back in as the next product's
// operand. The fragment layouts (PTX ISA, mma.m16n8k16 with 16-bit operands; g = lane / 4, q = lane % 4; each
// 32-bit register holds two 16-bit values, the lower index in the lower half):
//   A (16 x 16):        a[0] = A[g][2q, 2q+1], a[1] = A[g+8][2q, 2q+1], a[2] = A[g][2q+8, 2q+9], a[3] = A[g+8][2q+8, 2q+9]
//   B (16 x 8):         b[0] = B[2q, 2q+1][g], b[1] = B[2q+8, 2q+9][g]
//   C, D (16 x 8, fp32): d[0], d[1] = D[g][2q, 2q+1], d[2], d[3] = D[g+8][2q, 2q+1]
// The address helpers below give each lane its ldmatrix row address for a 16 x 16 operand tile in shared memory
// (row stride ld elements, 16-byte aligned rows), in either storage order.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <type_traits>

namespace ssmlens::fused::mma {

// Four 8 x 8 matrices of 16-bit values from shared memory (lanes 8m .. 8m + 7 give the rows of matrix m) into
// four fragment registers; Trans delivers each matrix transposed.
__device__ __forceinline__ void ldmatrixX4(unsigned (&r)[4], const void* p) {
    const unsigned a = static_cast<unsigned>(__cvta_generic_to_shared(p));
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(a));
}
__device__ __forceinline__ void ldmatrixX4Trans(unsigned (&r)[4], const void* p) {
    const unsigned a = static_cast<unsigned>(__cvta_generic_to_shared(p));
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(a));
}

// d += A (16 x 16) * B (16 x 8), fp32 accumulation; T is __nv_bfloat16 or __half.
template <typename T>
__device__ __forceinline__ void mma16816(float (&d)[4], const unsigned (&a)[4], unsigned b0, unsigned b1) {
    static_assert(std::is_same_v<T, __nv_bfloat16> || std::is_same_v<T, __half>, "bf16 or fp16 operands");
    if constexpr (std::is_same_v<T, __nv_bfloat16>) {
        asm volatile(
            "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
            "{%0, %1, %2, %3};\n"
            : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
            : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
    } else {
        asm volatile(
            "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
            "{%0, %1, %2, %3};\n"
            : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
            : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
    }
}

// Two fp32 values rounded to T and packed into one fragment register (lo in the lower half).
template <typename T> __device__ __forceinline__ unsigned packPair(float lo, float hi);
template <> __device__ __forceinline__ unsigned packPair<__nv_bfloat16>(float lo, float hi) {
    const __nv_bfloat162 v = __floats2bfloat162_rn(lo, hi);
    return *reinterpret_cast<const unsigned*>(&v);
}
template <> __device__ __forceinline__ unsigned packPair<__half>(float lo, float hi) {
    const __half2 v = __floats2half2_rn(lo, hi);
    return *reinterpret_cast<const unsigned*>(&v);
}

// ldmatrixX4 row addresses of this lane for the 16 x 16 tile at (row0, col0) of a matrix stored with row stride
// ld, as the operand of m16n8k16:
//   aFromRows:  A stored [m][k] (k contiguous)                           -> a[0..3]                      (ldmatrixX4)
//   aFromCols:  A stored [k][m] (m contiguous; row0 is k, col0 is m)     -> a[0..3]                 (ldmatrixX4Trans)
//   bFromRows:  B stored [n][k] (k contiguous; row0 is n, col0 is k)     -> {b0, b1} of n row0 .. row0 + 7, then of
//                                                                           row0 + 8 .. row0 + 15      (ldmatrixX4)
//   bFromCols:  B stored [k][n] (n contiguous; row0 is k, col0 is n)     -> {b0, b1} of n col0 .. col0 + 7, then of
//                                                                           col0 + 8 .. col0 + 15 (ldmatrixX4Trans)
template <typename T> __device__ __forceinline__ const T* aFromRows(const T* p, int ld, int row0, int col0, int lane) {
    return p + (row0 + (lane & 15)) * ld + col0 + (lane >> 4) * 8;
}
template <typename T> __device__ __forceinline__ const T* aFromCols(const T* p, int ld, int row0, int col0, int lane) {
    return p + (row0 + (lane & 7) + (lane >> 4) * 8) * ld + col0 + ((lane >> 3) & 1) * 8;
}
template <typename T> __device__ __forceinline__ const T* bFromRows(const T* p, int ld, int row0, int col0, int lane) {
    return p + (row0 + (lane & 7) + (lane >> 4) * 8) * ld + col0 + ((lane >> 3) & 1) * 8;
}
template <typename T> __device__ __forceinline__ const T* bFromCols(const T* p, int ld, int row0, int col0, int lane) {
    return p + (row0 + (lane & 7) + ((lane >> 3) & 1) * 8) * ld + col0 + (lane >> 4) * 8;
}

}  // namespace ssmlens::fused::mma
