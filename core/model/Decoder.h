#pragma once
// Decoder: token-by-token decoding of a batch after a prefill, on one of three paths that compute the same
// thing (docs/benchmarks.md times them side by side):
//   aten   the mixers as chains of ATen operators (mixerStep), launched from the host: any device. About twenty
//          launches per layer, so on a GPU the host sets the pace (7 ms per token for the 130m model).
//   fused  the mixers' work between in_proj and out_proj in one CUDA kernel (mixerStepFused), still launched
//          from the host layer by layer: a few launches per layer.
//   graph  fused's whole model step (embedding, every layer, the head) captured once per batch size as a CUDA
//          graph and replayed: one launch per token; the state lives in buffers the graph owns.
// Generation (core/model/Generation.h) decodes through it, on the fastest path available unless told otherwise.
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <ATen/core/Tensor.h>

#include "core/model/InferenceCache.h"
#include "core/model/Mamba2Model.h"

namespace ssmlens {

enum class DecodePath { Aten, Fused, CudaGraph };

const char* decodePathName(DecodePath path);          // "aten", "fused", "graph"
DecodePath parseDecodePath(const std::string& name);  // throws ssmlens::Error naming the valid names
// Whether `path` can run `model` here: aten always; fused and graph need Mamba2Model::fusedStep() (a CUDA
// model in a build with the CUDA kernels for its GPU).
bool decodePathAvailable(const Mamba2Model& model, DecodePath path);
// graph where it is available, else aten.
DecodePath fastestDecodePath(const Mamba2Model& model);

class Decoder {
public:
    // Keeps a reference to `model`, which must outlive the decoder. Throws ssmlens::Error when `path` is not
    // available (decodePathAvailable), naming the path and what it needs.
    Decoder(const Mamba2Model& model, DecodePath path);
    ~Decoder();
    Decoder(const Decoder&) = delete;
    Decoder& operator=(const Decoder&) = delete;

    // Starts decoding from a prefill's state (ForwardOptions::cache), which is copied: the caller's cache is
    // left as it was. An empty cache starts `batch` sequences from zero states. On the graph path the first
    // start() of a batch size captures its graph (a few eager steps on scratch buffers, then the capture);
    // later ones reuse it. Throws ssmlens::Error for a cache of another model's shape.
    void start(const InferenceCache& prefilled, int64_t batch = 0);

    // ids: [B] int64, one token per sequence, on the CPU (checked there, without waiting for the device) or
    // on the model's device. Advances the state by one token and returns the logits of the next one, [B, V]
    // fp32 on the model's device. The returned tensor is the decoder's output buffer: its values are valid
    // until the next step() or start() (clone it to keep them). Nothing here waits for the device.
    const at::Tensor& step(const at::Tensor& ids);

    DecodePath path() const { return path_; }
    int64_t batch() const { return batch_; }
    // The state after the last step (on the graph path: the graph's own buffers, which the next step changes).
    const InferenceCache& state() const;
    // CUDA graphs captured so far, one per batch size started on the graph path.
    int64_t capturedGraphs() const { return static_cast<int64_t>(graphs_.size()); }

private:
    struct Graph;
    Graph& graphFor(int64_t batch);

    const Mamba2Model& model_;
    DecodePath path_;
    int64_t batch_ = 0;
    InferenceCache eager_;  // aten and fused: the state, advanced by Mamba2Model::step
    at::Tensor logits_;     // aten and fused: the last step's logits
    std::map<int64_t, std::unique_ptr<Graph>> graphs_;  // graph: one per batch size, kept for later starts
    Graph* active_ = nullptr;
};

}  // namespace ssmlens
