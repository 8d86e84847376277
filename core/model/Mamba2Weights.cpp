#include "core/model/Mamba2Weights.h"

#include <cmath>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

namespace ssmlens {

Mamba2Weights randomMamba2Weights(const Mamba2Config& c, uint64_t seed, at::ScalarType dtype, at::Device device) {
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    auto normal = [&](std::vector<int64_t> shape, double std) {
        return at::normal(0.0, std, shape, gen, at::TensorOptions().dtype(at::kFloat));
    };
    auto uniform = [&](std::vector<int64_t> shape, double lo, double hi) {
        return at::empty(shape, at::kFloat).uniform_(lo, hi, gen);
    };
    const int64_t D = c.dModel, Di = c.dInner(), H = c.nHeads();
    Mamba2Weights w;
    w.embedding = normal({c.vocabSize, D}, 0.02).to(device, dtype);
    for (int64_t l = 0; l < c.nLayer; ++l) {
        Mamba2LayerWeights L;
        // Norm gains near 1 but not exactly 1, so a test notices a norm weight applied to the wrong tensor.
        L.norm = (1.0 + normal({D}, 0.1)).to(device, dtype);
        L.inProj = uniform({c.inProjDim(), D}, -1.0 / std::sqrt(double(D)), 1.0 / std::sqrt(double(D))).to(device, dtype);
        if (c.inProjBias) L.inProjBias = normal({c.inProjDim()}, 0.02).to(device, dtype);
        L.convWeight = uniform({c.convDim(), 1, c.dConv}, -0.5, 0.5).to(device, dtype);
        if (c.convBias) L.convBias = uniform({c.convDim()}, -0.2, 0.2).to(device, dtype);
        // dt in [1e-3, 0.1] log-uniform, stored as its inverse softplus (as mamba_ssm initialises it).
        at::Tensor dt = at::exp(uniform({H}, std::log(1e-3), std::log(0.1)));
        L.dtBias = (dt + at::log(-at::expm1(-dt))).to(device);
        L.aLog = at::log(uniform({H}, 1.0, 16.0)).to(device);
        L.d = (c.dHasHdim ? 1.0 + normal({Di}, 0.1) : 1.0 + normal({H}, 0.1)).to(device);
        L.gatedNorm = (1.0 + normal({Di}, 0.1)).to(device, dtype);
        L.outProj = normal({D, Di}, 0.02 / std::sqrt(2.0 * c.nLayer) * 4).to(device, dtype);
        if (c.inProjBias) L.outProjBias = normal({D}, 0.02).to(device, dtype);
        w.layers.push_back(std::move(L));
    }
    w.normF = (1.0 + normal({D}, 0.1)).to(device, dtype);
    w.lmHead = c.tieEmbeddings ? w.embedding : normal({c.vocabSize, D}, 0.02).to(device, dtype);
    return w;
}

std::map<std::string, at::Tensor> toStateDict(const Mamba2Weights& w, TensorNaming naming) {
    std::map<std::string, at::Tensor> sd;
    sd[naming == TensorNaming::HuggingFace ? "backbone.embeddings.weight" : "backbone.embedding.weight"] = w.embedding;
    for (size_t i = 0; i < w.layers.size(); ++i) {
        const auto& L = w.layers[i];
        const std::string p = "backbone.layers." + std::to_string(i) + ".";
        sd[p + "norm.weight"] = L.norm;
        sd[p + "mixer.in_proj.weight"] = L.inProj;
        if (L.inProjBias.defined()) sd[p + "mixer.in_proj.bias"] = L.inProjBias;
        sd[p + "mixer.conv1d.weight"] = L.convWeight;
        if (L.convBias.defined()) sd[p + "mixer.conv1d.bias"] = L.convBias;
        sd[p + "mixer.dt_bias"] = L.dtBias;
        sd[p + "mixer.A_log"] = L.aLog;
        sd[p + "mixer.D"] = L.d;
        sd[p + "mixer.norm.weight"] = L.gatedNorm;
        sd[p + "mixer.out_proj.weight"] = L.outProj;
        if (L.outProjBias.defined()) sd[p + "mixer.out_proj.bias"] = L.outProjBias;
    }
    sd["backbone.norm_f.weight"] = w.normF;
    if (!w.lmHead.is_same(w.embedding)) sd["lm_head.weight"] = w.lmHead;
    return sd;
}

}  // namespace ssmlens
