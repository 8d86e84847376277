#pragma once
// The numbers behind `ssmlens-cli bench`: prefill time at several lengths and batch sizes, decode speed,
// peak memory, and the time of the model's matrix products alone (the floor any implementation pays),
// on random weights of a published size so no download is needed.
#include <functional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <nlohmann/json_fwd.hpp>

#include "core/model/Decoder.h"

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
    bool decodeOnly = false;   // only decode (no prefill measurements)
    // Decode paths timed side by side (core/model/Decoder.h); empty: every path available on the device.
    std::vector<DecodePath> decodePaths;
    std::function<void(const std::string&)> progress;  // one line per finished measurement
};

struct PrefillMeasurement {
    std::string dtype;
    int64_t batch = 0, length = 0;
    double ms = 0, msFp32Logits = 0, tokensPerSecond = 0, matmulMs = 0, peakMemoryMb = 0;  // ms: model-dtype logits
    std::string error;  // e.g. out of memory; the other fields are then 0
};

struct DecodeMeasurement {
    std::string dtype, path;  // path: decodePathName()
    int64_t batch = 0;
    // Steps queued back to back with the same ids, timed to the end of the last: the decoder's throughput.
    double msPerToken = 0, tokensPerSecond = 0;
    // Greedy decoding: each step's argmax read back to the host and fed to the next step, as generation does.
    double greedyMsPerToken = 0, greedyTokensPerSecond = 0;
    double startMs = 0;  // Decoder::start after the prefill (for graphs: the capture of this batch size's graph)
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
