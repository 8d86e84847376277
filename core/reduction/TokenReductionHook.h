#pragma once
// TokenReductionHook applies a ReductionSchedule during a forward pass: after each anchor block it reduces
// every sequence of the batch (each with its own length), re-pads the batch, and keeps the provenance of
// every surviving token in original-prompt coordinates. Optionally it records a TokenTrace per sequence.
#include <cstdint>
#include <set>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/model/LayerHook.h"
#include "core/reduction/ReductionSchedule.h"
#include "core/reduction/TokenReducer.h"
#include "core/reduction/TokenTrace.h"

namespace ssmlens {

class TokenReductionHook : public LayerHook {
public:
    // protectedPositions[b]: original positions of sequence b that must survive (e.g. the positions that
    // predict a scored continuation); the last position of every sequence is always protected.
    explicit TokenReductionHook(ReductionSchedule schedule, std::vector<std::set<int64_t>> protectedPositions = {},
                                bool recordTrace = false);

    void afterLayer(int64_t layer, LayerStreams& streams) override;

    // After the forward pass, per sequence: the own original position of each final token (in order).
    const std::vector<int64_t>& survivorPositions(size_t sequence) const { return seqs_.at(sequence).own; }
    const std::vector<std::vector<int64_t>>& survivorMembers(size_t sequence) const { return seqs_.at(sequence).members; }
    // Requires recordTrace; the trace's top-k and KL fields are left for the caller.
    TokenTrace trace(size_t sequence) const;
    size_t sequences() const { return seqs_.size(); }

private:
    struct SequenceState {
        at::Tensor sizes;                          // [n] fp32 on the model's device
        std::vector<int64_t> own;                  // [n] original position of each current token
        std::vector<std::vector<int64_t>> members;  // [n] original positions each token stands for
        std::vector<int64_t> prunedAt;             // [length] layer where the position was pruned, -1 otherwise
        TokenTrace trace;
    };
    void start(const LayerStreams& s);
    LayerTrace blankLayerTrace(const SequenceState& seq, int64_t layer, int64_t n) const;
    void recordPresent(SequenceState& seq, LayerTrace& lt, const at::Tensor& importance) const;

    ReductionSchedule schedule_;
    ReductionRecipe recipe_;
    std::vector<std::set<int64_t>> protected_;
    bool recordTrace_;
    std::vector<SequenceState> seqs_;
};

// Top similar pairs among the rows of h (cosine of clipped or raw features): each token's `perToken` best
// partners, deduplicated. Positions are row indices.
std::vector<SimilarPair> mostSimilarPairs(const at::Tensor& hidden, bool clipped, int64_t perToken);

}  // namespace ssmlens
