#include "core/bench/ReductionBenchmark.h"

#include <chrono>
#include <cstdio>
#include <sstream>

#include <ATen/ATen.h>

#include "core/bench/DeviceTimer.h"
#include "core/bench/ModelBenchmark.h"
#include "core/model/Mamba2Model.h"
#include "core/reduction/FlopsModel.h"
#include "core/reduction/TokenReductionHook.h"

namespace ssmlens {
namespace {

// Times the hook's work at anchor layers, with the device synchronized on both sides.
class TimedReductionHook : public TokenReductionHook {
public:
    TimedReductionHook(const ReductionSchedule& s, at::Device device) : TokenReductionHook(s), schedule_(s), device_(device) {}
    void afterLayer(int64_t layer, LayerStreams& streams) override {
        if (schedule_.keepRatioAt(layer) >= 1.0) return TokenReductionHook::afterLayer(layer, streams);
        synchronizeDevice(device_);
        auto t0 = std::chrono::steady_clock::now();
        TokenReductionHook::afterLayer(layer, streams);
        synchronizeDevice(device_);
        totalMs += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        ++steps;
    }
    double totalMs = 0;
    int64_t steps = 0;

private:
    ReductionSchedule schedule_;
    at::Device device_;
};

}  // namespace

ReductionBenchReport runReductionBenchmark(const ReductionBenchSettings& s) {
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
    ForwardOptions dense;
    dense.logitsAt = LogitsAt::LastPosition;  // next-token prediction: the head runs on one position
    for (int64_t L : s.lengths) {
        ReductionBenchRow row;
        row.length = L;
        at::Tensor ids = at::randint(config.vocabSize, {s.batch, L}, at::kLong);
        resetPeakMemory(s.device);
        row.denseMs = medianMilliseconds(s.device, [&] { model.forward(ids, dense); }, s.warmup, s.repeats);
        row.denseMemoryMb = peakMemoryBytes(s.device) / 1048576.0;
        ForwardOptions reduced = dense;
        TokenReductionHook hook(schedule);
        reduced.hook = &hook;
        resetPeakMemory(s.device);
        row.reducedMs = medianMilliseconds(s.device, [&] { model.forward(ids, reduced); }, s.warmup, s.repeats);
        row.reducedMemoryMb = peakMemoryBytes(s.device) / 1048576.0;
        TimedReductionHook timed(schedule, s.device);
        ForwardOptions timedOpt = dense;
        timedOpt.hook = &timed;
        for (int i = 0; i < s.repeats; ++i) model.forward(ids, timedOpt);
        row.stepMs = timed.steps ? timed.totalMs / timed.steps : 0;
        row.layerMs = row.denseMs / config.nLayer;
        row.stepSharePercent = 100.0 * row.stepMs / row.layerMs;
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
    o << "| L | dense ms | reduced ms | speedup | step ms | layer ms | step share | dense MiB | reduced MiB | memory saving | "
         "analytic FLOPs saving | token reduction |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    char line[512];
    for (const auto& r : rows) {
        std::snprintf(line, sizeof line,
                      "| %lld | %.2f | %.2f | %.2fx | %.3f | %.3f | %.1f%% | %.0f | %.0f | %.1f%% | %.1f%% | %.1f%% |\n",
                      (long long)r.length, r.denseMs, r.reducedMs, r.denseMs / r.reducedMs, r.stepMs, r.layerMs,
                      r.stepSharePercent, r.denseMemoryMb, r.reducedMemoryMb,
                      r.denseMemoryMb > 0 ? 100.0 * (1 - r.reducedMemoryMb / r.denseMemoryMb) : 0.0,
                      r.flopsSavingPercent, r.tokenReductionPercent);
        o << line;
    }
    return o.str();
}

}  // namespace ssmlens
