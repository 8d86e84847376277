#pragma once
// The schedule in the argument form of the paper's reference code (wuyushuwys/ToR_SSM, src/mamba_eval.py,
// lm-evaluation-harness's --model_args): one keep ratio `reduce_ratio` for all anchors, the anchors as a
// dash-separated list of 0-based block indices `reduce_anchor` (reduction after that block, as in SSM Lens),
// `hidden_state_strategy`, `residual_strategy` and `metrics`. Where the schedule needs more than that form
// says (several ratios, token granularity, the l2 metric, a method the reference lacks), `expressible` is
// false and the notes say what cannot be expressed. Notes also say where the reference computes something
// else than SSM Lens for an expressible schedule (docs/utr-reference.md).
#include <string>
#include <vector>

#include "core/reduction/ReductionSchedule.h"

namespace ssmlens {

struct ReferenceExport {
    bool expressible = false;
    std::string modelArgs;  // "reduce_ratio=0.905,reduce_anchor=3-4-6,..." (empty when not expressible)
    std::string command;    // a whole command line for the reference repository (empty when not expressible)
    std::vector<std::string> notes;
};

// pretrained: what the reference loads (a Hugging Face id such as state-spaces/mamba2-2.7b, or a folder).
ReferenceExport referenceExport(const ReductionSchedule& schedule, const std::string& pretrained);

}  // namespace ssmlens
