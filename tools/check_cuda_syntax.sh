#!/usr/bin/env bash
# Compiles the CUDA build's own code on a machine without a CUDA libtorch (e.g. the 2-core development machine:
# Debian's CPU libtorch headers plus stand-ins for the c10/cuda and ATen/cuda headers it uses), to catch compile
# errors before a run on the GPU machine. Nothing is linked or run.
#   bash tools/check_cuda_syntax.sh [FILE ...]    (default: core/cuda/*.cu, core/cuda/*.cpp, and the sources that
#                                                  have SSMLENS_FUSED_CUDA code, compiled with it defined)
#   NVCC_FLAGS="-Xptxas -v" bash tools/check_cuda_syntax.sh core/cuda/ReductionMatch.cu   (registers, spills)
# The stand-ins declare only what the code uses, with the signatures of PyTorch 2.11 (the GPU machine's libtorch;
# Debian's own c10/cuda headers are 1.13's and need a generated cuda_cmake_macros.h that Debian does not ship).
set -euo pipefail
cd "$(dirname "$0")/.."
NVCC="${NVCC:-/usr/local/cuda/bin/nvcc}"
stubs="$(mktemp -d)"
trap 'rm -rf "$stubs"' EXIT
mkdir -p "$stubs/c10/cuda" "$stubs/ATen/cuda"
cat >"$stubs/c10/cuda/CUDAStream.h" <<'H'
#pragma once
#include <cuda_runtime.h>
#include <c10/core/Device.h>
#include <c10/core/Stream.h>
namespace c10::cuda {
class CUDAStream {
 public:
  operator cudaStream_t() const { return nullptr; }
  operator c10::Stream() const { return c10::Stream(c10::Stream::UNSAFE, c10::Device(c10::DeviceType::CUDA, 0), 0); }
  cudaStream_t stream() const { return nullptr; }
  c10::Device device() const { return c10::Device(c10::DeviceType::CUDA, 0); }
  void synchronize() const {}
};
CUDAStream getStreamFromPool(const bool isHighPriority = false, c10::DeviceIndex device = -1);
CUDAStream getCurrentCUDAStream(c10::DeviceIndex device_index = -1);
CUDAStream getDefaultCUDAStream(c10::DeviceIndex device_index = -1);
}
namespace at::cuda {
using c10::cuda::CUDAStream;
using c10::cuda::getCurrentCUDAStream;
using c10::cuda::getDefaultCUDAStream;
using c10::cuda::getStreamFromPool;
}
H
cat >"$stubs/c10/cuda/CUDAGuard.h" <<'H'
#pragma once
#include <c10/core/Device.h>
#include <c10/core/Stream.h>
namespace c10::cuda {
struct CUDAGuard {
  explicit CUDAGuard() = delete;
  explicit CUDAGuard(c10::DeviceIndex) {}
  explicit CUDAGuard(c10::Device) {}
  CUDAGuard(const CUDAGuard&) = delete;
};
struct CUDAStreamGuard {
  explicit CUDAStreamGuard() = delete;
  explicit CUDAStreamGuard(c10::Stream) {}
  CUDAStreamGuard(const CUDAStreamGuard&) = delete;
};
}
H
cat >"$stubs/c10/cuda/CUDAException.h" <<'H'
#pragma once
#define C10_CUDA_KERNEL_LAUNCH_CHECK() do {} while (0)
#define C10_CUDA_CHECK(expr) do { (void)(expr); } while (0)
H
cat >"$stubs/c10/cuda/CUDAFunctions.h" <<'H'
#pragma once
#include <c10/core/Device.h>
namespace c10::cuda {
c10::DeviceIndex device_count() noexcept;
c10::DeviceIndex current_device();
void device_synchronize();
}
H
cat >"$stubs/c10/cuda/CUDAGraphsC10Utils.h" <<'H'
#pragma once
#include <utility>
namespace c10::cuda {
using CaptureId_t = unsigned long long;
using MempoolId_t = std::pair<CaptureId_t, CaptureId_t>;
}
namespace at::cuda {
using c10::cuda::CaptureId_t;
using c10::cuda::MempoolId_t;
}
H
cat >"$stubs/ATen/cuda/CUDAGraph.h" <<'H'
#pragma once
#include <string>
#include <ATen/Tensor.h>
#include <c10/core/Device.h>
#include <c10/cuda/CUDAGraphsC10Utils.h>
#include <c10/cuda/CUDAStream.h>
namespace at::cuda {
MempoolId_t graph_pool_handle();
struct CUDAGraph {
  CUDAGraph(bool keep_graph = false);
  ~CUDAGraph();
  CUDAGraph(const CUDAGraph&) = delete;
  CUDAGraph& operator=(const CUDAGraph&) = delete;
  CUDAGraph(CUDAGraph&& other) = delete;
  CUDAGraph& operator=(CUDAGraph&& other) = delete;
  void capture_begin(MempoolId_t pool = {0, 0}, cudaStreamCaptureMode capture_mode = cudaStreamCaptureModeGlobal);
  void capture_end();
  void instantiate();
  void replay();
  void reset();
  MempoolId_t pool();
};
}
H
cat >"$stubs/ATen/cuda/CUDAContext.h" <<'H'
#pragma once
#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <c10/cuda/CUDAStream.h>
namespace at::cuda {
cublasHandle_t getCurrentCUDABlasHandle();
}
H
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=(core/cuda/*.cu core/cuda/*.cpp)
  # Host code that only a CUDA build compiles (#ifdef SSMLENS_FUSED_CUDA): checked with the macro defined.
  while IFS= read -r f; do files+=("$f"); done < <(grep -l "SSMLENS_FUSED_CUDA" core/*/*.cpp | grep -v "^core/cuda/" | sort)
fi
cuda_include="$(dirname "$NVCC")/../include"
for f in "${files[@]}"; do
  case "$f" in
    *.cu)
      echo "nvcc $f"
      "$NVCC" -std=c++17 -arch=sm_90 --expt-relaxed-constexpr -D__CUDA_NO_HALF_OPERATORS__ -D__CUDA_NO_HALF_CONVERSIONS__ \
        -D__CUDA_NO_BFLOAT16_CONVERSIONS__ -D__CUDA_NO_HALF2_OPERATORS__ -DSSMLENS_FUSED_CUDA=1 ${NVCC_FLAGS:-} \
        -I"$stubs" -I. -isystem /usr/include/torch/csrc/api/include -c "$f" -o /dev/null ;;
    *)
      echo "c++ -fsyntax-only -DSSMLENS_FUSED_CUDA $f"
      "${CXX:-c++}" -std=c++17 -fsyntax-only -DSSMLENS_FUSED_CUDA=1 -I"$stubs" -I. -isystem "$cuda_include" \
        -isystem /usr/include/torch/csrc/api/include "$f" ;;
  esac
done
