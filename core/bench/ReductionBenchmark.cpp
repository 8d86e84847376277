#include "core/bench/ReductionBenchmark.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <sstream>
#include <vector>

#include <ATen/ATen.h>

#include "core/Error.h"
#include "core/bench/DeviceTimer.h"
#include "core/bench/ModelBenchmark.h"
#include "core/model/Mamba2Model.h"
#include "core/model/PrefillGraph.h"
#include "core/reduction/FlopsModel.h"
#include "core/reduction/TokenReducer.h"
#include "core/reduction/TokenReductionHook.h"
#include "core/runtime/KernelPaths.h"

#ifdef SSMLENS_FUSED_CUDA
#include <c10/core/InferenceMode.h>

#include "core/cuda/CapturedGraph.h"
#endif

namespace ssmlens {
namespace {

// Times the hook's work at anchor layers: with device events around it (nothing waits), or, when `synced`, with
// the device synchronized on both sides and the wall clock. Unsynced, it also keeps two host clocks: the host
// time inside the steps, and the host time from the first layer's hook call to the last one's (how long the
// host takes to queue the layers; when that is close to the whole forward pass, the host sets the pace).
class TimedReductionHook : public TokenReductionHook {
public:
    using Clock = std::chrono::steady_clock;
    TimedReductionHook(const ReductionSchedule& s, int64_t lastLayer, at::Device device, bool synced)
        : TokenReductionHook(s),
          schedule_(s),
          lastLayer_(lastLayer),
          device_(device),
          synced_(synced),
          timer_(device) {}
    void afterLayer(int64_t layer, LayerStreams& streams) override {
        if (layer == 0) firstCall_ = Clock::now();
        if (schedule_.keepRatioAt(layer) >= 1.0) TokenReductionHook::afterLayer(layer, streams);
        else {
            if (synced_) synchronizeDevice(device_);
            const auto t0 = Clock::now();
            // Named for the profiler (tools/device/verify_and_time.sh rnvtx profiles the kernels inside it).
            ProfilerRange range(kernelPaths().reductionKernels ? "ssmlens-step-kernels" : "ssmlens-step-aten");
            timer_.begin();
            TokenReductionHook::afterLayer(layer, streams);
            if (synced_) synchronizeDevice(device_);
            timer_.end();
            hostStepMs_ += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        }
        if (layer == lastLayer_) {
            queueMs_ += std::chrono::duration<double, std::milli>(Clock::now() - firstCall_).count();
            ++passes_;
        }
    }
    double meanStepMs() { return timer_.regions() ? timer_.totalMilliseconds() / timer_.regions() : 0; }
    double meanHostStepMs() const { return timer_.regions() ? hostStepMs_ / timer_.regions() : 0; }
    double meanQueueMs() const { return passes_ ? queueMs_ / passes_ : 0; }
    void resetHostClocks() {
        queueMs_ = 0;
        passes_ = 0;
    }

private:
    ReductionSchedule schedule_;
    int64_t lastLayer_;
    at::Device device_;
    bool synced_;
    RegionTimer timer_;
    Clock::time_point firstCall_;
    double hostStepMs_ = 0, queueMs_ = 0;
    int64_t passes_ = 0;
};

// The dense prefill's matrix products alone, on the model's weights and the pass's shapes: per layer
// u [B*L, D] x in_proj^T and y [B*L, Di] x out_proj^T, then the head on one position per sequence. Buffers are
// made once; only the products are timed.
double matrixProductsMilliseconds(const Mamba2Model& model, int64_t batch, int64_t length, int warmup, int repeats) {
    const Mamba2Config& c = model.config();
    const at::TensorOptions options = model.weights().embedding.options();
    const at::Tensor u = at::randn({batch * length, c.dModel}, options);
    const at::Tensor y = at::randn({batch * length, c.dInner()}, options);
    const at::Tensor last = at::randn({batch, c.dModel}, options);
    return medianMilliseconds(
        model.device(),
        [&] {
            for (const Mamba2LayerWeights& w : model.weights().layers) {
                at::linear(u, w.inProj, w.inProjBias);
                at::linear(y, w.outProj, w.outProjBias);
            }
            at::linear(last, model.weights().lmHead);
        },
        warmup, repeats);
}

// Records the streams each anchor step of a reduced pass receives (then lets the step run as usual).
class AnchorInputRecorder : public TokenReductionHook {
public:
    struct Input {
        at::Tensor hidden, residual;  // [B, M, D] as the step saw them
        std::vector<int64_t> lengths;
        double keepRatio = 1;
        at::Tensor nextNormWeight;  // the next block's norm, which the step may do (LayerStreams)
        double nextNormEps = 0;
    };
    explicit AnchorInputRecorder(const ReductionSchedule& s) : TokenReductionHook(s), schedule_(s) {}
    void afterLayer(int64_t layer, LayerStreams& streams) override {
        if (schedule_.keepRatioAt(layer) < 1.0) {
            Input in{streams.hidden.clone(), streams.residual.clone(), {}, schedule_.keepRatioAt(layer),
                     streams.nextNormWeight, streams.nextNormEps};
            for (int64_t b = 0; b < streams.lengths.size(0); ++b)
                in.lengths.push_back(streams.lengths[b].item<int64_t>());  // a CPU tensor: no wait
            inputs.push_back(std::move(in));
        }
        TokenReductionHook::afterLayer(layer, streams);
    }
    std::vector<Input> inputs;

private:
    ReductionSchedule schedule_;
};

// The reduced pass's steps without the host: each anchor's step captured as a CUDA graph on the streams it
// received in an eager pass (sizes 1, each sequence's last row protected: the counts, and so the work, are the
// pass's) and the steps replayed back to back, as they run inside a reduced prefill graph. Milliseconds for all
// anchors together; 0 where graphs are not available.
double stepsAsGraphsMilliseconds(const Mamba2Model& model, const at::Tensor& ids, const ReductionSchedule& schedule,
                                 const ReductionBenchSettings& s) {
#ifdef SSMLENS_FUSED_CUDA
    if (!prefillGraphAvailable(model) || schedule.anchors.empty()) return 0;
    AnchorInputRecorder recorder(schedule);
    ForwardOptions options;
    options.logitsAt = LogitsAt::None;
    options.hook = &recorder;
    model.forward(ids, options);
    const ReductionRecipe recipe = recipeFor(schedule.method, schedule.options);
    std::vector<BatchReductionInput> inputs(recorder.inputs.size());  // sized once: the graphs' lambdas point here
    std::vector<std::unique_ptr<fused::CapturedGraph>> graphs;
    for (size_t k = 0; k < inputs.size(); ++k) {
        const AnchorInputRecorder::Input& r = recorder.inputs[k];
        BatchReductionInput& in = inputs[k];
        const int64_t B = r.hidden.size(0), M = r.hidden.size(1);
        in.hidden = r.hidden;
        in.residual = r.residual;
        in.sizes = at::ones({B, M}, r.residual.options());
        at::Tensor protect = at::zeros({B, M}, at::kBool);
        for (int64_t b = 0; b < B; ++b) protect[b][r.lengths[b] - 1] = true;
        in.protect = protect.to(r.hidden.device());
        in.lengths = r.lengths;
        in.protectedCount.assign(B, 1);
        in.keepRatio = r.keepRatio;
        in.nextNormWeight = r.nextNormWeight;
        in.nextNormEps = r.nextNormEps;
        graphs.push_back(std::make_unique<fused::CapturedGraph>(model.device(), [&in, &recipe] {
            c10::InferenceMode inferenceOnly;
            reduceTokensBatch(in, recipe);
        }));
    }
    constexpr int kRounds = 10;  // replays of all steps per timed call: the call's synchronization is then noise
    return medianMilliseconds(
               s.device,
               [&] {
                   for (int i = 0; i < kRounds; ++i)
                       for (auto& g : graphs) g->replay();
               },
               s.warmup, s.repeats) /
           kRounds;
#else
    (void)model, (void)ids, (void)schedule, (void)s;
    return 0;
#endif
}

// Dense or reduced prefill as a CUDA graph: capture time (once) and the median replay time; {0, 0} and a note
// where graphs are not available or the capture fails.
struct GraphTiming {
    double captureMs = 0, replayMs = 0;
};
GraphTiming timeGraph(const Mamba2Model& model, const at::Tensor& ids, const ReductionSchedule& schedule,
                      const ReductionBenchSettings& s, std::string& note) {
    GraphTiming t;
    if (!prefillGraphAvailable(model)) {
        note = "CUDA graphs: not available here (a CUDA model in a build with the CUDA kernels)";
        return t;
    }
    try {
        synchronizeDevice(s.device);
        const auto t0 = std::chrono::steady_clock::now();
        PrefillGraph graph(model, ids.size(0), ids.size(1), schedule, LogitsAt::LastPosition);
        synchronizeDevice(s.device);
        t.captureMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        t.replayMs = medianMilliseconds(s.device, [&] { graph.run(ids); }, s.warmup, s.repeats);
    } catch (const Error& e) {
        note = e.what();
        t = {};
    }
    return t;
}

}  // namespace

ReductionBenchReport runReductionBenchmark(const ReductionBenchSettings& s) {
    // The products path for the whole run; the step's path is chosen per pass below.
    KernelPaths paths = kernelPaths();
    paths.bestMatchProducts = s.products;
    const ScopedKernelPaths products(paths);
    Mamba2Config config = namedMamba2Config(s.size);
    Mamba2Model model(config, randomMamba2Weights(config, 1, s.dtype, s.device));
    ReductionSchedule schedule = depthScaledSchedule(config.nLayer, s.keepRatio, s.method);
    ReductionBenchReport report;
    report.size = s.size;
    report.device = deviceDescription(s.device);
    report.dtype = dtypeName(s.dtype);
    report.method = methodName(s.method);
    std::ostringstream anchors;
    for (const auto& a : schedule.anchors) anchors << (anchors.tellp() ? "," : "") << a.layer;
    report.schedule = "anchors " + anchors.str() + ", q " + std::to_string(s.keepRatio);
    if (s.products != BestMatchProducts::BySize)
        report.schedule += ", best-match products: " + bestMatchProductsName(s.products);
    if (!paths.overlappedStepLaunches) report.schedule += ", step kernels in plain stream order (SSMLENS_STEP_OVERLAP=0)";
    const bool sideBySide = reductionKernelsBuilt() && s.device.is_cuda();
    ForwardOptions dense;
    dense.logitsAt = LogitsAt::LastPosition;  // next-token prediction: the head runs on one position
    for (int64_t L : s.lengths) {
        ReductionBenchRow row;
        row.length = L;
        at::Tensor ids = at::randint(config.vocabSize, {s.batch, L}, at::kLong);
        resetPeakMemory(s.device);
        // The eager passes are named for the profiler (tools/device/prefill_graph.sh kprof: time per kernel of a
        // dense and a reduced pass, side by side).
        row.denseMs = medianMilliseconds(
            s.device,
            [&] {
                ProfilerRange range("ssmlens-dense-pass");
                model.forward(ids, dense);
            },
            s.warmup, s.repeats);
        row.denseMemoryMb = peakMemoryBytes(s.device) / 1048576.0;
        {
            ReductionSchedule none = schedule;  // a hook that only keeps the host clock
            none.anchors.clear();
            TimedReductionHook clock(none, config.nLayer - 1, s.device, false);
            ForwardOptions clocked = dense;
            clocked.hook = &clock;
            // Warm-up first: the hook's first pass in a process pins host memory (slow, once).
            for (int i = 0; i < s.warmup; ++i) model.forward(ids, clocked);
            clock.resetHostClocks();
            for (int i = 0; i < s.repeats; ++i) model.forward(ids, clocked);
            row.denseQueueMs = clock.meanQueueMs();
        }
        // Reduced prefill and the step inside it, with the kernels and (side by side) with the ATen step.
        for (bool kernels : {true, false}) {
            if (!kernels && !sideBySide) break;
            KernelPaths step = paths;
            step.reductionKernels = kernels;
            const ScopedKernelPaths stepPath(step);
            ForwardOptions reduced = dense;
            TokenReductionHook hook(schedule);
            reduced.hook = &hook;
            resetPeakMemory(s.device);
            const double ms = medianMilliseconds(
                s.device,
                [&] {
                    ProfilerRange range(kernels ? "ssmlens-reduced-pass" : "ssmlens-reduced-pass-aten");
                    model.forward(ids, reduced);
                },
                s.warmup, s.repeats);
            if (kernels) row.reducedMemoryMb = peakMemoryBytes(s.device) / 1048576.0;
            TimedReductionHook timed(schedule, config.nLayer - 1, s.device, false);
            ForwardOptions timedOpt = dense;
            timedOpt.hook = &timed;
            for (int i = 0; i < s.repeats; ++i) model.forward(ids, timedOpt);
            (kernels ? row.reducedMs : row.reducedAtenMs) = ms;
            (kernels ? row.stepMs : row.stepAtenMs) = timed.meanStepMs();
            if (kernels) {
                row.stepHostMs = timed.meanHostStepMs();
                row.queueMs = timed.meanQueueMs();
                TimedReductionHook synced(schedule, config.nLayer - 1, s.device, true);
                timedOpt.hook = &synced;
                for (int i = 0; i < s.repeats; ++i) model.forward(ids, timedOpt);
                row.stepSyncedMs = synced.meanStepMs();
            }
        }
        {
            // The same passes as CUDA graphs, with the products path and step kernels of the eager rows above.
            ReductionSchedule none = schedule;
            none.anchors.clear();
            const GraphTiming dense = timeGraph(model, ids, none, s, row.graphNote);
            const GraphTiming reduced =
                row.graphNote.empty() ? timeGraph(model, ids, schedule, s, row.graphNote) : GraphTiming{};
            row.denseGraphMs = dense.replayMs;
            row.denseCaptureMs = dense.captureMs;
            row.reducedGraphMs = reduced.replayMs;
            row.reducedCaptureMs = reduced.captureMs;
            if (row.graphNote.empty()) {
                try {
                    row.stepsGraphMs = stepsAsGraphsMilliseconds(model, ids, schedule, s);
                } catch (const std::exception& e) {
                    row.graphNote = std::string("the steps as CUDA graphs: ") + e.what();
                }
            }
        }
        row.productsMs = matrixProductsMilliseconds(model, s.batch, L, s.warmup, s.repeats);
        row.layerMs = row.denseMs / config.nLayer;
        row.stepSharePercent = 100.0 * row.stepMs / row.layerMs;
        row.stepsOfPrefillPercent = 100.0 * static_cast<double>(schedule.anchors.size()) * row.stepMs / row.denseMs;
        const double half = static_cast<double>(L / 2), otherHalf = static_cast<double>(L - L / 2);
        row.matchingFlopsPercent = 100.0 * 2.0 * half * otherHalf * static_cast<double>(config.dModel) /
                                   (static_cast<double>(L) * mamba2LayerFlopsPerToken(config));
        FlopsReport f = scheduleFlops(config, schedule, L);
        row.flopsSavingPercent = f.flopsReductionPercent;
        row.tokenReductionPercent = f.tokenReductionPercent;
        report.rows.push_back(row);
        if (s.progress) s.progress("L " + std::to_string(L) + ": dense " + std::to_string(row.denseMs) + " ms, reduced " +
                                   std::to_string(row.reducedMs) + " ms, step " + std::to_string(row.stepMs) + " ms");
    }
    return report;
}

std::string ReductionBenchReport::table() const {
    std::ostringstream o;
    o << "model " << size << ", " << dtype << ", " << device << "; method " << method << ", " << schedule << "\n\n";
    o << "| L | dense ms | reduced ms | speedup | reduced ms, ATen step | step ms | step ms, ATen | step ms, synced | "
         "step host ms | layers queued ms, dense / reduced | layer ms | step share | steps / dense prefill | "
         "matching / layer FLOPs | dense MiB | reduced MiB | memory saving | "
         "analytic FLOPs saving | token reduction |\n"
         "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    char line[640];
    for (const auto& r : rows) {
        std::snprintf(line, sizeof line,
                      "| %lld | %.2f | %.2f | %.2fx | %.2f | %.3f | %.3f | %.3f | %.3f | %.2f / %.2f | %.3f | %.1f%% | "
                      "%.1f%% | %.1f%% | %.0f | %.0f | %.1f%% | %.1f%% | %.1f%% |\n",
                      (long long)r.length, r.denseMs, r.reducedMs, r.denseMs / r.reducedMs, r.reducedAtenMs, r.stepMs,
                      r.stepAtenMs, r.stepSyncedMs, r.stepHostMs, r.denseQueueMs, r.queueMs, r.layerMs,
                      r.stepSharePercent, r.stepsOfPrefillPercent, r.matchingFlopsPercent,
                      r.denseMemoryMb, r.reducedMemoryMb,
                      r.denseMemoryMb > 0 ? 100.0 * (1 - r.reducedMemoryMb / r.denseMemoryMb) : 0.0,
                      r.flopsSavingPercent, r.tokenReductionPercent);
        o << line;
    }
    // Graphs against eager, and the prefill against its matrix products. `ideal`: 1 / (1 - analytic FLOPs
    // saving), what the reduction would give if time followed FLOPs; `of ideal`: the graphs' speedup over it.
    o << "\nprefill as CUDA graphs (core/model/PrefillGraph.h), replayed, against the eager passes above; `steps ms, "
         "graphs`: all anchor steps of the reduced pass, each captured on the streams it received and replayed back "
         "to back (their device time without the host); `products "
         "ms`: the dense pass's matrix products alone (in_proj, out_proj, head), back to back; `dense / products`: the "
         "dense graph's time (eager where there is no graph) over theirs\n\n"
         "| L | dense ms, eager | dense ms, graph | reduced ms, eager | reduced ms, graph | speedup, eager | "
         "speedup, graphs | ideal speedup | graphs / ideal | steps ms, graphs | steps / dense graph | "
         "capture ms, dense / reduced | products ms | dense / products |\n"
         "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    std::string notes;
    auto cell = [](const char* format, double value, bool known) {
        char text[48] = "-";
        if (known) std::snprintf(text, sizeof text, format, value);
        return std::string(text);
    };
    for (const auto& r : rows) {
        const double ideal = 1.0 / (1.0 - r.flopsSavingPercent / 100.0);
        const bool g = r.denseGraphMs > 0 && r.reducedGraphMs > 0;
        const double graphSpeedup = g ? r.denseGraphMs / r.reducedGraphMs : 0;
        o << "| " << r.length << " | " << cell("%.2f", r.denseMs, true) << " | " << cell("%.2f", r.denseGraphMs, g)
          << " | " << cell("%.2f", r.reducedMs, true) << " | " << cell("%.2f", r.reducedGraphMs, g) << " | "
          << cell("%.2fx", r.denseMs / r.reducedMs, r.reducedMs > 0) << " | " << cell("%.2fx", graphSpeedup, g) << " | "
          << cell("%.2fx", ideal, true) << " | " << cell("%.0f%%", 100.0 * graphSpeedup / ideal, g) << " | "
          << cell("%.3f", r.stepsGraphMs, g && r.stepsGraphMs > 0) << " | "
          << cell("%.1f%%", g ? 100.0 * r.stepsGraphMs / r.denseGraphMs : 0, g && r.stepsGraphMs > 0) << " | "
          << (g ? cell("%.1f", r.denseCaptureMs, true) + " / " + cell("%.1f", r.reducedCaptureMs, true) : "-") << " | "
          << cell("%.2f", r.productsMs, r.productsMs > 0) << " | "
          << cell("%.2fx", r.productsMs > 0 ? (g ? r.denseGraphMs : r.denseMs) / r.productsMs : 0, r.productsMs > 0)
          << " |\n";
        if (!r.graphNote.empty() && notes.find(r.graphNote) == std::string::npos) notes += "\n" + r.graphNote + "\n";
    }
    o << notes;
    return o.str();
}

}  // namespace ssmlens
