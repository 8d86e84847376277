#include "core/runtime/DeviceUpload.h"

#include <ATen/ATen.h>

#ifdef SSMLENS_FUSED_CUDA
#include <c10/cuda/CUDAGuard.h>

#include "core/cuda/ArgumentUpload.h"
#endif

namespace ssmlens {

at::Tensor uploadWithoutWaiting(const at::Tensor& hostIn, const at::Device& device) {
    if (device.is_cpu()) return hostIn.device().is_cpu() ? hostIn : hostIn.to(device);
    if (!hostIn.device().is_cpu()) return hostIn.to(device);
    const at::Tensor host = hostIn.contiguous();
#ifdef SSMLENS_FUSED_CUDA
    const int64_t bytes = host.numel() * static_cast<int64_t>(host.element_size());
    if (device.is_cuda() && bytes <= fused::kArgumentUploadMaxBytes && fused::argumentUploadAvailable(device)) {
        c10::cuda::CUDAGuard guard(device);
        at::Tensor out = at::empty(host.sizes(), host.options().device(device));
        if (bytes > 0) fused::uploadThroughArguments(out.data_ptr(), host.data_ptr(), bytes);
        return out;
    }
#endif
    if (device.is_cuda()) return host.pin_memory().to(device, /*non_blocking=*/true);
    return host.to(device);
}

}  // namespace ssmlens
