// Batched similarity products on cuBLAS for the reduction step (ReductionMatch.cu): C[b] = A[b] B[b]^T in fp32
// from bf16 / fp16 / fp32 operands. cuBLAS is reached through the symbol that libtorch's own libcublas already
// brought into the process (looked up once), so the build links no second copy of it; on the handle and stream
// ATen uses.
#include <dlfcn.h>

#include <ATen/ATen.h>
#include <ATen/cuda/CUDAContext.h>

#include "core/cuda/CublasProducts.h"

namespace ssmlens::fused::reduction {
namespace {

using GemmStridedBatchedEx = cublasStatus_t (*)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int,
                                                const void*, const void*, cudaDataType, int, long long, const void*,
                                                cudaDataType, int, long long, const void*, void*, cudaDataType, int,
                                                long long, int, cublasComputeType_t, cublasGemmAlgo_t);

GemmStridedBatchedEx gemmFunction() {
    static const GemmStridedBatchedEx f =
        reinterpret_cast<GemmStridedBatchedEx>(dlsym(RTLD_DEFAULT, "cublasGemmStridedBatchedEx"));
    return f;
}

}  // namespace

bool cublasProductsAvailable() { return gemmFunction() != nullptr; }

void cublasProducts(const at::Tensor& a, const at::Tensor& b, at::Tensor& c) {
    // Row-major C [n, m] = A [n, k] B [m, k]^T is column-major C^T = B^T(op T of col-major [k, m]) A (col-major [k, n]).
    const int batch = static_cast<int>(a.size(0)), n = static_cast<int>(a.size(1)), m = static_cast<int>(b.size(1)),
              k = static_cast<int>(a.size(2));
    const cudaDataType type = a.scalar_type() == at::kBFloat16 ? CUDA_R_16BF
                              : a.scalar_type() == at::kHalf   ? CUDA_R_16F
                                                               : CUDA_R_32F;
    // fp32 operands: plain fp32 products (no TF32), as the ATen step's.
    const cublasComputeType_t compute = type == CUDA_R_32F ? CUBLAS_COMPUTE_32F_PEDANTIC : CUBLAS_COMPUTE_32F;
    const float one = 1.f, zero = 0.f;
    const cublasStatus_t status =
        gemmFunction()(at::cuda::getCurrentCUDABlasHandle(), CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &one, b.data_ptr(), type,
                       k, static_cast<long long>(m) * k, a.data_ptr(), type, k, static_cast<long long>(n) * k, &zero,
                       c.data_ptr(), CUDA_R_32F, m, static_cast<long long>(n) * m, batch, compute, CUBLAS_GEMM_DEFAULT);
    TORCH_CHECK(status == CUBLAS_STATUS_SUCCESS, "token reduction: cublasGemmStridedBatchedEx failed with status ",
                static_cast<int>(status));
}

}  // namespace ssmlens::fused::reduction
