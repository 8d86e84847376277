#pragma once
// Wall-clock timing that waits for the GPU, and peak device memory, for the benchmarks.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <c10/core/Device.h>

namespace ssmlens {

void synchronizeDevice(const c10::Device& device);
// Median milliseconds of `repeats` calls of f after `warmup` calls.
double medianMilliseconds(const c10::Device& device, const std::function<void()>& f, int warmup, int repeats);
// Peak bytes allocated on the device since the last reset; 0 on the CPU (not tracked).
void resetPeakMemory(const c10::Device& device);
int64_t peakMemoryBytes(const c10::Device& device);
std::string deviceDescription(const c10::Device& device);

// Time spent in regions of a run, measured on the device's current stream with CUDA events: nothing waits
// inside a region, so the host keeps queueing work ahead of the GPU as in a real run, and a region's time is
// the device time from the end of the work queued before it to the end of its own work (host gaps included
// when the host falls behind). On the CPU: wall clock.
class RegionTimer {
public:
    explicit RegionTimer(const c10::Device& device);
    ~RegionTimer();
    RegionTimer(const RegionTimer&) = delete;
    RegionTimer& operator=(const RegionTimer&) = delete;
    void begin();
    void end();
    double totalMilliseconds();  // waits for the device
    int64_t regions() const { return regions_; }

private:
    c10::Device device_;
    std::vector<void*> events_;  // cudaEvent_t, begin / end pairs
    double cpuMs_ = 0;
    int64_t regions_ = 0;
    std::chrono::steady_clock::time_point cpuStart_;
};

// A named range on the profilers' timeline (NVTX) for as long as it lives, so that `ncu --nvtx --nvtx-include
// "NAME/"` profiles exactly the kernels queued inside it. Nothing without CUDA, and close to nothing when no
// profiler is attached.
class ProfilerRange {
public:
    explicit ProfilerRange(const char* name);
    ~ProfilerRange();
    ProfilerRange(const ProfilerRange&) = delete;
    ProfilerRange& operator=(const ProfilerRange&) = delete;
};

}  // namespace ssmlens
