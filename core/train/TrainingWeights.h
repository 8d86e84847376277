#pragma once
// The weights of a Mamba-2 model being trained: fp32 master copies that autograd updates, the initial
// values mamba_ssm gives a new model, and the differentiable casts the forward pass runs in (bf16 on GPU).
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/model/Mamba2Weights.h"
#include "core/model/ModelConfig.h"
#include "core/train/AdamW.h"

namespace ssmlens {

// A new model as mamba_ssm initialises one: embedding N(0, 0.02); in_proj and out_proj Kaiming-uniform
// (nn.Linear's default), out_proj divided by sqrt(n_layer) (residual rescaling); conv1d nn.Conv1d's default;
// dt_bias = softplus^-1(dt) with dt log-uniform in [1e-3, 0.1]; A_log = log U[1, 16]; D = 1; norm gains 1;
// biases 0. fp32 on `device`, deterministic in seed.
Mamba2Weights initialMamba2Weights(const Mamba2Config& config, uint64_t seed, at::Device device = at::kCPU);

// Marks every tensor of w as requiring grad and lists them with their Hugging Face names; weight decay for
// matrices and the embedding only. A tied head is listed once (as the embedding).
std::vector<Parameter> trainableParameters(Mamba2Weights& w);

// The weights the forward pass uses: matrices, convs and norm gains cast to dtype (a differentiable cast, so
// gradients reach the fp32 masters); dt_bias, A_log and D stay fp32 as in every checkpoint. A tied head
// shares the embedding's cast.
Mamba2Weights computeWeights(const Mamba2Weights& master, at::ScalarType dtype);

}  // namespace ssmlens
