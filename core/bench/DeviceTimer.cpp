#include "core/bench/DeviceTimer.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <ATen/Parallel.h>
#include <torch/cuda.h>

#ifdef SSMLENS_TORCH_HAS_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <cuda_runtime_api.h>
#endif

namespace ssmlens {

void synchronizeDevice(const c10::Device& device) {
    if (device.is_cuda()) torch::cuda::synchronize(device.index());
}

double medianMilliseconds(const c10::Device& device, const std::function<void()>& f, int warmup, int repeats) {
    for (int i = 0; i < warmup; ++i) f();
    synchronizeDevice(device);
    std::vector<double> ms;
    for (int i = 0; i < repeats; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        f();
        synchronizeDevice(device);
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

void resetPeakMemory(const c10::Device& device) {
#ifdef SSMLENS_TORCH_HAS_CUDA
    if (device.is_cuda()) c10::cuda::CUDACachingAllocator::resetPeakStats(device.index() < 0 ? 0 : device.index());
#else
    (void)device;
#endif
}

int64_t peakMemoryBytes(const c10::Device& device) {
#ifdef SSMLENS_TORCH_HAS_CUDA
    if (device.is_cuda()) {
        auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device.index() < 0 ? 0 : device.index());
        return stats.allocated_bytes[0].peak;  // aggregate pool
    }
#else
    (void)device;
#endif
    return 0;
}

std::string deviceDescription(const c10::Device& device) {
#ifdef SSMLENS_TORCH_HAS_CUDA
    if (device.is_cuda()) {
        cudaDeviceProp prop{};
        if (cudaGetDeviceProperties(&prop, device.index() < 0 ? 0 : device.index()) == cudaSuccess)
            return std::string("CUDA ") + prop.name;
    }
#endif
    return device.is_cuda() ? "CUDA" : "CPU, " + std::to_string(at::get_num_threads()) + " threads";
}

}  // namespace ssmlens
