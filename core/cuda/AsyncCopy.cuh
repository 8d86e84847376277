#pragma once
// Asynchronous copies from global into shared memory (cp.async, compute capability 8 and more), shared by the
// kernels that stage operand rows: the reduction step's best match and merge (Reduction*.cu) and the chunk-serial
// scan (SerialSsd.cu).
namespace ssmlens::fused {

// 16 bytes (srcBytes 0 writes zeros) or 4 / 8, issued, grouped (commit), and waited for until at most Pending
// groups are in flight.
// The "memory" clobbers keep the compiler from moving the thread's own shared-memory reads or writes across them.
__device__ __forceinline__ void cpAsync16(void* smem, const void* gmem, int srcBytes = 16) {
    const unsigned s = static_cast<unsigned>(__cvta_generic_to_shared(smem));
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(s), "l"(gmem), "r"(srcBytes) : "memory");
}
template <int Bytes>  // 4 or 8
__device__ __forceinline__ void cpAsyncSmall(void* smem, const void* gmem) {
    static_assert(Bytes == 4 || Bytes == 8, "cp.async.ca copies 4, 8 or 16 bytes");
    const unsigned s = static_cast<unsigned>(__cvta_generic_to_shared(smem));
    asm volatile("cp.async.ca.shared.global [%0], [%1], %2;\n" ::"r"(s), "l"(gmem), "n"(Bytes) : "memory");
}
__device__ __forceinline__ void cpAsyncCommit() { asm volatile("cp.async.commit_group;\n" ::: "memory"); }
template <int Pending>
__device__ __forceinline__ void cpAsyncWait() {
    asm volatile("cp.async.wait_group %0;\n" ::"n"(Pending) : "memory");
}

}  // namespace ssmlens::fused
