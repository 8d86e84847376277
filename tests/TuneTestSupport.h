#pragma once
// The demo model's shape and calibration-like lengths, shared by the tuner's search tests (no weights: the
// FLOPs budget and the search only need the shape).
#include <cstdint>
#include <utility>
#include <vector>

#include "core/model/ModelConfig.h"

namespace ssmlens::testing {

inline Mamba2Config demoShape() {  // the demo model's shape: 16 layers
    Mamba2Config c;
    c.dModel = 384;
    c.nLayer = 16;
    c.vocabSize = 12000;
    c.dState = 64;
    c.headdim = 64;
    c.chunkSize = 128;
    return c;
}

// (sequence length, scored positions) of 40 calibration-like sequences
inline std::vector<std::pair<int64_t, int64_t>> calibrationLengths() {
    std::vector<std::pair<int64_t, int64_t>> out;
    for (int i = 0; i < 40; ++i) out.emplace_back(60 + 7 * i, 1 + i % 5);
    return out;
}

}  // namespace ssmlens::testing
