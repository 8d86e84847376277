#include "core/model/Decoder.h"

#include <ATen/ATen.h>

#include "core/Error.h"

#ifdef SSMLENS_FUSED_CUDA
#include "core/cuda/CapturedGraph.h"
#endif

namespace ssmlens {

// The buffers one captured graph reads and writes: their storage is what the graph was captured on, so they are
// refilled in place (copy_) and never reassigned.
struct Decoder::Graph {
    at::Tensor ids;        // [B] int64 on the device, refilled before each replay
    InferenceCache cache;  // the state, advanced in place by each replay
    at::Tensor logits;     // [B, V] fp32, written by each replay
#ifdef SSMLENS_FUSED_CUDA
    std::unique_ptr<fused::CapturedGraph> graph;
#endif
};

const char* decodePathName(DecodePath path) {
    switch (path) {
        case DecodePath::Aten: return "aten";
        case DecodePath::Fused: return "fused";
        case DecodePath::CudaGraph: return "graph";
    }
    return "?";
}

DecodePath parseDecodePath(const std::string& name) {
    for (DecodePath p : {DecodePath::Aten, DecodePath::Fused, DecodePath::CudaGraph})
        if (name == decodePathName(p)) return p;
    throw Error("unknown decode path \"" + name + "\" (use aten, fused or graph)");
}

bool decodePathAvailable(const Mamba2Model& model, DecodePath path) {
    return path == DecodePath::Aten || model.fusedStep();
}

DecodePath fastestDecodePath(const Mamba2Model& model) {
    return decodePathAvailable(model, DecodePath::CudaGraph) ? DecodePath::CudaGraph : DecodePath::Aten;
}

Decoder::Decoder(const Mamba2Model& model, DecodePath path) : model_(model), path_(path) {
    if (!decodePathAvailable(model, path))
        throw Error(std::string("the ") + decodePathName(path) +
                    " decode path needs the model on a CUDA device, in fp32, bf16 or fp16, and a build with the CUDA "
                    "kernels for that GPU (use --decode-path aten)");
}

Decoder::~Decoder() = default;

namespace {

void checkState(const Mamba2Config& c, const InferenceCache& cache, int64_t batch) {
    if (static_cast<int64_t>(cache.layers.size()) != c.nLayer)
        throw Error("the decoding state has " + std::to_string(cache.layers.size()) + " layers, the model " +
                    std::to_string(c.nLayer));
    for (const LayerState& s : cache.layers) {
        if (!s.conv.defined() || !s.ssm.defined() ||
            s.conv.sizes() != at::IntArrayRef({batch, c.convDim(), c.dConv - 1}) ||
            s.ssm.sizes() != at::IntArrayRef({batch, c.nHeads(), c.headdim, c.dState}))
            throw Error("the decoding state does not have the model's shape (conv [" + std::to_string(batch) + ", " +
                        std::to_string(c.convDim()) + ", " + std::to_string(c.dConv - 1) + "], SSM [" +
                        std::to_string(batch) + ", " + std::to_string(c.nHeads()) + ", " + std::to_string(c.headdim) +
                        ", " + std::to_string(c.dState) + "] per layer)");
    }
}

}  // namespace

void Decoder::start(const InferenceCache& prefilled, int64_t batch) {
    const Mamba2Config& c = model_.config();
    if (!prefilled.empty()) {
        batch = prefilled.layers[0].conv.defined() ? prefilled.layers[0].conv.size(0) : 0;
        checkState(c, prefilled, batch);
    }
    if (batch <= 0) throw Error("decoding needs at least one sequence");
    const at::TensorOptions convOptions = model_.weights().embedding.options();
    const at::TensorOptions ssmOptions = convOptions.dtype(at::kFloat);
    active_ = nullptr;
    batch_ = 0;
    if (path_ != DecodePath::CudaGraph) {
        // Copies: the fused step advances the state in place, and the caller's cache stays as it was.
        eager_ = InferenceCache{};
        eager_.layers.resize(c.nLayer);
        for (int64_t l = 0; l < c.nLayer; ++l) {
            LayerState& s = eager_.layers[l];
            if (prefilled.empty()) {
                s.conv = at::zeros({batch, c.convDim(), c.dConv - 1}, convOptions);
                s.ssm = at::zeros({batch, c.nHeads(), c.headdim, c.dState}, ssmOptions);
            } else {
                s.conv = prefilled.layers[l].conv.to(convOptions).clone(at::MemoryFormat::Contiguous);
                s.ssm = prefilled.layers[l].ssm.to(ssmOptions).clone(at::MemoryFormat::Contiguous);
            }
        }
        batch_ = batch;
        return;
    }
    Graph& g = graphFor(batch);
    for (int64_t l = 0; l < c.nLayer; ++l) {
        LayerState& s = g.cache.layers[l];
        if (prefilled.empty()) {
            s.conv.zero_();
            s.ssm.zero_();
        } else {
            s.conv.copy_(prefilled.layers[l].conv);
            s.ssm.copy_(prefilled.layers[l].ssm);
        }
    }
    active_ = &g;
    batch_ = batch;
}

Decoder::Graph& Decoder::graphFor(int64_t batch) {
    auto found = graphs_.find(batch);
    if (found != graphs_.end()) return *found->second;
    const Mamba2Config& c = model_.config();
    const at::TensorOptions options = model_.weights().embedding.options();
    auto g = std::make_unique<Graph>();
    g->ids = at::zeros({batch}, options.dtype(at::kLong));
    g->cache.layers.resize(c.nLayer);
    for (LayerState& s : g->cache.layers) {
        s.conv = at::zeros({batch, c.convDim(), c.dConv - 1}, options);
        s.ssm = at::zeros({batch, c.nHeads(), c.headdim, c.dState}, options.dtype(at::kFloat));
    }
    g->cache.stepSync = at::zeros({batch * c.ngroups}, options.dtype(at::kInt));
#ifdef SSMLENS_FUSED_CUDA
    Graph* raw = g.get();
    try {
        // The warm-up runs and the capture step the scratch state above; start() then copies the real one in.
        g->graph = std::make_unique<fused::CapturedGraph>(model_.device(), [this, raw] {
            raw->logits = model_.stepUnchecked(raw->ids, raw->cache, StepKernels::Fused);
        });
    } catch (const std::exception& e) {
        throw Error(std::string("capturing the decode step as a CUDA graph failed (the fused path decodes the same "
                                "without a graph): ") + e.what());
    }
#endif
    Graph& ref = *g;
    graphs_[batch] = std::move(g);
    return ref;
}

const at::Tensor& Decoder::step(const at::Tensor& idsIn) {
    if (batch_ == 0) throw Error("Decoder::step needs start() first");
    if (idsIn.dim() != 1 || idsIn.size(0) != batch_)
        throw Error("decoding takes one id per sequence: [" + std::to_string(batch_) + "], got [" +
                    std::to_string(idsIn.dim() == 1 ? idsIn.size(0) : -1) + "]");
    model_.checkIds(idsIn);
    // To the device without waiting for it: a copy from pageable memory would wait for all work queued so far.
    // Pinned blocks are not reused before their copy has run (PyTorch's caching host allocator), so the host
    // may queue the next step at once.
    const bool toGpu = idsIn.device().is_cpu() && model_.device().is_cuda();
    const at::Tensor ids = toGpu ? idsIn.contiguous().pin_memory() : idsIn;
    if (path_ != DecodePath::CudaGraph) {
        logits_ = model_.stepUnchecked(ids.to(model_.device(), /*non_blocking=*/true), eager_,
                                       path_ == DecodePath::Fused ? StepKernels::Fused : StepKernels::Aten);
        return logits_;
    }
    active_->ids.copy_(ids, /*non_blocking=*/true);
#ifdef SSMLENS_FUSED_CUDA
    active_->graph->replay();
#endif
    return active_->logits;
}

const InferenceCache& Decoder::state() const { return active_ ? active_->cache : eager_; }

}  // namespace ssmlens
