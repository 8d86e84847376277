#!/usr/bin/env bash
# Compiles core/cuda/*.cu with nvcc on a machine without a CUDA libtorch (e.g. the 2-core development machine:
# Debian's CPU libtorch headers plus stand-ins for the three c10/cuda headers the kernels use), to catch
# compile errors before a run on the GPU machine. Nothing is linked or run. Then the C++ sources whose CUDA
# builds take other code (#ifdef SSMLENS_FUSED_CUDA: the callers of the kernels) get a syntax check with
# SSMLENS_FUSED_CUDA defined, since the CPU build never compiles those lines.
#   bash tools/check_cuda_syntax.sh [FILE.cu ...]      (default: every core/cuda/*.cu and those callers)
#   NVCC_FLAGS="-Xptxas -v" bash tools/check_cuda_syntax.sh core/cuda/ReductionMatch.cu   (registers, spills)
set -euo pipefail
cd "$(dirname "$0")/.."
NVCC="${NVCC:-/usr/local/cuda/bin/nvcc}"
stubs="$(mktemp -d)"
trap 'rm -rf "$stubs"' EXIT
mkdir -p "$stubs/c10/cuda"
cat >"$stubs/c10/cuda/CUDAGuard.h" <<'H'
#pragma once
#include <c10/core/Device.h>
namespace c10::cuda { struct CUDAGuard { explicit CUDAGuard(c10::Device) {} }; }
H
cat >"$stubs/c10/cuda/CUDAStream.h" <<'H'
#pragma once
#include <cuda_runtime.h>
namespace c10::cuda {
struct CUDAStream { operator cudaStream_t() const { return nullptr; } };
inline CUDAStream getCurrentCUDAStream() { return {}; }
}
H
cat >"$stubs/c10/cuda/CUDAException.h" <<'H'
#pragma once
#define C10_CUDA_KERNEL_LAUNCH_CHECK() do {} while (0)
#define C10_CUDA_CHECK(expr) do { (void)(expr); } while (0)
H
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(core/cuda/*.cu $(grep -l "^#ifdef SSMLENS_FUSED_CUDA" core/*/*.cpp))
cuda_include="$(dirname "$NVCC")/../include"
for f in "${files[@]}"; do
  case "$f" in
    *.cu)
      echo "nvcc $f"
      "$NVCC" -std=c++17 -arch=sm_90 --expt-relaxed-constexpr -D__CUDA_NO_HALF_OPERATORS__ -D__CUDA_NO_HALF_CONVERSIONS__ \
        -D__CUDA_NO_BFLOAT16_CONVERSIONS__ -D__CUDA_NO_HALF2_OPERATORS__ ${NVCC_FLAGS:-} -I"$stubs" -I. -c "$f" -o /dev/null ;;
    *)
      echo "c++ -fsyntax-only -DSSMLENS_FUSED_CUDA $f"
      "${CXX:-c++}" -std=c++17 -fsyntax-only -DSSMLENS_FUSED_CUDA=1 -I"$stubs" -I. -isystem "$cuda_include" \
        -isystem /usr/include/torch/csrc/api/include "$f" ;;
  esac
done
