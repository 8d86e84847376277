#pragma once
// NumPy .npy files (format version 1.0/2.0, little-endian, C order): float32 logits out, int64 ids in, int16/int32 token streams.
#include <string>

#include <ATen/core/Tensor.h>

namespace ssmlens {

// Writes a CPU copy of t (float32, float64, int64, int32 or int16) as .npy.
void writeNpy(const std::string& path, const at::Tensor& t);
// Reads an .npy of a supported dtype (<f4, <f8, <i8, <i4, <i2). Throws ssmlens::Error naming the file.
at::Tensor readNpy(const std::string& path);

}  // namespace ssmlens
