#pragma once
// `ssmlens-cli bench-ssd`: the prefill scan alone, the tensor-core kernels (core/cuda/FusedSsd.cu) against
// the ATen chunked scan (core/model/SsdScan.cpp) on the same random inputs, side by side: the largest
// difference relative to the largest output (y and the final state) and the time of each. Accuracy cases cover
// odd lengths, several groups, batches, an initial state and every supported head / state size; timing cases
// are the layer shapes of the published 130m and 2.7b models. Each case also runs the mixer's form of the
// kernels (inputs and y in the operand dtype, the skip term folded in), on the chunk-parallel kernels and on the
// chunk-serial kernel (core/cuda/SerialSsd.cu).
#include <functional>
#include <string>
#include <vector>

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

namespace ssmlens {

struct SsdCase {
    std::string name;
    int64_t batch, length, heads, headdim, groups, dState;
    bool initialState = false;
    bool timed = false;  // a published layer shape: timed, not only checked
};

struct SsdCaseResult {
    SsdCase shape;
    double yRelError = 0, stateRelError = 0;  // max |fused - aten| / max |aten|
    double atenMs = 0, fusedMs = 0;           // 0 when not timed; fusedMs with the kernels' default chunk
    double chunkMs[3] = {0, 0, 0};            // the kernels with chunks of 64, 128, 256 positions
    // The mixer's path (ssdPrefillWithSkip): x, B, C in the operand dtype, the skip term D inside, y in that
    // dtype; against the ATen scan's y + x * D in fp32. Per-channel D in the cases with groups > 1.
    double skipYRelError = 0, skipMs = 0;
    // The two tensor-core scans of the mixer's path side by side (KernelPaths::ssdScanKernel; skipMs is the one
    // the model runs): the chunk-parallel kernels and the chunk-serial kernel, and the serial kernel's largest
    // difference in either form (also in the columns above). serialSupported: false where it does not take the
    // shape (its columns then say "-").
    double parallelMs = 0, serialMs = 0, serialYRelError = 0;
    bool serialSupported = false;
    bool passed = false;
};

struct SsdCheckSettings {
    c10::Device device = c10::kCPU;
    c10::ScalarType operandType = c10::kBFloat16;  // bf16 or fp16
    double tolerance = 0;                          // 0: the default for the dtype
    int repeats = 5;
    std::function<void(const std::string&)> progress;
};

std::vector<SsdCase> defaultSsdCases();
// Throws ssmlens::Error when the build or the device has no tensor-core kernels.
std::vector<SsdCaseResult> runSsdKernelCheck(const SsdCheckSettings& settings, const std::vector<SsdCase>& cases);
std::string ssdCheckTable(const std::vector<SsdCaseResult>& results, const SsdCheckSettings& settings);
double defaultSsdTolerance(c10::ScalarType operandType);

}  // namespace ssmlens
