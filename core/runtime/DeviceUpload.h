#pragma once
// Small host tensors (counts, lengths, row indices) onto the model's device without waiting for it. The one
// way the engine sends such values to a GPU mid-pass (the reduction step's counts, the hook's protected rows,
// padding masks, the last positions): a plain copy from pageable memory would wait for everything queued so far
// (after a reduction step, the whole forward pass up to it), and a CUDA graph cannot capture one at all.
//
// In a CUDA build on a GPU it has code for, the bytes travel in kernel arguments (core/cuda/ArgumentUpload.h):
// nothing waits, and a CUDA graph that captured the upload (core/model/PrefillGraph.h) replays the same bytes.
// Elsewhere on a CUDA device: through pinned memory without blocking (not capturable); on the CPU: the tensor.
#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

namespace ssmlens {

// host: a CPU tensor of at most 64 KiB (any dtype; larger ones are copied through pinned memory). Returns a
// contiguous tensor with its values on `device`.
at::Tensor uploadWithoutWaiting(const at::Tensor& host, const at::Device& device);

}  // namespace ssmlens
