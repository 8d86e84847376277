#include "core/model/LayerHook.h"

#include <ATen/ATen.h>

namespace ssmlens {

void LayerRecorder::afterLayer(int64_t layer, LayerStreams& s) {
    if (!layers_.empty() && !layers_.count(layer)) return;
    // hidden undefined: already added into residual (LayerStreams), recorded as zeros.
    const at::Tensor hidden = s.hidden.defined() ? s.hidden : at::zeros_like(s.residual);
    records_[layer] = {hidden.detach().to(at::kCPU, at::kFloat, false, true),
                       s.residual.detach().to(at::kCPU, at::kFloat, false, true), s.lengths.clone()};
}

}  // namespace ssmlens
