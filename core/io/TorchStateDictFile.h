#pragma once
// pytorch_model.bin: a state dict written by Python's torch.save (zip archive with a pickle and raw storages).
#include <map>
#include <string>

#include <ATen/core/Tensor.h>

namespace ssmlens {

// Reads every tensor of the state dict. Throws ssmlens::Error naming the file when it is missing, truncated,
// not a torch.save archive, or not a dict of tensors.
std::map<std::string, at::Tensor> readTorchStateDict(const std::string& path);

// Writes a state dict that Python's torch.load reads back (used by tests and tools).
void writeTorchStateDict(const std::string& path, const std::map<std::string, at::Tensor>& tensors);

}  // namespace ssmlens
