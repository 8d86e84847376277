#include "core/bench/AttentionBenchmark.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include <ATen/ATen.h>

#include "core/Error.h"
#include "core/attention/AttentionSummaries.h"
#include "core/bench/DeviceTimer.h"
#include "core/bench/ModelBenchmark.h"
#include "core/model/Mamba2Model.h"
#include "core/reduction/ReductionRun.h"

namespace ssmlens {

AttentionBenchReport runAttentionBenchmark(const AttentionBenchSettings& s) {
    LoadOptions load;
    load.dtype = s.dtype;
    load.device = s.device;
    Mamba2Model model = s.modelDir.empty() ? [&] {
        Mamba2Config c = namedMamba2Config(s.size);
        return Mamba2Model(c, randomMamba2Weights(c, 1, s.dtype, s.device));
    }()
                                           : Mamba2Model::load(s.modelDir, load);
    const Mamba2Config& c = model.config();
    std::vector<int64_t> layers = s.layers;
    if (layers.empty()) layers = {0, c.nLayer / 2, c.nLayer - 1};
    for (int64_t l : layers)
        if (l < 0 || l >= c.nLayer)
            throw Error("layer " + std::to_string(l) + " does not exist: the model has " + std::to_string(c.nLayer) +
                        " layers");
    AttentionBenchReport report;
    report.model = s.modelDir.empty() ? s.size + " (random weights)" : s.modelDir;
    report.device = deviceDescription(s.device);
    report.dtype = dtypeName(s.dtype);
    std::ostringstream names;
    for (int64_t l : layers) names << (names.tellp() ? "," : "") << l;
    report.layers = names.str();
    const ReductionSchedule schedule = depthScaledSchedule(c.nLayer, s.keepRatio);
    const AttentionSelection mean{-1, HeadAggregate::Mean, false}, head0{0, HeadAggregate::None, false};

    for (int64_t T : s.lengths) {
        if (s.progress) s.progress("length " + std::to_string(T));
        at::manual_seed(static_cast<uint64_t>(T));
        const at::Tensor idsT = at::randint(c.vocabSize, {T}, at::kLong);
        const std::vector<int64_t> ids(idsT.data_ptr<int64_t>(), idsT.data_ptr<int64_t>() + T);
        AttentionBenchRow row;
        row.length = T;
        row.heads = c.nHeads();

        // The passes, their kernels recorded (the reduced pass with the depth-scaled schedule).
        ActivationRecorder denseRec(ssmKernelHookPoints(c.nLayer), {false, true});
        ActivationRecorder reducedRec(ssmKernelHookPoints(c.nLayer), {false, true});
        ReductionRunOptions options;
        options.allReducedLogits = false;
        options.denseProbe = &denseRec;
        options.reducedProbe = &reducedRec;
        const ReductionRunResult run = runReduction(model, ids, schedule, nullptr, options);
        const PassKernels dense = passKernelsFrom(denseRec, c.nLayer, T);
        const PassKernels reduced = passKernelsFrom(reducedRec, c.nLayer, T, &run.trace);

        // What recording costs a forward pass.
        const at::Tensor input = idsT.view({1, -1});
        ForwardOptions plain;
        plain.logitsAt = LogitsAt::LastPosition;
        row.forwardMs = medianMilliseconds(s.device, [&] { model.forward(input, plain); }, s.warmup, s.repeats);
        ForwardOptions recording = plain;
        recording.probe = &denseRec;
        row.forwardRecordingMs =
            medianMilliseconds(s.device, [&] { model.forward(input, recording); }, s.warmup, s.repeats);

        std::vector<double> all, viewDense, view, viewHead;
        for (int64_t l : layers) {
            resetPeakMemory(s.device);
            all.push_back(medianMilliseconds(
                s.device, [&] { implicitAttention(dense.layers[l]); }, s.warmup, s.repeats));
            row.peakMemoryMb = std::max(row.peakMemoryMb, peakMemoryBytes(s.device) / 1048576.0);
            viewDense.push_back(medianMilliseconds(
                s.device, [&] { layerAttentionOf(dense, nullptr, l, mean); }, s.warmup, s.repeats));
            view.push_back(medianMilliseconds(
                s.device, [&] { layerAttentionOf(dense, &reduced, l, mean); }, s.warmup, s.repeats));
            viewHead.push_back(medianMilliseconds(
                s.device, [&] { layerAttentionOf(dense, &reduced, l, head0); }, s.warmup, s.repeats));
        }
        auto median = [](std::vector<double> v) {
            std::sort(v.begin(), v.end());
            return v[v.size() / 2];
        };
        row.allHeadsMs = median(all);
        row.viewDenseMs = median(viewDense);
        row.viewMs = median(view);
        row.viewHeadMs = median(viewHead);
        row.allHeadsMb = implicitAttentionBytes(T, c.nHeads(), {}) / 1048576.0;
        report.rows.push_back(row);
    }
    return report;
}

std::string AttentionBenchReport::table() const {
    std::ostringstream out;
    out << "implicit attention, " << model << ", " << dtype << ", " << device << "; median over layers " << layers
        << "\n\n";
    out << "| tokens | heads | all heads [H,T,T] ms | MB | view: mean, dense ms | view: mean, dense + reduced ms | "
           "view: one head, dense + reduced ms | forward ms | forward recording kernels ms | peak MB |\n";
    out << "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    char line[512];
    for (const auto& r : rows) {
        std::snprintf(line, sizeof line, "| %lld | %lld | %.2f | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f |\n",
                      static_cast<long long>(r.length), static_cast<long long>(r.heads), r.allHeadsMs, r.allHeadsMb,
                      r.viewDenseMs, r.viewMs, r.viewHeadMs, r.forwardMs, r.forwardRecordingMs, r.peakMemoryMb);
        out << line;
    }
    return out.str();
}

}  // namespace ssmlens
