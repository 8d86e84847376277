#pragma once
// The numbers behind `ssmlens-cli bench`: prefill time at several lengths and batch sizes, decode speed,
// peak memory, and the time of the model's matrix products alone (the floor any implementation pays),
// on random weights of a published size so no download is needed.
#include <functional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <nlohmann/json_fwd.hpp>

namespace ssmlens {

struct BenchSettings {
    std::string size = "130m";
    std::vector<int64_t> lengths = {512, 2048, 8192};
    std::vector<int64_t> batches = {1, 8};
    std::vector<at::ScalarType> dtypes = {at::kFloat, at::kBFloat16};
    at::Device device = at::kCPU;
    int64_t decodeTokens = 64;
    int warmup = 1;
    int repeats = 3;
    bool prefillOnly = false;  // only the model-dtype prefill (no fp32-logits copy, matmul-only, decode): for profilers
    std::function<void(const std::string&)> progress;  // one line per finished measurement
};

struct PrefillMeasurement {
    std::string dtype;
    int64_t batch = 0, length = 0;
    double ms = 0, msFp32Logits = 0, tokensPerSecond = 0, matmulMs = 0, peakMemoryMb = 0;  // ms: model-dtype logits
    std::string error;  // e.g. out of memory; the other fields are then 0
};

struct DecodeMeasurement {
    std::string dtype;
    int64_t batch = 0;
    double msPerToken = 0, tokensPerSecond = 0;
};

struct BenchReport {
    std::string size, device, config;
    std::vector<PrefillMeasurement> prefill;
    std::vector<DecodeMeasurement> decode;
    nlohmann::json toJson() const;
    std::string table() const;  // Markdown
};

BenchReport runModelBenchmark(const BenchSettings& settings);

std::string dtypeName(at::ScalarType t);                // "fp32", "bf16", "fp16"
at::ScalarType parseDtypeName(const std::string& name);  // throws ssmlens::Error

}  // namespace ssmlens
