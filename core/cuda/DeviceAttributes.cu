// core/cuda/DeviceAttributes.cuh: the current device and its attributes, each asked once per device.
#include "core/cuda/DeviceAttributes.cuh"

#include <atomic>

#include <c10/cuda/CUDAException.h>
#include <c10/util/Exception.h>
#include <cuda_runtime.h>

namespace ssmlens::fused {
namespace {

// A device attribute of the current device, asked once per device (0: not yet known).
int cachedDeviceAttribute(std::atomic<int> (&known)[kMaxDevices], cudaDeviceAttr attribute) {
    const int device = currentDeviceIndex();
    int v = known[device].load(std::memory_order_relaxed);
    if (v == 0) {
        C10_CUDA_CHECK(cudaDeviceGetAttribute(&v, attribute, device));
        known[device].store(v, std::memory_order_relaxed);
    }
    return v;
}

}  // namespace

int currentDeviceIndex() {
    int device = 0;
    C10_CUDA_CHECK(cudaGetDevice(&device));
    TORCH_CHECK(device >= 0 && device < kMaxDevices, "CUDA kernels: device ", device, " out of range");
    return device;
}

int deviceMultiprocessors() {
    static std::atomic<int> known[kMaxDevices] = {};
    return cachedDeviceAttribute(known, cudaDevAttrMultiProcessorCount);
}

int deviceComputeMajor() {
    static std::atomic<int> known[kMaxDevices] = {};
    return cachedDeviceAttribute(known, cudaDevAttrComputeCapabilityMajor);
}

}  // namespace ssmlens::fused
