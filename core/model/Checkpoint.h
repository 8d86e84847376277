#pragma once
// Loading and saving Mamba-2 checkpoint folders in either layout.
//   state-spaces:  config.json (ssm_cfg) + pytorch_model.bin  (or model.safetensors)
//   Hugging Face:  config.json (model_type mamba2) + model.safetensors or model.safetensors.index.json shards
// Tensor names of both schemes are accepted in either container.
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/model/Mamba2Weights.h"
#include "core/model/ModelConfig.h"

namespace ssmlens {

struct LoadOptions {
    at::ScalarType dtype = at::kFloat;  // matrices and embeddings; dt_bias, A_log, D stay fp32
    at::Device device = at::kCPU;
};

struct LoadedCheckpoint {
    Mamba2Config config;
    Mamba2Weights weights;
    std::string weightsFile;  // the file (or index) the tensors came from
    // What loaded but is suspect, one sentence each naming the file and tensor: NaN or infinite weights
    // (every output would be NaN), tensors the model does not use. The CLI prints them, the window shows them.
    std::vector<std::string> warnings;
};

// Throws ssmlens::Error naming the file and tensor: missing files, truncated data, wrong shapes.
LoadedCheckpoint loadCheckpoint(const std::string& dir, const LoadOptions& options = {});

enum class SaveFormat { StateSpacesBin, HuggingFaceSafetensors };
void saveCheckpoint(const std::string& dir, const Mamba2Config& config, const Mamba2Weights& weights,
                    SaveFormat format);

}  // namespace ssmlens
