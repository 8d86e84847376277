#pragma once
// AdamW (decoupled weight decay, Loshchilov & Hutter) over named parameters, with global gradient-norm
// clipping. Our own rather than torch::optim so the optimizer state saves as plain named tensors next to the
// model (safetensors) and the same code builds against libtorch 1.13 and 2.x.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

namespace ssmlens {

struct Parameter {
    std::string name;
    at::Tensor value;  // a leaf that requires grad
    bool decay = true;  // weight decay applies (matrices and embeddings; not norms, biases, dt, A, D)
};

struct AdamWOptions {
    double beta1 = 0.9, beta2 = 0.95, eps = 1e-8, weightDecay = 0.1;
};

class AdamW {
public:
    AdamW(std::vector<Parameter> params, AdamWOptions options);
    // One update with learning rate lr from the gradients in value.grad(); clears the gradients.
    void step(double lr);
    int64_t steps() const { return steps_; }
    const std::vector<Parameter>& parameters() const { return params_; }

    // "exp_avg.<name>" and "exp_avg_sq.<name>" for every parameter (fp32, on the parameters' device).
    std::map<std::string, at::Tensor> state() const;
    // Restores state() output; throws ssmlens::Error naming a missing or mis-shaped tensor.
    void loadState(const std::map<std::string, at::Tensor>& state, int64_t steps);

private:
    std::vector<Parameter> params_;
    AdamWOptions options_;
    std::vector<at::Tensor> expAvg_, expAvgSq_;
    int64_t steps_ = 0;
};

// Scales all gradients so their joint L2 norm is at most maxNorm; returns the norm before clipping.
double clipGradientNorm(const std::vector<Parameter>& params, double maxNorm);

}  // namespace ssmlens
