#pragma once
// `ssmlens-cli check-reduce`: the reduction step on the GPU kernels (core/cuda/FusedReduction.h) against the
// ATen batch step (reduceTokensBatch with the kernels switched off) on the same inputs, side by side.
//
// Accuracy cases cover every method but utr-reference, the options (metrics, strategies, granularity), fp32 /
// bf16 / fp16, batches of unequal lengths (down to one token), keep ratios down to 0.5, and inputs made to
// stress the rules: random rows; "hub" rows where most tokens match one destination (large merge groups);
// "ties" with repeated rows and all-negative rows (equal keys everywhere, so the tie breaks decide). A case
// passes when both make the same choices (B, matches, removed tokens, fates, destinations, survivors) and the
// streams agree (bit for bit is expected: the merge sums are the same fp32 operations), or when the choices
// differ only where two candidates are within fp32 rounding of each other (reported as a near tie).
// Every accuracy case runs twice: best-match products on cuBLAS, and on the hand-written kernels; a few run once
// more with the kernels in plain stream order, and one long sequence on the hand-written kernels' large tiles.
// Timing cases are one anchor step at the layer shapes of published sizes and token counts from 1024 to 8192, ATen
// and kernels, the kernels with the best-match products by size, all on cuBLAS and all on the hand-written kernel
// (wall clock, with the device synchronized around each step).
#include <functional>
#include <string>
#include <vector>

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include "core/reduction/ReductionMethod.h"
#include "core/reduction/ReductionSchedule.h"  // kDefaultKeepRatio

namespace ssmlens {

struct ReductionCheckCase {
    std::string name;
    ReductionMethod method = ReductionMethod::Utr;
    ReductionOptions options;
    c10::ScalarType dtype = c10::kBFloat16;
    std::vector<int64_t> lengths;  // one per sequence
    int64_t channels = 64;
    double keepRatio = kDefaultKeepRatio;
    std::string input = "random";  // random, hub, ties
    bool timed = false;
    bool ownProducts = false;  // best-match products on the hand-written kernels (else on cuBLAS; timed cases: by size)
    bool plainLaunches = false;  // the kernels in plain stream order (KernelPaths::overlappedStepLaunches off)
};

struct ReductionCheckResult {
    ReductionCheckCase c;
    bool passed = false, nearTie = false;
    std::string problem;              // why it failed, or where the near tie was
    double hiddenDiff = 0, residualDiff = 0;  // max |kernels - ATen| / max |ATen| of the output streams
    double importanceDiff = 0, cosineDiff = 0, fractionDiff = 0;  // of the details, max abs (importance relative)
    double atenMs = 0, kernelMs = 0;  // wall time of one step, synchronized (timed cases; products by size)
    double kernelOwnProductsMs = 0;   // the same with all products on the hand-written kernels
    double kernelCublasProductsMs = 0;  // and with all products on cuBLAS (which wins at which size: by-size's line)
};

struct ReductionCheckSettings {
    c10::Device device = c10::Device(c10::kCUDA, 0);
    int repeats = 10;
    std::function<void(const std::string&)> progress;
};

std::vector<ReductionCheckCase> defaultReductionCheckCases();
// Throws ssmlens::Error when the build or the device has no reduction kernels.
std::vector<ReductionCheckResult> runReductionKernelCheck(const ReductionCheckSettings& settings,
                                                          const std::vector<ReductionCheckCase>& cases);
std::string reductionCheckTable(const std::vector<ReductionCheckResult>& results, const ReductionCheckSettings& s);

}  // namespace ssmlens
