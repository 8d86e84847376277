#pragma once
// The numbers behind `ssmlens-cli bench-reduce`: for a published size on random weights, the time of the
// reduction step itself against the time of one layer, and the prefill time and peak memory of a reduced
// forward pass against the dense one, next to the analytic FLOPs saving of the same schedule.
#include <functional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/reduction/ReductionSchedule.h"

namespace ssmlens {

struct ReductionBenchSettings {
    std::string size = "130m";
    std::vector<int64_t> lengths = {2048, 8192};
    int64_t batch = 1;
    at::ScalarType dtype = at::kBFloat16;
    at::Device device = at::kCPU;
    double keepRatio = 0.905;  // at the depth-scaled anchors
    ReductionMethod method = ReductionMethod::Utr;
    int warmup = 1, repeats = 3;
    std::function<void(const std::string&)> progress;
};

struct ReductionBenchRow {
    int64_t length = 0;
    double denseMs = 0, reducedMs = 0;
    double stepMs = 0;        // mean time of one reduction step (all sequences of the batch)
    double layerMs = 0;       // dense prefill time / layers
    double stepSharePercent = 0;  // stepMs / layerMs
    double denseMemoryMb = 0, reducedMemoryMb = 0;
    double flopsSavingPercent = 0, tokenReductionPercent = 0;
};

struct ReductionBenchReport {
    std::string size, device, dtype, method, schedule;
    std::vector<ReductionBenchRow> rows;
    std::string table() const;  // Markdown
};

ReductionBenchReport runReductionBenchmark(const ReductionBenchSettings& settings);

}  // namespace ssmlens
