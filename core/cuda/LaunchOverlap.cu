// core/cuda/LaunchOverlap.cuh: when the forward pass's kernels are launched overlapped.
#include "core/cuda/LaunchOverlap.cuh"

#include "core/cuda/DeviceAttributes.cuh"
#include "core/runtime/KernelPaths.h"

namespace ssmlens::fused {
namespace {

// While `stream` is captured: whether the captured work a launch would follow is exactly one kernel node.
// Outside a capture: true (in stream order an overlapped launch after a copy simply waits for it).
bool followsKernelNode(cudaStream_t stream) {
    cudaStreamCaptureStatus status = cudaStreamCaptureStatusNone;
    const cudaGraphNode_t* before = nullptr;
    size_t count = 0;
#if CUDART_VERSION >= 13000
    C10_CUDA_CHECK(cudaStreamGetCaptureInfo(stream, &status, nullptr, nullptr, &before, nullptr, &count));
#else
    C10_CUDA_CHECK(cudaStreamGetCaptureInfo_v2(stream, &status, nullptr, nullptr, &before, &count));
#endif
    if (status == cudaStreamCaptureStatusNone) return true;
    if (status != cudaStreamCaptureStatusActive || count != 1) return false;
    cudaGraphNodeType type = cudaGraphNodeTypeEmpty;
    C10_CUDA_CHECK(cudaGraphNodeGetType(before[0], &type));
    return type == cudaGraphNodeTypeKernel;
}

// Whether the forward pass's kernels may overlap at all: the paths in effect ask for it and the device can.
bool layerOverlapWanted() { return kernelPaths().overlappedLayerLaunches && deviceOverlapsLaunches(); }

}  // namespace

bool deviceOverlapsLaunches() { return deviceComputeMajor() >= 9; }

bool layerLaunchOverlaps(cudaStream_t stream) { return layerOverlapWanted() && followsKernelNode(stream); }

KernelLaunch layerLaunch(cudaStream_t stream) {
    KernelLaunch how;
    how.stream = stream;
    how.overlap = layerLaunchOverlaps(stream);
    return how;
}

KernelLaunch layerLaunchAfterOwnKernel(cudaStream_t stream) {
    KernelLaunch how;
    how.stream = stream;
    how.overlap = layerOverlapWanted();
    return how;
}

}  // namespace ssmlens::fused
