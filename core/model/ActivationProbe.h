#pragma once
// ActivationProbe: how a forward pass hands its intermediates (hook points, core/model/HookPoint.h) to whoever
// asked for them. The model asks wants() before it records anything, so a probe that wants nothing costs
// nothing; record() receives the tensor as the pass computed it (often a view into a larger buffer: copy what
// you keep). ActivationRecorder keeps copies of the hook points it was asked for.
#include <cstdint>
#include <map>
#include <set>
#include <utility>

#include <ATen/core/Tensor.h>

#include "core/model/HookPoint.h"

namespace ssmlens {

class ActivationProbe {
public:
    virtual ~ActivationProbe() = default;
    virtual bool wants(int64_t layer, HookPoint point) const = 0;
    virtual void record(int64_t layer, HookPoint point, const at::Tensor& value) = 0;
};

// A probe and the layer being computed: what the mixer receives (an empty tap records nothing).
struct ActivationTap {
    ActivationProbe* probe = nullptr;
    int64_t layer = 0;
    bool wants(HookPoint point) const { return probe && probe->wants(layer, point); }
    void record(HookPoint point, const at::Tensor& value) const { probe->record(layer, point, value); }
};

// Keeps a copy of each requested (layer, hook point), on the pass's device or on the CPU, in its dtype or as fp32.
class ActivationRecorder : public ActivationProbe {
public:
    struct Options {
        bool toCpu = false;
        bool asFloat32 = false;
    };
    ActivationRecorder(std::set<std::pair<int64_t, HookPoint>> wanted, Options options);

    bool wants(int64_t layer, HookPoint point) const override;
    void record(int64_t layer, HookPoint point, const at::Tensor& value) override;

    bool has(int64_t layer, HookPoint point) const { return values_.count({layer, point}) != 0; }
    // Throws ssmlens::Error naming the hook point when it was not recorded.
    const at::Tensor& get(int64_t layer, HookPoint point) const;
    void clear() { values_.clear(); }

private:
    std::set<std::pair<int64_t, HookPoint>> wanted_;
    Options options_;
    std::map<std::pair<int64_t, HookPoint>, at::Tensor> values_;
};

}  // namespace ssmlens
