#include "core/model/PrefillGraph.h"

#include <ATen/ATen.h>

#include "core/Error.h"
#include "core/reduction/ReductionMethod.h"
#include "core/reduction/TokenReductionHook.h"

#ifdef SSMLENS_FUSED_CUDA
#include "core/cuda/CapturedGraph.h"
#endif

namespace ssmlens {

// The buffers the captured graph reads and writes: `ids` is refilled in place before each replay and never
// reassigned; `result` holds the tensors the capture returned, which every replay writes again.
struct PrefillGraph::Impl {
    ReductionSchedule schedule;
    LogitsAt logitsAt = LogitsAt::LastPosition;
    at::Tensor ids;  // [B, L] int64 on the model's device
    ForwardResult result;
#ifdef SSMLENS_FUSED_CUDA
    std::unique_ptr<fused::CapturedGraph> graph;
#endif
};

bool prefillGraphAvailable(const Mamba2Model& model) { return model.fusedStep(); }

PrefillGraph::PrefillGraph(const Mamba2Model& model, int64_t batch, int64_t length, const ReductionSchedule& schedule,
                           LogitsAt logitsAt)
    : model_(model), batch_(batch), length_(length), impl_(std::make_unique<Impl>()) {
    if (!prefillGraphAvailable(model))
        throw Error("a prefill graph needs the model on a CUDA device, in fp32, bf16 or fp16, and a build with the "
                    "CUDA kernels for that GPU");
    if (batch < 1 || length < 1)
        throw Error("a prefill graph needs at least one sequence of at least one token (got batch " +
                    std::to_string(batch) + ", length " + std::to_string(length) + ")");
    schedule.validate(model.config().nLayer, "the prefill graph's schedule");
    if (!schedule.anchors.empty()) {
        // Steps that read back from the device (a capture cannot contain that): refused here rather than by a
        // failed capture.
        const ReductionRecipe recipe = recipeFor(schedule.method, schedule.options);
        if (recipe.split == SplitRule::AlternatePositions || recipe.split == SplitRule::OldestAfterFirst ||
            recipe.referenceQuirks)
            throw Error("a prefill graph cannot contain the " + methodName(schedule.method) +
                        " step: it reads counts back from the device (run forward() with the hook instead)");
    }
    ForwardOptions sized;  // what the captured passes need, checked against the free memory before them
    sized.logitsAt = logitsAt;
    TokenReductionHook sizingHook(schedule);
    if (!schedule.anchors.empty()) sized.hook = &sizingHook;
    model.checkPrefillFits(batch, length, sized);
    impl_->schedule = schedule;
    impl_->logitsAt = logitsAt;
    impl_->ids = at::zeros({batch, length}, model.weights().embedding.options().dtype(at::kLong));
#ifdef SSMLENS_FUSED_CUDA
    Impl* raw = impl_.get();
    try {
        // The warm-up passes and the capture read the scratch ids above (token 0 everywhere): the counts, and so
        // every shape, do not depend on the ids.
        impl_->graph = std::make_unique<fused::CapturedGraph>(model.device(), [this, raw] {
            ForwardOptions options;
            options.logitsAt = raw->logitsAt;
            // A fresh hook per pass: the capture only needs its work on the device; what it keeps on the host
            // (provenance) belongs to the pass it saw.
            TokenReductionHook hook(raw->schedule);
            if (!raw->schedule.anchors.empty()) options.hook = &hook;
            raw->result = model_.forwardUnchecked(raw->ids, options);
        });
    } catch (const std::exception& e) {
        throw Error(std::string("capturing the prefill as a CUDA graph failed (forward() computes the same without a "
                                "graph): ") + e.what());
    }
#endif
}

PrefillGraph::~PrefillGraph() = default;

const ForwardResult& PrefillGraph::run(const at::Tensor& idsIn) {
    if (idsIn.dim() != 2 || idsIn.size(0) != batch_ || idsIn.size(1) != length_)
        throw Error("this prefill graph takes ids of shape [" + std::to_string(batch_) + ", " +
                    std::to_string(length_) + "], got " +
                    (idsIn.dim() == 2 ? "[" + std::to_string(idsIn.size(0)) + ", " + std::to_string(idsIn.size(1)) + "]"
                                      : std::to_string(idsIn.dim()) + " dimensions"));
    model_.checkIds(idsIn);
    // To the device without waiting for it: a copy from pageable memory would wait for all work queued so far.
    // Pinned blocks are not reused before their copy has run (PyTorch's caching host allocator).
    const at::Tensor ids = idsIn.device().is_cpu() ? idsIn.contiguous().pin_memory() : idsIn;
    impl_->ids.copy_(ids, /*non_blocking=*/true);
#ifdef SSMLENS_FUSED_CUDA
    impl_->graph->replay();
#endif
    return impl_->result;
}

}  // namespace ssmlens
