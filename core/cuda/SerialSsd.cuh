#pragma once
// The chunk-serial tensor-core scan (core/cuda/SerialSsd.cu says how it works): one kernel, the state kept on
// the multiprocessor from chunk to chunk. ssdChunkedTensorCores (FusedSsd.cu) runs it where it pays.
#include <ATen/core/Tensor.h>

#include "core/cuda/SsdTiles.cuh"

namespace ssmlens::fused::ssd {

// Which shapes it takes: fused::ssdSerialScanSupported (FusedKernels.h). Whether the serial kernel is expected to
// beat the chunk-parallel kernels on this shape, on a device with `multiprocessors` SMs.
bool ssdSerialPays(const SsdShape& s, int64_t batch, int multiprocessors);

// The scan of ssdChunkedTensorCores (same arguments, prepared by it: rows contiguous and 16-byte aligned, A and
// init fp32, skip fp32 or undefined) into y [batch, L, H, P] (x's dtype) and finalState [batch, H, P, N] fp32.
void ssdSerial(const at::Tensor& x, const at::Tensor& dt, const at::Tensor& A, const at::Tensor& Bm,
               const at::Tensor& Cm, const at::Tensor& init, const at::Tensor& skip, const SsdShape& s, int64_t batch,
               at::ScalarType operandType, at::Tensor& y, at::Tensor& finalState);

}  // namespace ssmlens::fused::ssd
