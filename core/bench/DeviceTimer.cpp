#include "core/bench/DeviceTimer.h"

#include "core/Error.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <ATen/Parallel.h>
#include <torch/cuda.h>

#ifdef SSMLENS_TORCH_HAS_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>
#include <nvtx3/nvToolsExt.h>
#endif

namespace ssmlens {

void synchronizeDevice(const c10::Device& device) {
    if (device.is_cuda()) torch::cuda::synchronize(device.index());
}

double medianMilliseconds(const c10::Device& device, const std::function<void()>& f, int warmup, int repeats) {
    if (repeats < 1) throw Error("a timing needs at least one repeat (got " + std::to_string(repeats) + ")");
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

RegionTimer::RegionTimer(const c10::Device& device) : device_(device) {}

RegionTimer::~RegionTimer() {
#ifdef SSMLENS_TORCH_HAS_CUDA
    for (void* e : events_) cudaEventDestroy(static_cast<cudaEvent_t>(e));
#endif
}

void RegionTimer::begin() {
#ifdef SSMLENS_TORCH_HAS_CUDA
    if (device_.is_cuda()) {
        cudaEvent_t e = nullptr;
        if (cudaEventCreate(&e) != cudaSuccess) throw std::runtime_error("RegionTimer: cudaEventCreate failed");
        cudaEventRecord(e, c10::cuda::getCurrentCUDAStream(device_.index()));
        events_.push_back(e);
        return;
    }
#endif
    cpuStart_ = std::chrono::steady_clock::now();
}

void RegionTimer::end() {
    ++regions_;
#ifdef SSMLENS_TORCH_HAS_CUDA
    if (device_.is_cuda()) {
        cudaEvent_t e = nullptr;
        if (cudaEventCreate(&e) != cudaSuccess) throw std::runtime_error("RegionTimer: cudaEventCreate failed");
        cudaEventRecord(e, c10::cuda::getCurrentCUDAStream(device_.index()));
        events_.push_back(e);
        return;
    }
#endif
    cpuMs_ += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - cpuStart_).count();
}

double RegionTimer::totalMilliseconds() {
    double ms = cpuMs_;
#ifdef SSMLENS_TORCH_HAS_CUDA
    if (device_.is_cuda()) {
        synchronizeDevice(device_);
        for (size_t i = 0; i + 1 < events_.size(); i += 2) {
            float part = 0;
            if (cudaEventElapsedTime(&part, static_cast<cudaEvent_t>(events_[i]), static_cast<cudaEvent_t>(events_[i + 1])) ==
                cudaSuccess)
                ms += part;
        }
    }
#endif
    return ms;
}

ProfilerRange::ProfilerRange(const char* name) {
#ifdef SSMLENS_TORCH_HAS_CUDA
    nvtxRangePushA(name);
#else
    (void)name;
#endif
}

ProfilerRange::~ProfilerRange() {
#ifdef SSMLENS_TORCH_HAS_CUDA
    nvtxRangePop();
#endif
}

}  // namespace ssmlens
