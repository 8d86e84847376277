#pragma once
// A CUDA graph of the work one function queues, captured once and replayed (core/cuda/CapturedGraph.cpp, over
// PyTorch's at::cuda::CUDAGraph, whose caching allocator keeps the memory of everything allocated during the
// capture for the replays). CUDA builds only (SSMLENS_FUSED_CUDA). Used by core/model/Decoder.cpp for the
// decode step, whose launch overhead on the host is otherwise larger than its work on the GPU.
//
// What a replay does is what the capture saw, on the same memory: the captured function must read its inputs
// from tensors that outlive the graph and are refilled in place before each replay, write its state in place,
// and queue no work that waits for the host (no .item(), no copy to the CPU).
#include <functional>
#include <memory>

#include <c10/core/Device.h>

namespace ssmlens::fused {

class CapturedGraph {
public:
    // Runs `record` `warmups` times on a side stream (first uses, such as cuBLAS's workspace for that stream,
    // happen outside the capture), then captures one more call of it on that stream. Waits for the work queued
    // before on the current stream first, and for the warm-up runs before returning. Throws c10::Error when the
    // capture fails (the graph is then unusable).
    CapturedGraph(const c10::Device& device, const std::function<void()>& record, int warmups = 2);
    ~CapturedGraph();
    CapturedGraph(const CapturedGraph&) = delete;
    CapturedGraph& operator=(const CapturedGraph&) = delete;

    // Queues the captured work on the current CUDA stream (one launch).
    void replay();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ssmlens::fused
