#pragma once
// The numbers behind `ssmlens-cli bench-reduce`: for a published size on random weights, the time of the
// reduction step itself against the time of one layer, and the prefill time and peak memory of a reduced
// forward pass against the dense one, next to the analytic FLOPs saving of the same schedule; dense and reduced
// prefill again as CUDA graphs (where available), side by side with the eager passes, and the dense pass's
// matrix products alone.
#include <functional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/reduction/ReductionSchedule.h"
#include "core/runtime/KernelPaths.h"

namespace ssmlens {

struct ReductionBenchSettings {
    std::string size = "130m";
    std::vector<int64_t> lengths = {2048, 8192};
    int64_t batch = 1;
    at::ScalarType dtype = at::kBFloat16;
    at::Device device = at::kCPU;
    double keepRatio = kDefaultKeepRatio;  // at the depth-scaled anchors
    ReductionMethod method = ReductionMethod::Utr;
    BestMatchProducts products = BestMatchProducts::BySize;  // where the kernels' best-match products run
    int warmup = 1, repeats = 3;
    std::function<void(const std::string&)> progress;
};

struct ReductionBenchRow {
    int64_t length = 0;
    double denseMs = 0, reducedMs = 0;  // prefill, dense and reduced (the step on the GPU kernels where built)
    double reducedAtenMs = 0;           // reduced with the ATen step (0 when the build has no kernels)
    double stepMs = 0;        // device time of one reduction step inside the forward pass (all sequences of the
                              // batch; CUDA events, nothing synchronized: what the step costs the pipeline)
    double stepAtenMs = 0;    // the same for the ATen step (0 when the build has no kernels)
    double stepHostMs = 0;    // host time inside one step (nothing synchronized)
    double queueMs = 0;       // host time from the first layer's hook call to the last layer's, reduced pass
    double denseQueueMs = 0;  // the same for the dense pass
    double stepSyncedMs = 0;  // one step with the device synchronized on both sides (wall clock, launch latency in)
    double layerMs = 0;       // dense prefill time / layers
    double stepSharePercent = 0;  // stepMs / layerMs
    double stepsOfPrefillPercent = 0;  // anchors x stepMs / denseMs: the steps' share of a whole prefill
    double matchingFlopsPercent = 0;  // the cosine products of the first anchor, as a share of one layer's FLOPs
    double denseMemoryMb = 0, reducedMemoryMb = 0;
    double flopsSavingPercent = 0, tokenReductionPercent = 0;
    // The same passes as CUDA graphs (core/model/PrefillGraph.h), replayed: 0 where graphs are not available.
    double denseGraphMs = 0, reducedGraphMs = 0;
    double denseCaptureMs = 0, reducedCaptureMs = 0;  // warm-ups and capture, once per (batch, length, schedule)
    double stepsGraphMs = 0;  // every anchor's step, each as a CUDA graph, replayed back to back (all anchors)
    std::string graphNote;  // why the graph rows are empty (not available here, or the capture failed)
    // The dense prefill's matrix products alone (in_proj and out_proj of every layer on the same shapes and
    // weights, and the head on the last positions), back to back: the floor the prefill is compared with.
    double productsMs = 0;
};

struct ReductionBenchReport {
    std::string size, device, dtype, method, schedule;
    std::vector<ReductionBenchRow> rows;
    std::string table() const;  // Markdown: the eager passes and the step, then the graphs and the products
};

ReductionBenchReport runReductionBenchmark(const ReductionBenchSettings& settings);

}  // namespace ssmlens
