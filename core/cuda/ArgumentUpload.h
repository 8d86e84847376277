#pragma once
// A few host bytes written to device memory by kernels that carry them in their arguments
// (core/cuda/ArgumentUpload.cu). CUDA builds only (SSMLENS_FUSED_CUDA); core/runtime/DeviceUpload.h is the
// caller. Why not cudaMemcpyAsync: from pageable memory it waits for the device; from pinned memory it reads
// the host buffer when the copy runs, so a CUDA graph that captured it would read whatever that (reused) buffer
// holds at each replay. A kernel's arguments are copied at launch, and into the graph at capture: the bytes
// are fixed, nothing waits, and the host buffer may go at once.
#include <cstdint>

#include <c10/core/Device.h>

namespace ssmlens::fused {

// Largest byte count one call takes: a few launches of at most 2 KiB of arguments each (every CUDA version
// takes 4 KiB of kernel arguments). Counts of a reduction step, lengths, protected positions fit many times.
inline constexpr int64_t kArgumentUploadMaxBytes = 64 * 1024;

// Whether the build has code for this GPU (asked once per device).
bool argumentUploadAvailable(const c10::Device& device);

// Writes bytes [0, n) of `src` (host memory) to `dst` (device memory of the current device) on the current
// stream; n <= kArgumentUploadMaxBytes. Returns once the launches are queued.
void uploadThroughArguments(void* dst, const void* src, int64_t n);

}  // namespace ssmlens::fused
