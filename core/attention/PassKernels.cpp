#include "core/attention/PassKernels.h"

#include <ATen/ATen.h>

#include "core/Error.h"

namespace ssmlens {

std::set<std::pair<int64_t, HookPoint>> ssmKernelHookPoints(int64_t layers) {
    std::set<std::pair<int64_t, HookPoint>> points;
    for (int64_t l = 0; l < layers; ++l)
        for (HookPoint p : {HookPoint::B, HookPoint::C, HookPoint::Delta, HookPoint::A}) points.insert({l, p});
    return points;
}

std::vector<int64_t> positionsPresent(const LayerTrace& layer) {
    std::vector<int64_t> positions;
    for (size_t p = 0; p < layer.fate.size(); ++p)
        if (layer.fate[p] >= 0) positions.push_back(static_cast<int64_t>(p));
    return positions;
}

PassKernels passKernelsFrom(const ActivationRecorder& recorder, int64_t layers, int64_t promptLength,
                            const TokenTrace* trace) {
    if (trace && static_cast<int64_t>(trace->layers.size()) != layers)
        throw Error("the token trace has " + std::to_string(trace->layers.size()) + " layers, the model " +
                    std::to_string(layers));
    PassKernels k;
    k.promptLength = promptLength;
    for (int64_t l = 0; l < layers; ++l) {
        // Recorded as [1, n, ...] for the one sequence of the pass.
        auto one = [&](HookPoint p) {
            const at::Tensor& t = recorder.get(l, p);
            if (t.dim() < 2 || t.size(0) != 1)
                throw Error(hookPointName(l, p) + ": expected a pass over one sequence");
            return t.select(0, 0);
        };
        SsmKernel kernel{one(HookPoint::B), one(HookPoint::C), one(HookPoint::Delta), recorder.get(l, HookPoint::A)};
        std::vector<int64_t> positions;
        if (trace) {
            positions = positionsPresent(trace->layers[l]);
        } else {
            for (int64_t p = 0; p < promptLength; ++p) positions.push_back(p);
        }
        if (static_cast<int64_t>(positions.size()) != kernel.tokens())
            throw Error("layer " + std::to_string(l) + ": the pass saw " + std::to_string(kernel.tokens()) +
                        " tokens, its provenance names " + std::to_string(positions.size()));
        k.layers.push_back(std::move(kernel));
        k.positions.push_back(std::move(positions));
    }
    return k;
}

PassKernels recordDensePass(const Mamba2Model& model, const std::vector<int64_t>& ids) {
    if (ids.empty()) throw Error("the prompt has no tokens");
    const int64_t layers = model.config().nLayer;
    ActivationRecorder recorder(ssmKernelHookPoints(layers), {/*toCpu=*/false, /*asFloat32=*/true});
    ForwardOptions options;
    options.probe = &recorder;
    options.logitsAt = LogitsAt::None;
    model.forward(at::tensor(ids, at::kLong).view({1, -1}), options);
    return passKernelsFrom(recorder, layers, static_cast<int64_t>(ids.size()));
}

at::Tensor PassKernels::promptAttention(int64_t layer, const AttentionSelection& selection,
                                        const AttentionTiling& tiling) const {
    if (layer < 0 || layer >= layerCount())
        throw Error("layer " + std::to_string(layer) + " does not exist: the model has " +
                    std::to_string(layerCount()) + " layers (0.." + std::to_string(layerCount() - 1) + ")");
    at::Tensor m = implicitAttention(layers[layer], selection, tiling);
    const auto& pos = positions[layer];
    if (static_cast<int64_t>(pos.size()) == promptLength) return m;  // every position, in order: already there
    return toPromptCoordinates(m, pos, promptLength);
}

}  // namespace ssmlens
