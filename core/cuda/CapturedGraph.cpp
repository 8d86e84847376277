#include "core/cuda/CapturedGraph.h"

#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

namespace ssmlens::fused {

struct CapturedGraph::Impl {
    c10::Device device;
    at::cuda::CUDAGraph graph;
    explicit Impl(const c10::Device& d) : device(d) {}
};

CapturedGraph::CapturedGraph(const c10::Device& device, const std::function<void()>& record, int warmups)
    : impl_(std::make_unique<Impl>(device)) {
    c10::cuda::CUDAGuard deviceGuard(device);
    // A graph cannot be captured on the default stream. The side stream does not wait for the current one by
    // itself, and the warm-up reads buffers that work queued there may still write: wait for it.
    c10::cuda::getCurrentCUDAStream().synchronize();
    c10::cuda::CUDAStream side = c10::cuda::getStreamFromPool();
    {
        c10::cuda::CUDAStreamGuard streamGuard(side);
        for (int i = 0; i < warmups; ++i) record();
        side.synchronize();
        // Thread-local mode: another thread of the program (the window's other workers) may keep allocating
        // and synchronizing while this one captures; only this thread's calls are checked.
        impl_->graph.capture_begin({0, 0}, cudaStreamCaptureModeThreadLocal);
        try {
            record();
        } catch (...) {
            // End the capture so that the stream is usable again; the graph is discarded with this object.
            try {
                impl_->graph.capture_end();
            } catch (...) {
            }
            throw;
        }
        impl_->graph.capture_end();  // also instantiates the graph
    }
}

CapturedGraph::~CapturedGraph() {
    // Replays still queued use the graph's memory, which its destruction hands back: let them finish first.
    try {
        c10::cuda::CUDAGuard deviceGuard(impl_->device);
        c10::cuda::device_synchronize();
    } catch (...) {
        // A failed device leaves nothing to wait for; a destructor must not throw.
    }
}

void CapturedGraph::replay() {
    c10::cuda::CUDAGuard deviceGuard(impl_->device);
    impl_->graph.replay();
}

}  // namespace ssmlens::fused
