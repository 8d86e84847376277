#pragma once
// Tiny random Mamba-2 models and comparison helpers shared by the model tests.
#include <QString>
#include <QTemporaryDir>

#include "AtenOperators.h"

#include "core/model/Mamba2Model.h"

namespace ssmlens::testing {

// A model small enough for a CPU test but with every dimension distinct, so a transposed or mis-split
// tensor cannot pass by accident.
inline Mamba2Config tinyConfig(int64_t ngroups = 1, int64_t chunk = 4) {
    Mamba2Config c;
    c.dModel = 24;
    c.nLayer = 3;
    c.vocabSize = 37;
    c.dState = 6;
    c.headdim = 8;
    c.expand = 2;  // Di = 48, 6 heads
    c.ngroups = ngroups;
    c.dConv = 4;
    c.chunkSize = chunk;
    c.tieEmbeddings = false;
    return c;
}

// max |a - b| / max(max |b|, 1e-30)
inline double relativeError(const at::Tensor& a, const at::Tensor& b) {
    at::Tensor bf = b.to(at::kDouble), af = a.to(at::kDouble);
    return (af - bf).abs().max().item<double>() / std::max(bf.abs().max().item<double>(), 1e-30);
}

inline at::Tensor randomIds(int64_t batch, int64_t length, int64_t vocab, uint64_t seed) {
    at::manual_seed(seed);
    return at::randint(vocab, {batch, length}, at::kLong);
}

}  // namespace ssmlens::testing
