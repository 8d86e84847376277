#pragma once
// NumPy .npy files (format version 1.0/2.0, little-endian, C order): float32 logits out, int64 ids in.
#include <string>

#include <ATen/core/Tensor.h>

namespace ssmlens {

// Writes a CPU copy of t (float32, float64, int64 or int32) as .npy.
void writeNpy(const std::string& path, const at::Tensor& t);
// Reads an .npy of a supported dtype (<f4, <f8, <i8, <i4). Throws ssmlens::Error naming the file.
at::Tensor readNpy(const std::string& path);

}  // namespace ssmlens
