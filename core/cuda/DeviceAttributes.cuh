#pragma once
// The current CUDA device and attributes of it that kernels' launchers ask at every call (the scan once per
// layer, the reduction step several times per anchor): asked of the runtime once per device and cached.
namespace ssmlens::fused {

constexpr int kMaxDevices = 64;  // the size of the per-device caches
// The current device, checked to be below kMaxDevices.
int currentDeviceIndex();
// Its multiprocessor count and compute capability (major).
int deviceMultiprocessors();
int deviceComputeMajor();

}  // namespace ssmlens::fused
