#pragma once
// TokenReductionHook applies a ReductionSchedule during a forward pass: after each anchor block it reduces
// every sequence of the batch (each with its own length) in one batched step (reduceTokensBatch), re-pads
// the batch, and keeps the provenance of every surviving token in original-prompt coordinates. Optionally it
// records a TokenTrace per sequence; without it, nothing in the forward pass waits for the device.
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
    const std::vector<int64_t>& survivorPositions(size_t sequence) const { return resolved(sequence).own; }
    const std::vector<std::vector<int64_t>>& survivorMembers(size_t sequence) const { return resolved(sequence).members; }
    // Requires recordTrace; the trace's top-k and KL fields are left for the caller.
    TokenTrace trace(size_t sequence) const;
    size_t sequences() const { return seqs_.size(); }

private:
    struct SequenceState {
        std::vector<int64_t> own;                  // [n] original position of each current token
        std::vector<std::vector<int64_t>> members;  // [n] original positions each token stands for
        std::vector<int64_t> prunedAt;             // [length] layer where the position was pruned, -1 otherwise
        TokenTrace trace;
    };
    // What one anchor did to the batch, still on the device; the host provenance (own, members, prunedAt)
    // follows from these when it is first read, so the forward pass never waits for the device.
    struct AnchorRecord {
        int64_t layer = 0;
        at::Tensor fate, destination, kept;  // [B, M], [B, M], [B, M'] int64
        std::vector<int64_t> lengthsIn, lengthsOut;
    };
    void start(const LayerStreams& s);
    void resolve() const;  // applies the pending anchor records to seqs_
    const SequenceState& resolved(size_t sequence) const;
    LayerTrace blankLayerTrace(const SequenceState& seq, int64_t layer, int64_t n) const;
    void recordLayer(int64_t layer, const LayerStreams& s);
    void recordAnchor(int64_t layer, const LayerStreams& s, const std::vector<int64_t>& lengths,
                      const BatchReductionResult& r);

    ReductionSchedule schedule_;
    ReductionRecipe recipe_;
    std::vector<std::set<int64_t>> protected_;
    bool recordTrace_;
    // Batch state on the model's device, [B, M] like the streams.
    at::Tensor sizes_;    // fp32: original tokens each current token stands for
    at::Tensor protect_;  // bool: protected current tokens (the caller's positions and each last token)
    std::vector<int64_t> protectedCount_;
    mutable std::vector<SequenceState> seqs_;
    mutable std::vector<AnchorRecord> pending_;
};

// Top similar pairs among the rows of h (cosine of clipped or raw features): each token's `perToken` best
// partners, deduplicated. Positions are row indices.
std::vector<SimilarPair> mostSimilarPairs(const at::Tensor& hidden, bool clipped, int64_t perToken);

}  // namespace ssmlens
