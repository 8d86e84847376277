#pragma once
// The tensors of a Mamba-2 language model, in the shapes of the state-spaces / Hugging Face checkpoints.
#include <map>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/model/ModelConfig.h"

namespace ssmlens {

struct Mamba2LayerWeights {
    at::Tensor norm;          // [D]               block RMSNorm
    at::Tensor inProj;        // [2Di+2GN+H, D]
    at::Tensor inProjBias;    // [2Di+2GN+H] or undefined
    at::Tensor convWeight;    // [Di+2GN, 1, K]    depthwise
    at::Tensor convBias;      // [Di+2GN] or undefined
    at::Tensor dtBias;        // [H]    fp32
    at::Tensor aLog;          // [H]    fp32
    at::Tensor d;             // [H] or [Di]  fp32
    at::Tensor gatedNorm;     // [Di]   mixer.norm.weight
    at::Tensor outProj;       // [D, Di]
    at::Tensor outProjBias;   // [D] or undefined
};

struct Mamba2Weights {
    at::Tensor embedding;  // [V, D]
    std::vector<Mamba2LayerWeights> layers;
    at::Tensor normF;      // [D]
    at::Tensor lmHead;     // [V, D]; the same storage as embedding when tied
};

// Where the state-spaces and Hugging Face names differ (only the embedding does).
enum class TensorNaming { StateSpaces, HuggingFace };

// Random weights with the magnitudes of a trained model (for tests and benchmarks). Deterministic in seed.
// Each tensor is drawn on the CPU and moved to `device` at once, so large models never sit whole in fp32.
Mamba2Weights randomMamba2Weights(const Mamba2Config& config, uint64_t seed, at::ScalarType dtype = at::kFloat,
                                  at::Device device = at::kCPU);

// Flattens to checkpoint tensor names (lm_head.weight included only for an untied head).
std::map<std::string, at::Tensor> toStateDict(const Mamba2Weights& w, TensorNaming naming);

}  // namespace ssmlens
