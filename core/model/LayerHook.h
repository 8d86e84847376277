#pragma once
// Hooks into the layer stack. After block l the model holds two streams (see docs/token-reduction.md):
//   hidden   = the mixer output h_l            [B, L, D] in the model dtype
//   residual = the residual r_l entering block l's norm  [B, L, D] fp32
// A hook may read them, record them, or replace them (token reduction returns shorter sequences and
// new lengths). Everything downstream runs on what the hook leaves there. After a hook, hidden may be undefined:
// residual then already holds hidden + residual (the token reduction's GPU kernels do the next block's add, and
// its norm, in their last kernel; LayerStreams::normalized).
#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include <ATen/core/Tensor.h>

namespace ssmlens {

struct LayerStreams {
    at::Tensor hidden;    // undefined where residual already includes it (above)
    at::Tensor residual;
    at::Tensor lengths;  // [B] int64 on CPU: valid tokens of each right-padded sequence; a hook that changes
                         // them assigns a new tensor (the model keys its padding mask on this one)
    // Set by the model before the hooks run: the norm that the next block starts with (undefined after the last
    // block), for a hook that does that block's add and norm itself.
    at::Tensor nextNormWeight;
    double nextNormEps = 0.0;
    // Left by such a hook, with hidden undefined: the next block's input, rmsNorm(residual) * nextNormWeight.
    // The model uses it instead of adding and normalizing; a later hook that changes the streams must reset it.
    at::Tensor normalized;
};

class LayerHook {
public:
    virtual ~LayerHook() = default;
    virtual void afterLayer(int64_t layer, LayerStreams& streams) = 0;
};

// Keeps a CPU fp32 copy of both streams after the requested layers (all layers when the set is empty).
class LayerRecorder : public LayerHook {
public:
    explicit LayerRecorder(std::set<int64_t> layers = {}) : layers_(std::move(layers)) {}
    void afterLayer(int64_t layer, LayerStreams& streams) override;

    struct Record {
        at::Tensor hidden, residual, lengths;
    };
    const std::map<int64_t, Record>& records() const { return records_; }

private:
    std::set<int64_t> layers_;
    std::map<int64_t, Record> records_;
};

// Runs several hooks in order after each layer.
class HookChain : public LayerHook {
public:
    void add(LayerHook* hook) { hooks_.push_back(hook); }
    void afterLayer(int64_t layer, LayerStreams& streams) override {
        for (LayerHook* h : hooks_) h->afterLayer(layer, streams);
    }

private:
    std::vector<LayerHook*> hooks_;
};

}  // namespace ssmlens
