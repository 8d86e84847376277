#include "core/model/ActivationProbe.h"

#include <ATen/ATen.h>

#include "core/Error.h"

namespace ssmlens {

ActivationRecorder::ActivationRecorder(std::set<std::pair<int64_t, HookPoint>> wanted, Options options)
    : wanted_(std::move(wanted)), options_(options) {}

bool ActivationRecorder::wants(int64_t layer, HookPoint point) const { return wanted_.count({layer, point}) != 0; }

void ActivationRecorder::record(int64_t layer, HookPoint point, const at::Tensor& value) {
    if (!wants(layer, point)) return;
    const at::ScalarType dtype = options_.asFloat32 ? at::kFloat : value.scalar_type();
    const at::Device device = options_.toCpu ? at::Device(at::kCPU) : value.device();
    // A copy in every case (copy = true): the value may be a view into a buffer the pass reuses.
    values_[{layer, point}] = value.detach().to(device, dtype, /*non_blocking=*/false, /*copy=*/true).contiguous();
}

const at::Tensor& ActivationRecorder::get(int64_t layer, HookPoint point) const {
    auto it = values_.find({layer, point});
    if (it == values_.end()) throw Error(hookPointName(layer, point) + " was not recorded by this forward pass");
    return it->second;
}

}  // namespace ssmlens
