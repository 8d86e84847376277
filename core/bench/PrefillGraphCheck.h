#pragma once
// `ssmlens-cli check-prefill-graph` and the `gpu` test gpu_check_prefill_graph: the prefill replayed as a CUDA
// graph (core/model/PrefillGraph.h) against Mamba2Model::forward with a TokenReductionHook of the same schedule,
// on random models. Per case: one graph, two rounds of new random ids (the second shows that a replay reads the
// ids refilled in place, not those of the capture), each against a fresh eager pass under the same kernel paths.
// A replay runs the same kernels with the same arguments in the same order as the eager pass, so the lengths
// after the last anchor and the logits must be equal bit for bit; a case passes only then. A method whose step
// reads back from the device (tome, pumer) must be refused with an error instead.
#include <functional>
#include <string>
#include <vector>

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include "core/model/Mamba2Model.h"
#include "core/model/ModelConfig.h"
#include "core/reduction/ReductionMethod.h"
#include "core/runtime/KernelPaths.h"

namespace ssmlens {

struct PrefillGraphCheckCase {
    std::string name;
    Mamba2Config config;
    c10::ScalarType dtype = c10::kBFloat16;
    int64_t batch = 1, length = 512;
    bool reduced = true;  // false: the dense pass (no anchors)
    ReductionMethod method = ReductionMethod::Utr;
    double keepRatio = 0.7;
    LogitsAt logitsAt = LogitsAt::LastPosition;
    KernelPaths paths;       // in effect for both passes (the reduction kernels or the ATen step, products)
    bool refused = false;    // the graph must refuse this method
};

struct PrefillGraphCheckResult {
    std::string name;
    double maxDifference = 0;  // max |graph - eager| of the logits over both rounds
    bool sameLengths = false, bitIdentical = false, refused = false;
    int64_t tokensIn = 0, tokensOut = 0;  // per sequence, before the first anchor and after the last
    bool passed = false;
    std::string note;  // why it failed, or the refusal's message
};

struct PrefillGraphCheckSettings {
    c10::Device device = c10::Device(c10::kCUDA);
    std::function<void(const std::string&)> progress;
};

std::vector<PrefillGraphCheckCase> defaultPrefillGraphCheckCases();
// Throws ssmlens::Error when prefill graphs are not available on the device.
std::vector<PrefillGraphCheckResult> runPrefillGraphCheck(const PrefillGraphCheckSettings& settings,
                                                          const std::vector<PrefillGraphCheckCase>& cases);
std::string prefillGraphCheckTable(const std::vector<PrefillGraphCheckResult>& results,
                                   const PrefillGraphCheckSettings& settings);

}  // namespace ssmlens
