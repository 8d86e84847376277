#pragma once
// `ssmlens-cli check-decode` and the `gpu` test test_decoder_gpu: the fused and graph decode paths
// (core/model/Decoder.h) against the aten path, the reference, on random models of several shapes and dtypes.
// Per case: two prompts in turn (the second one reuses the decoders, and so the graph captured for the first),
// each prefilled, then
//  - teacher-forced: every path is fed the aten path's greedy tokens for `steps` steps; their logits (largest
//    difference relative to the largest aten logit), their greedy choices and, after the last step, their SSM
//    states are compared;
//  - free-running: each path greedily feeds itself, in lockstep with aten, until the two first choose
//    differently, which must be a near tie of aten's logits (or never happen): the same tokens as generation
//    on the aten path gives.
// Differences come only from fp32 sums in another order, which a near-tie may turn either way: a greedy choice
// counts as different only when aten's logits prefer its own token by more than twice the tolerance.
#include <functional>
#include <string>
#include <vector>

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include "core/model/Decoder.h"
#include "core/model/ModelConfig.h"

namespace ssmlens {

struct DecodeCheckCase {
    std::string name;
    Mamba2Config config;
    c10::ScalarType dtype = c10::kFloat;
    int64_t batch = 1, promptLength = 9, steps = 12;
};

struct DecodeCheckResult {
    std::string name, path;
    double logitError = 0;  // max over steps of max |path - aten| / max |aten| (teacher-forced)
    double stateError = 0;  // max over layers of max |path - aten| / max |aten| of the SSM states after the steps
    double tolerance = 0;   // for both
    int64_t sameChoices = 0, nearTies = 0, differentChoices = 0;  // teacher-forced greedy choices
    // Free-running: of freeRunTokens (steps x batch x 2 prompts), those equal to aten's before a sequence's split.
    int64_t freeRunSame = 0, freeRunTokens = 0;
    bool freeRunSplitAtNearTie = false;
    int64_t graphsCaptured = 0;  // graph path: 1 (the second prompt reused the first one's graph)
    bool passed = false;
    std::string note;  // why it failed
};

struct DecodeCheckSettings {
    c10::Device device = c10::Device(c10::kCUDA);
    // Paths checked against aten; empty: fused and graph.
    std::vector<DecodePath> paths;
    std::function<void(const std::string&)> progress;
};

// Largest accepted relative difference of logits and states from the aten path, by model dtype: fp32 sums in
// another order (fp32), and the roundings to the model dtype they can flip on the way (bf16, fp16).
double decodeTolerance(c10::ScalarType dtype);

std::vector<DecodeCheckCase> defaultDecodeCheckCases();
// Throws ssmlens::Error when a requested path is not available on the device (a CPU, or a build without the
// CUDA kernels).
std::vector<DecodeCheckResult> runDecodeCheck(const DecodeCheckSettings& settings,
                                              const std::vector<DecodeCheckCase>& cases);
std::string decodeCheckTable(const std::vector<DecodeCheckResult>& results, const DecodeCheckSettings& settings);

}  // namespace ssmlens
