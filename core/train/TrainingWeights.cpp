#include "core/train/TrainingWeights.h"

#include <cmath>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

namespace ssmlens {

Mamba2Weights initialMamba2Weights(const Mamba2Config& c, uint64_t seed, at::Device device) {
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    auto uniform = [&](std::vector<int64_t> shape, double lo, double hi) {
        return at::empty(shape, at::kFloat).uniform_(lo, hi, gen).to(device);
    };
    // nn.Linear / nn.Conv1d default: kaiming_uniform(a = sqrt(5)) = U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
    auto kaiming = [&](std::vector<int64_t> shape, double fanIn) {
        const double bound = 1.0 / std::sqrt(fanIn);
        return uniform(std::move(shape), -bound, bound);
    };
    auto ones = [&](int64_t n) { return at::ones({n}, at::TensorOptions().dtype(at::kFloat).device(device)); };
    auto zeros = [&](int64_t n) { return at::zeros({n}, at::TensorOptions().dtype(at::kFloat).device(device)); };
    const int64_t D = c.dModel, Di = c.dInner(), H = c.nHeads();

    Mamba2Weights w;
    w.embedding = at::normal(0.0, 0.02, {c.vocabSize, D}, gen, at::TensorOptions().dtype(at::kFloat)).to(device);
    for (int64_t l = 0; l < c.nLayer; ++l) {
        Mamba2LayerWeights L;
        L.norm = ones(D);
        L.inProj = kaiming({c.inProjDim(), D}, static_cast<double>(D));
        if (c.inProjBias) L.inProjBias = zeros(c.inProjDim());
        L.convWeight = kaiming({c.convDim(), 1, c.dConv}, static_cast<double>(c.dConv));
        if (c.convBias) L.convBias = kaiming({c.convDim()}, static_cast<double>(c.dConv));
        at::Tensor dt = at::exp(at::empty({H}, at::kFloat).uniform_(std::log(1e-3), std::log(0.1), gen));
        dt = at::clamp_min(dt, 1e-4);
        L.dtBias = (dt + at::log(-at::expm1(-dt))).to(device);  // inverse softplus
        L.aLog = at::log(at::empty({H}, at::kFloat).uniform_(1.0, 16.0, gen)).to(device);
        L.d = ones(c.dHasHdim ? Di : H);
        L.gatedNorm = ones(Di);
        // GPT-2's residual rescaling as mamba_ssm applies it: one residual branch per layer.
        L.outProj = kaiming({D, Di}, static_cast<double>(Di)) / std::sqrt(static_cast<double>(c.nLayer));
        if (c.inProjBias) L.outProjBias = zeros(D);
        w.layers.push_back(std::move(L));
    }
    w.normF = ones(D);
    w.lmHead = c.tieEmbeddings
                   ? w.embedding
                   : at::normal(0.0, 0.02, {c.vocabSize, D}, gen, at::TensorOptions().dtype(at::kFloat)).to(device);
    return w;
}

std::vector<Parameter> trainableParameters(Mamba2Weights& w) {
    std::vector<Parameter> params;
    for (auto& [name, t] : toStateDict(w, TensorNaming::HuggingFace)) {
        t.set_requires_grad(true);  // the map holds the same tensors as w
        const bool matrix = t.dim() >= 2;  // embeddings, projections, conv kernels
        params.push_back({name, t, matrix});
    }
    return params;
}

Mamba2Weights computeWeights(const Mamba2Weights& m, at::ScalarType dtype) {
    auto cast = [&](const at::Tensor& t) { return t.defined() ? t.to(dtype) : t; };
    Mamba2Weights w;
    w.embedding = cast(m.embedding);
    for (const auto& L : m.layers) {
        Mamba2LayerWeights o = L;  // dtBias, aLog, d: fp32 as they are
        o.norm = cast(L.norm);
        o.inProj = cast(L.inProj);
        o.inProjBias = cast(L.inProjBias);
        o.convWeight = cast(L.convWeight);
        o.convBias = cast(L.convBias);
        o.gatedNorm = cast(L.gatedNorm);
        o.outProj = cast(L.outProj);
        o.outProjBias = cast(L.outProjBias);
        w.layers.push_back(std::move(o));
    }
    w.normF = cast(m.normF);
    w.lmHead = m.lmHead.is_same(m.embedding) ? w.embedding : cast(m.lmHead);
    return w;
}

}  // namespace ssmlens
