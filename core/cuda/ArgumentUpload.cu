// Host bytes to the device through kernel arguments (ArgumentUpload.h).
#include "core/cuda/ArgumentUpload.h"

#include <atomic>
#include <cstring>

#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <c10/util/Exception.h>

namespace ssmlens::fused {
namespace {

constexpr int kChunkBytes = 2048;  // per launch; half the 4 KiB of arguments every CUDA version takes

struct Chunk {
    unsigned char bytes[kChunkBytes];
};

// dst[i] = chunk.bytes[i] for i < n.
__global__ void writeChunkKernel(unsigned char* __restrict__ dst, const Chunk chunk, int n) {
    for (int i = threadIdx.x; i < n; i += blockDim.x) dst[i] = chunk.bytes[i];
}

}  // namespace

bool argumentUploadAvailable(const c10::Device& device) {
    if (!device.is_cuda()) return false;
    // 0 = not asked yet, 1 = yes, 2 = no (a build without code for this GPU).
    static std::atomic<int> known[64];
    const int dev = device.index() < 0 ? 0 : device.index();
    if (dev >= 64) return false;
    int k = known[dev].load(std::memory_order_relaxed);
    if (k == 0) {
        c10::cuda::CUDAGuard guard(device);
        cudaFuncAttributes attr{};
        k = cudaFuncGetAttributes(&attr, writeChunkKernel) == cudaSuccess ? 1 : 2;
        if (k == 2) (void)cudaGetLastError();  // clear the error so that ATen does not report it later
        known[dev].store(k, std::memory_order_relaxed);
    }
    return k == 1;
}

void uploadThroughArguments(void* dst, const void* src, int64_t n) {
    TORCH_CHECK(n >= 0 && n <= kArgumentUploadMaxBytes, "argument upload of ", n, " bytes (at most ",
                kArgumentUploadMaxBytes, ")");
    auto stream = c10::cuda::getCurrentCUDAStream();
    for (int64_t at = 0; at < n; at += kChunkBytes) {
        const int count = static_cast<int>(n - at < kChunkBytes ? n - at : kChunkBytes);
        Chunk chunk;
        std::memcpy(chunk.bytes, static_cast<const unsigned char*>(src) + at, count);
        writeChunkKernel<<<1, 256, 0, stream>>>(static_cast<unsigned char*>(dst) + at, chunk, count);
        C10_CUDA_KERNEL_LAUNCH_CHECK();
    }
}

}  // namespace ssmlens::fused
