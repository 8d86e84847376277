#pragma once
// PrefillGraph: a whole prefill (embedding, every block, every reduction step of a schedule, the head) captured
// once as a CUDA graph for one (batch, length, schedule) and replayed: one launch instead of about ten per layer
// and eight per anchor step, so the host's queueing no longer sets the pace of short layers (the 130m model at
// 2048 tokens queues its reduced pass about as slowly as the GPU runs it, docs/benchmarks.md). The token counts
// after each anchor follow from (schedule, batch, length) alone (core/reduction/ReductionCounts.h), so every
// shape in the pass is fixed; the choices themselves are made on the device from the data, at every replay.
//
// A replay computes what Mamba2Model::forward with a TokenReductionHook of the same schedule computes on the same
// ids: the same kernels with the same arguments in the same order (`ssmlens-cli check-prefill-graph`, a `gpu`
// test, compares the two bit for bit). Limits, each refused with an ssmlens::Error that names it: every
// sequence full length (no padding), no inference cache, no trace or provenance of the survivors (the eager
// hook gives those), and methods whose step never reads back from the device: all but tome and pumer (their
// alternate-position split reads its candidate counts once per step, which a capture cannot contain).
#include <cstdint>
#include <memory>

#include <ATen/core/Tensor.h>

#include "core/model/Mamba2Model.h"
#include "core/reduction/ReductionSchedule.h"

namespace ssmlens {

// Whether prefill graphs can run `model`: a CUDA model in a build with the CUDA kernels (Mamba2Model::fusedStep).
bool prefillGraphAvailable(const Mamba2Model& model);

class PrefillGraph {
public:
    // Keeps a reference to `model`, which must outlive the graph. Captures the pass on scratch ids (two eager
    // warm-up passes, then the capture; tens of milliseconds). `schedule` without anchors: the dense pass.
    // Throws ssmlens::Error when graphs are not available here or the capture fails (forward() then computes the
    // same without a graph).
    PrefillGraph(const Mamba2Model& model, int64_t batch, int64_t length, const ReductionSchedule& schedule,
                 LogitsAt logitsAt = LogitsAt::LastPosition);
    ~PrefillGraph();
    PrefillGraph(const PrefillGraph&) = delete;
    PrefillGraph& operator=(const PrefillGraph&) = delete;

    // ids: [batch, length] int64 on the CPU (range-checked there, copied through pinned memory without waiting)
    // or on the model's device (range-checked there, which reads two numbers back). Queues one replay and
    // returns its result: logits as forward() gives them ([B, V] fp32 for LastPosition, [B, L', V] for
    // AllPositions) and the lengths after the last anchor (CPU). The logits are the graph's output buffer,
    // valid until the next run() (clone them to keep them). Nothing here waits for the device.
    const ForwardResult& run(const at::Tensor& ids);

    int64_t batch() const { return batch_; }
    int64_t length() const { return length_; }

private:
    struct Impl;
    const Mamba2Model& model_;
    int64_t batch_, length_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ssmlens
