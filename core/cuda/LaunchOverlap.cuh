#pragma once
// Overlapped kernel launches (programmatic dependent launch, compute capability 9 and later). Between two
// kernels in plain stream order the GPU drains the first before it schedules the second's blocks: a few
// microseconds per launch, which add up in a pass of many short kernels (a 130m layer is six kernels and two
// GEMMs; the reduction step six kernels). Launched with overlap, a kernel's blocks are scheduled while the kernel
// before it still runs, and wait in awaitPreviousKernel() until that kernel has finished and its writes are
// visible.
//
// The contract, for every kernel that may be launched with overlap:
//   - it calls awaitPreviousKernel() before it touches global memory, reads or writes (the buffers it writes may
//     be memory the kernel before still reads);
//   - then releaseNextKernel(): all of its blocks are then resident or done, so the next kernel's waiting blocks
//     never hold a multiprocessor this kernel still needs.
// Launched in plain stream order (or on an older GPU) both are no-ops. Kernels that follow one of these in plain
// order (cuBLAS, ATen, ours launched without overlap) wait for it whole, as always.
#include <cuda_runtime.h>

#include <c10/cuda/CUDAException.h>

namespace ssmlens::fused {

__device__ __forceinline__ void awaitPreviousKernel() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    asm volatile("griddepcontrol.wait;\n" ::: "memory");
#endif
}
__device__ __forceinline__ void releaseNextKernel() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    asm volatile("griddepcontrol.launch_dependents;\n" ::: "memory");
#endif
}
// Both, in the contract's order: what a kernel does first.
__device__ __forceinline__ void followPreviousKernel() {
    awaitPreviousKernel();
    releaseNextKernel();
}

// Where a kernel is launched and whether it may overlap the kernel before it in that stream.
struct KernelLaunch {
    cudaStream_t stream = nullptr;
    bool overlap = false;
};

// Whether the current device can launch overlapped at all (compute capability 9 or more): the one test for both
// the step's and the forward pass's launches. LaunchOverlap.cu, as the two below.
bool deviceOverlapsLaunches();
// Whether the forward pass's own kernels may be launched with overlap on `stream` now: the paths in effect ask for
// it (KernelPaths::overlappedLayerLaunches), the device can, and, while the stream is being captured into a graph,
// the work before is a single kernel node (a graph takes an overlapped launch only after a kernel; a copy or an
// event before it makes the capture fail).
bool layerLaunchOverlaps(cudaStream_t stream);
// The launch of a forward-pass kernel on `stream`, overlapped where layerLaunchOverlaps says so.
KernelLaunch layerLaunch(cudaStream_t stream);
// The same for a kernel queued right after another of ours on `stream` (nothing queued between the two, as in the
// scan's three kernels): the work before it is that kernel, so the capture is not asked again.
KernelLaunch layerLaunchAfterOwnKernel(cudaStream_t stream);

// kernel<<<grid, block, sharedBytes, how.stream>>>(args...), with overlap where `how` says; the error checked.
template <typename... Params, typename... Args>
void launchKernel(void (*kernel)(Params...), dim3 grid, dim3 block, int sharedBytes, const KernelLaunch& how,
                  Args... args) {
    cudaLaunchConfig_t config = {};
    config.gridDim = grid;
    config.blockDim = block;
    config.dynamicSmemBytes = static_cast<size_t>(sharedBytes);
    config.stream = how.stream;
    cudaLaunchAttribute overlap[1];
    overlap[0].id = cudaLaunchAttributeProgrammaticStreamSerialization;
    overlap[0].val.programmaticStreamSerializationAllowed = 1;
    config.attrs = overlap;
    config.numAttrs = how.overlap ? 1 : 0;
    C10_CUDA_CHECK(cudaLaunchKernelEx(&config, kernel, static_cast<Params>(args)...));
}

}  // namespace ssmlens::fused
