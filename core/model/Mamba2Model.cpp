#include "core/model/Mamba2Model.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

#include "core/Error.h"
#include "core/runtime/DeviceUpload.h"
#include "core/runtime/MemoryBudget.h"

#ifdef SSMLENS_FUSED_CUDA
#include "core/cuda/FusedKernels.h"
#endif

namespace ssmlens {
namespace {

// The residual stream update and the norm that follows it: residual = float(hidden) + residual (skipped when
// hidden is undefined), returns rmsNorm(residual). One fused kernel for CUDA tensors, ATen otherwise.
at::Tensor addAndNorm(const at::Tensor& hidden, at::Tensor& residual, const at::Tensor& weight, double eps) {
#ifdef SSMLENS_FUSED_CUDA
    if (fused::fusedAvailable(residual)) {
        auto [r, u] = fused::addRmsNorm(hidden, residual, weight, eps);
        residual = r;
        return u;
    }
#endif
    if (hidden.defined()) residual = hidden.to(at::kFloat) + residual;
    return rmsNorm(residual, weight, eps);
}

}  // namespace

Mamba2Model::Mamba2Model(Mamba2Config config, Mamba2Weights weights)
    : config_(std::move(config)), weights_(std::move(weights)) {
    if (static_cast<int64_t>(weights_.layers.size()) != config_.nLayer)
        throw Error("model weights hold " + std::to_string(weights_.layers.size()) + " layers, config says " +
                    std::to_string(config_.nLayer));
}

Mamba2Model Mamba2Model::load(const std::string& dir, const LoadOptions& options) {
    LoadedCheckpoint ckpt = loadCheckpoint(dir, options);
    Mamba2Model model(std::move(ckpt.config), std::move(ckpt.weights));
    model.loadWarnings_ = std::move(ckpt.warnings);
    return model;
}

void Mamba2Model::checkIds(const at::Tensor& ids) const {
    if (ids.scalar_type() != at::kLong) throw Error("token ids must be int64");
    if (ids.numel() == 0) return;
    const int64_t lo = ids.min().item<int64_t>(), hi = ids.max().item<int64_t>();
    if (lo < 0 || hi >= vocabRows())
        throw Error("token id " + std::to_string(lo < 0 ? lo : hi) + " is out of range: the model has " +
                    std::to_string(vocabRows()) + " embedding rows (valid ids 0.." + std::to_string(vocabRows() - 1) +
                    ")");
}

at::Tensor Mamba2Model::head(const at::Tensor& hidden, const at::Tensor& residual, bool modelDtype) const {
    at::Tensor r = residual;
    at::Tensor logits = at::linear(addAndNorm(hidden, r, weights_.normF, config_.normEps), weights_.lmHead);
    return modelDtype ? logits : logits.to(at::kFloat);
}

void Mamba2Model::checkPrefillFits(int64_t batch, int64_t length, const ForwardOptions& opt) const {
    PrefillShape shape;
    shape.batch = batch;
    shape.length = length;
    shape.allPositionLogits = opt.logitsAt == LogitsAt::AllPositions;
    shape.noLogits = opt.logitsAt == LogitsAt::None;
    shape.tokenReduction = opt.hook != nullptr;
    shape.keepsGradients = at::GradMode::is_enabled() && !weights_.layers.empty() && weights_.layers[0].inProj.requires_grad();
    requirePrefillFits(config_, shape, dtype(), device());
}

ForwardResult Mamba2Model::forward(const at::Tensor& idsIn, const ForwardOptions& opt) const {
    if (idsIn.dim() != 2) throw Error("forward expects ids of shape [batch, length]");
    checkIds(idsIn);
    // Before anything is allocated: a prompt beyond the device's memory is refused with the sizes, not
    // swapped through for minutes or failed deep inside a kernel (MemoryBudget.h).
    checkPrefillFits(idsIn.size(0), idsIn.size(1), opt);
    return forwardUnchecked(idsIn, opt);
}

ForwardResult Mamba2Model::forwardUnchecked(const at::Tensor& idsIn, const ForwardOptions& opt) const {
    if (idsIn.dim() != 2) throw Error("forward expects ids of shape [batch, length]");
    const int64_t B = idsIn.size(0), L = idsIn.size(1);
    at::Tensor ids = idsIn.to(device());
    LayerStreams s;
    s.lengths = opt.lengths.defined() ? opt.lengths.to(at::kCPU, at::kLong) : at::full({B}, L, at::kLong);
    if (s.lengths.size(0) != B || (B > 0 && (s.lengths.min().item<int64_t>() < 1 || s.lengths.max().item<int64_t>() > L)))
        throw Error("sequence lengths must be between 1 and the padded length " + std::to_string(L));
    if (opt.cache) opt.cache->layers.assign(config_.nLayer, {});

    int64_t firstLayer = 0;
    if (opt.resume) {
        const ForwardResume& r = *opt.resume;
        if (opt.cache) throw Error("a resumed forward pass cannot fill an inference cache");
        if (r.afterLayer < 0 || r.afterLayer >= config_.nLayer)
            throw Error("resume after layer " + std::to_string(r.afterLayer) + ": the model has " +
                        std::to_string(config_.nLayer) + " layers");
        const std::vector<int64_t> shape = {B, L, config_.dModel};
        if (!r.streams.hidden.defined() || !r.streams.residual.defined() || r.streams.hidden.sizes().vec() != shape ||
            r.streams.residual.sizes().vec() != shape || !r.streams.lengths.defined() ||
            !r.streams.lengths.to(at::kCPU, at::kLong).equal(s.lengths))
            throw Error("resume: the saved streams do not belong to these ids and lengths");
        s.hidden = r.streams.hidden;
        s.residual = r.streams.residual;
        firstLayer = r.afterLayer + 1;
    } else {
        // Residual stream in fp32; block 0 receives r = embedding and h = 0.
        s.residual = at::embedding(weights_.embedding, ids).to(at::kFloat);
    }
    // The padding mask on the device, made once and again only after a hook has given new lengths
    // (LayerStreams::lengths), not in every layer (it is copied from the host).
    at::Tensor maskLengths = s.lengths, mask = paddingMask(s.lengths, L, ids.device());
    int64_t maskL = L;
    auto runHook = [&](int64_t l) {
        if (!opt.hook) return;
        const bool last = l + 1 >= config_.nLayer;
        s.nextNormWeight = last ? at::Tensor() : weights_.layers[l + 1].norm;
        s.nextNormEps = config_.normEps;
        opt.hook->afterLayer(l, s);
        if (!s.lengths.is_same(maskLengths) || s.residual.size(1) != maskL) {
            maskLengths = s.lengths;
            maskL = s.residual.size(1);
            mask = paddingMask(s.lengths, maskL, ids.device());
        }
    };
    if (opt.resume) runHook(opt.resume->afterLayer);
    for (int64_t l = firstLayer; l < config_.nLayer; ++l) {
        const Mamba2LayerWeights& w = weights_.layers[l];
        // The hook after the block before may have done this block's add and norm (LayerStreams::normalized).
        at::Tensor u = s.normalized.defined() && !s.hidden.defined()
                           ? s.normalized
                           : addAndNorm(l > 0 ? s.hidden : at::Tensor(), s.residual, w.norm, config_.normEps);
        s.normalized = at::Tensor();
        const ActivationTap tap{opt.probe, l};
        if (tap.wants(HookPoint::ResidPre)) tap.record(HookPoint::ResidPre, s.residual);
        if (tap.wants(HookPoint::NormalizedInput)) tap.record(HookPoint::NormalizedInput, u);
        s.hidden = mixerPrefill(config_, w, u, s.lengths, opt.scan, opt.cache ? &opt.cache->layers[l] : nullptr, mask,
                                tap);
        if (tap.wants(HookPoint::OutProj)) tap.record(HookPoint::OutProj, s.hidden);
        runHook(l);
    }
    ForwardResult result;
    result.lengths = s.lengths;
    if (opt.logitsAt == LogitsAt::AllPositions) {
        result.logits = head(s.hidden, s.residual, opt.logitsInModelDtype);
    } else if (opt.logitsAt == LogitsAt::LastPosition) {
        // Without waiting for the device (and so that a CUDA graph can capture it: core/model/PrefillGraph.h).
        at::Tensor last = uploadWithoutWaiting(s.lengths - 1, s.residual.device());
        auto pick = [&](const at::Tensor& t) {
            if (!t.defined()) return t;  // hidden already in residual (LayerStreams)
            return t.gather(1, last.view({B, 1, 1}).expand({B, 1, t.size(2)})).squeeze(1);
        };
        result.logits = head(pick(s.hidden), pick(s.residual), opt.logitsInModelDtype);
    }
    return result;
}

at::Tensor Mamba2Model::step(const at::Tensor& ids, InferenceCache& cache, StepKernels kernels) const {
    if (ids.dim() != 1) throw Error("step expects ids of shape [batch]");
    checkIds(ids);
    return stepUnchecked(ids, cache, kernels);
}

bool Mamba2Model::fusedStep() const {
    return !weights_.layers.empty() && fusedStepAvailable(config_, weights_.layers[0], weights_.layers[0].norm);
}

at::Tensor Mamba2Model::stepUnchecked(const at::Tensor& idsIn, InferenceCache& cache, StepKernels kernels) const {
    if (idsIn.dim() != 1) throw Error("step expects ids of shape [batch]");
    if (cache.layers.size() != static_cast<size_t>(config_.nLayer)) cache.layers.assign(config_.nLayer, {});
    at::Tensor ids = idsIn.to(device());
    if (kernels == StepKernels::Fused) {
        const int64_t counters = ids.size(0) * config_.ngroups;
        if (!cache.stepSync.defined() || cache.stepSync.numel() != counters || cache.stepSync.device() != device())
            cache.stepSync = at::zeros({counters}, ids.options().dtype(at::kInt));
    }
    at::Tensor residual = at::embedding(weights_.embedding, ids).to(at::kFloat);
    at::Tensor hidden;
    for (int64_t l = 0; l < config_.nLayer; ++l) {
        const Mamba2LayerWeights& w = weights_.layers[l];
        at::Tensor u = addAndNorm(l > 0 ? hidden : at::Tensor(), residual, w.norm, config_.normEps);
        hidden = kernels == StepKernels::Fused ? mixerStepFused(config_, w, u, cache.layers[l], cache.stepSync)
                                               : mixerStep(config_, w, u, cache.layers[l]);
    }
    return head(hidden, residual);
}

}  // namespace ssmlens
