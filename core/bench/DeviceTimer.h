#pragma once
// Wall-clock timing that waits for the GPU, and peak device memory, for the benchmarks.
#include <cstdint>
#include <functional>

#include <c10/core/Device.h>

namespace ssmlens {

void synchronizeDevice(const c10::Device& device);
// Median milliseconds of `repeats` calls of f after `warmup` calls.
double medianMilliseconds(const c10::Device& device, const std::function<void()>& f, int warmup, int repeats);
// Peak bytes allocated on the device since the last reset; 0 on the CPU (not tracked).
void resetPeakMemory(const c10::Device& device);
int64_t peakMemoryBytes(const c10::Device& device);
std::string deviceDescription(const c10::Device& device);

}  // namespace ssmlens
