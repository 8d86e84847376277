#pragma once
// One prompt through the model twice, dense and with a schedule: the trace the views draw, the FLOPs
// figures, and the next-token distributions at the last position. Shared by `ssmlens-cli reduce` and the
// app's worker thread, so both show the same numbers.
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/model/Mamba2Model.h"
#include "core/reduction/FlopsModel.h"
#include "core/reduction/ReductionSchedule.h"
#include "core/reduction/TokenTrace.h"
#include "core/text/Tokenizer.h"

namespace ssmlens {

struct ReductionRunResult {
    TokenTrace trace;            // with dense/reduced top-k and KL filled in
    FlopsReport flops;
    at::Tensor reducedLogits;    // [N', V] fp32 CPU, rows in the order of trace.survivorPositions ([1, V]: the
                                 // last one only, when options.allReducedLogits is false)
    bool denseFromCache = false;
    double denseMs = 0, reducedMs = 0;
};

// The dense pass depends on the prompt only: a caller that reruns one prompt with many schedules (the app,
// on every slider move) keeps one of these, and the dense pass runs only when the ids change. Reset it when
// the model changes.
struct DenseRunCache {
    std::vector<int64_t> ids;
    at::Tensor lastLogits;  // [V] fp64 CPU, at the last position
    void reset() { *this = DenseRunCache(); }
};

struct ReductionRunOptions {
    int64_t topK = 10;
    bool allReducedLogits = true;    // false: reducedLogits holds only the last row (what the views need)
    DenseRunCache* cache = nullptr;  // optional, see above; denseMs is 0 when it was used
    // Receive the intermediates they want (hook points) of the dense pass (only when it runs: not when the
    // cache answered) and of the reduced pass.
    ActivationProbe* denseProbe = nullptr;
    ActivationProbe* reducedProbe = nullptr;
};

// tokenizer may be null (pieces are then the ids as text). Throws ssmlens::Error for bad input.
ReductionRunResult runReduction(const Mamba2Model& model, const std::vector<int64_t>& ids,
                                const ReductionSchedule& schedule, const Tokenizer* tokenizer,
                                const ReductionRunOptions& options = {});

}  // namespace ssmlens
