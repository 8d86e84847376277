#pragma once
// Batched products on cuBLAS for the reduction step's best-match search (CublasProducts.cpp).
#include <ATen/core/Tensor.h>

namespace ssmlens::fused::reduction {

// Whether cuBLAS's batched GEMM is reachable in this process (libtorch's libcublas), looked up once.
bool cublasProductsAvailable();
// c [B, n, m] fp32 = a [B, n, k] times b [B, m, k]^T; all contiguous, a and b bf16, fp16 or fp32 (then plain fp32
// products, no TF32). On the current stream.
void cublasProducts(const at::Tensor& a, const at::Tensor& b, at::Tensor& c);

}  // namespace ssmlens::fused::reduction
