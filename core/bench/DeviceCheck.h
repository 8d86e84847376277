#pragma once
// `ssmlens-cli check-device`: the engine on one device against its references, on small random models, in the
// manner of llama.cpp's test-backend-ops. Three groups of cases:
//   kernels  every hand-written kernel path (core/runtime/KernelPaths.h: on a GPU the fused CUDA kernels and the
//            tensor-core scan, on the CPU the causal conv loop) against the ATen path on the same device and the
//            same inputs: an RMSNorm, a padded prefill of the whole model (conv, time steps, scan, gated norm,
//            norms) and decode steps; fp32, bf16 and fp16 (fp32 only on the CPU);
//   forward  the model's prefill logits and decode steps on the device against the CPU (fp32);
//   reduce   token reduction on the device against the CPU, every method (fp32): the same fates, destinations
//            and survivors at every anchor (a choice may differ only where two candidates are within fp32
//            rounding of each other: a near tie, reported), and the survivors' logits.
// On the CPU the forward and reduce groups compare the CPU with itself (they then only exercise this code).
// The reduction step's kernels have their own, wider check (ReductionKernelCheck.h, check-reduce), and so does
// the tensor-core scan (SsdKernelCheck.h, bench-ssd); the CTest tests labelled `gpu` run all three.
#include <functional>
#include <string>
#include <vector>

#include <c10/core/Device.h>

namespace ssmlens {

struct DeviceCheckSettings {
    c10::Device device = c10::kCPU;  // the device under test
    std::vector<std::string> groups = {"kernels", "forward", "reduce"};
    std::function<void(const std::string&)> progress;
};

struct DeviceCheckResult {
    std::string group, name;
    double difference = 0;  // max |got - reference| / max |reference| over the compared values
    double tolerance = 0;   // what the case accepts (DeviceCheck.cpp says why)
    bool passed = false;
    std::string note;       // what differed, or "near tie: ..."
};

// Throws ssmlens::Error for an unknown group.
std::vector<DeviceCheckResult> runDeviceCheck(const DeviceCheckSettings& settings);
std::string deviceCheckTable(const std::vector<DeviceCheckResult>& results, const DeviceCheckSettings& settings);

}  // namespace ssmlens
