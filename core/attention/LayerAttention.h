#pragma once
// LayerAttention: what the Attention view draws for one layer of one prompt, as plain data (no torch, so the
// views can take it): the implicit attention matrix of the dense pass and of the reduced pass, both in the
// coordinates of the original prompt, and the attention each token receives. Computed by layerAttentionOf
// (core/attention/AttentionSummaries.h); what the matrix is: docs/implicit-attention.md.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace ssmlens {

// How the heads are combined.
enum class HeadAggregate {
    None,    // every head: [H, T, T] (or the one head of AttentionSelection::head: [T, T])
    Mean,    // mean over heads: [T, T]
    MaxAbs,  // the largest magnitude over heads, max_h |M[h]|: [T, T]
};

struct AttentionSelection {
    int64_t head = -1;  // one head (aggregate must be None), or -1 for all heads
    HeadAggregate aggregate = HeadAggregate::None;
    // Each head's row t as fractions of what token t reads: |M[h, t, s]| / sum_s' |M[h, t, s']|, before the
    // heads are combined (so Mean rows sum to 1 as well).
    bool normalizeRows = false;
    bool operator==(const AttentionSelection& o) const {
        return head == o.head && aggregate == o.aggregate && normalizeRows == o.normalizeRows;
    }
    bool operator!=(const AttentionSelection& o) const { return !(*this == o); }
};

// A square matrix over the original prompt's positions, row-major; NaN where a token is absent.
struct AttentionMatrix {
    int64_t size = 0;
    std::vector<float> values;  // size * size
    bool empty() const { return size == 0; }
    float at(int64_t row, int64_t column) const {
        return row >= 0 && column >= 0 && row < size && column < size ? values[row * size + column]
                                                                       : std::numeric_limits<float>::quiet_NaN();
    }
    std::vector<float> row(int64_t t) const;     // what token t reads from each position
    std::vector<float> column(int64_t s) const;  // what each position reads from token s
};

struct LayerAttention {
    int64_t layer = -1;
    int64_t heads = 0;
    AttentionSelection selection;
    AttentionMatrix dense;    // the selection of the dense pass's M at this layer
    AttentionMatrix reduced;  // the same of the reduced pass (NaN rows and columns: gone); empty without one
    // Per original position: the share of all reads at this layer that goes to the token (column sums of the
    // mean over heads of the row-normalised |M|); NaN where it is gone. Empty without the pass.
    std::vector<float> receivedDense, receivedReduced;
    double computeMs = 0;  // what computing this took (the view's latency, for the status bar and benchmarks)
};

// Spearman's rank correlation of the pairs (x[i], y[i]) where both are finite (ties get their mean rank); NaN
// with fewer than 3 such pairs or when either side is constant. What the view's importance-vs-attention scatter
// reports: does the reduction's importance order the tokens as the attention they receive does?
double rankCorrelation(const std::vector<float>& x, const std::vector<float>& y);

}  // namespace ssmlens
