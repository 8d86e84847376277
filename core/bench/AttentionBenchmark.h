#pragma once
// The numbers behind `ssmlens-cli bench-attention`: what the implicit attention of one layer costs (docs/
// implicit-attention.md), on a published shape with random weights or on a model folder. Per prompt length, the
// median over the chosen layers of: every head's M [H, T, T] on the device; the Attention view's work on a layer
// change (layerAttentionOf: the selected aggregate of the dense and the reduced pass in prompt coordinates and the
// attention received, copied to the host); and what recording the SSM kernels adds to a forward pass.
#include <functional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/reduction/ReductionSchedule.h"  // kDefaultKeepRatio

namespace ssmlens {

struct AttentionBenchSettings {
    std::string size = "130m";  // a published shape (random weights), unless modelDir is set
    std::string modelDir;
    std::vector<int64_t> lengths = {128, 2048};
    at::ScalarType dtype = at::kFloat;
    at::Device device = at::kCPU;
    double keepRatio = kDefaultKeepRatio;  // the reduced pass: the depth-scaled schedule at this ratio
    std::vector<int64_t> layers;   // layers to time (empty: the first, the middle and the last)
    int warmup = 1, repeats = 5;
    std::function<void(const std::string&)> progress;
};

struct AttentionBenchRow {
    int64_t length = 0, heads = 0;
    double allHeadsMs = 0;        // implicitAttention, every head, [H, T, T] on the device
    double viewDenseMs = 0;       // layerAttentionOf, mean over heads, dense pass only
    double viewMs = 0;            // layerAttentionOf, mean over heads, dense and reduced passes
    double viewHeadMs = 0;        // layerAttentionOf, one head, dense and reduced passes
    double forwardMs = 0, forwardRecordingMs = 0;  // a dense forward pass, without and with the kernels recorded
    double allHeadsMb = 0;        // size of the [H, T, T] result
    double peakMemoryMb = 0;      // GPU: peak allocated during the all-heads computation (0 on the CPU)
};

struct AttentionBenchReport {
    std::string model, device, dtype, layers;
    std::vector<AttentionBenchRow> rows;
    std::string table() const;  // Markdown
};

AttentionBenchReport runAttentionBenchmark(const AttentionBenchSettings& settings);

}  // namespace ssmlens
