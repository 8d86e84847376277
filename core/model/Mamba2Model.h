#pragma once
// Mamba2Model: the whole language model — embedding, the stack of blocks with their residual stream in
// fp32, the final norm and the output head. Prefill runs a right-padded batch of sequences of different
// lengths; step() decodes one token per sequence from an InferenceCache.
#include <string>

#include <ATen/core/Tensor.h>

#include "core/model/Checkpoint.h"
#include "core/model/InferenceCache.h"
#include "core/model/LayerHook.h"
#include "core/model/Mamba2Mixer.h"
#include "core/model/Mamba2Weights.h"
#include "core/model/ModelConfig.h"

namespace ssmlens {

enum class LogitsAt { AllPositions, LastPosition, None };

// How a decode step runs the mixers: ATen operators (any device; mixerStep), or one fused CUDA kernel between
// in_proj and out_proj (mixerStepFused).
enum class StepKernels { Aten, Fused };

// A forward pass that starts part-way: the streams as they were after block `afterLayer` of an earlier pass
// on the same ids and lengths, before any hook ran there (the tuner keeps them so that every candidate
// schedule skips the blocks before its first anchor, which are the dense pass's). forward() then calls the
// hook at `afterLayer` on them and continues with block afterLayer + 1. The tensors are only read.
struct ForwardResume {
    int64_t afterLayer = 0;
    LayerStreams streams;  // hidden [B, L, D] model dtype, residual [B, L, D] fp32, lengths [B] CPU int64
};

struct ForwardOptions {
    at::Tensor lengths;               // [B] int64; undefined = every sequence is full length
    LayerHook* hook = nullptr;        // called after every block
    ScanMode scan = ScanMode::Chunked;
    LogitsAt logitsAt = LogitsAt::AllPositions;
    InferenceCache* cache = nullptr;  // filled with the state after each sequence's last token
    // Receives the intermediates it wants (hook points, core/model/HookPoint.h), per layer, as the pass computes
    // them: after a hook has shortened the sequences, those of the shorter ones.
    ActivationProbe* probe = nullptr;
    // Logits as the head computes them, in the model dtype (as transformers returns them), instead of fp32:
    // for a bf16 model at every position, the fp32 copy is a large part of the forward pass.
    bool logitsInModelDtype = false;
    const ForwardResume* resume = nullptr;  // skip the embedding and blocks 0..resume->afterLayer (no cache)
};

struct ForwardResult {
    at::Tensor logits;   // [B, L', V] fp32 (L' = L unless a hook shortened the sequences), or [B, V] for LastPosition;
                         // in the model dtype with ForwardOptions::logitsInModelDtype
    at::Tensor lengths;  // [B] valid positions of each sequence after the last hook
};

class Mamba2Model {
public:
    Mamba2Model(Mamba2Config config, Mamba2Weights weights);
    static Mamba2Model load(const std::string& dir, const LoadOptions& options = {});

    const Mamba2Config& config() const { return config_; }
    const Mamba2Weights& weights() const { return weights_; }
    at::Device device() const { return weights_.embedding.device(); }
    at::ScalarType dtype() const { return weights_.embedding.scalar_type(); }
    int64_t vocabRows() const { return weights_.lmHead.size(0); }
    // LoadedCheckpoint::warnings of the checkpoint this model came from (NaN weights, unused tensors).
    const std::vector<std::string>& loadWarnings() const { return loadWarnings_; }

    // ids: [B, L] int64 (any device). Throws ssmlens::Error for ids outside [0, vocab rows).
    ForwardResult forward(const at::Tensor& ids, const ForwardOptions& options = {}) const;
    // forward() without its two checks, the range of the ids (which reads device ids back) and the memory
    // (which asks the driver): for a caller that made both before (a CUDA graph's capture allows neither;
    // core/model/PrefillGraph.h).
    ForwardResult forwardUnchecked(const at::Tensor& ids, const ForwardOptions& options = {}) const;
    // Throws ssmlens::Error naming the sizes when a prefill of [batch, length] with these options would not fit
    // in the device's free memory (core/runtime/MemoryBudget.h); forward() asks it before anything is allocated.
    void checkPrefillFits(int64_t batch, int64_t length, const ForwardOptions& options = {}) const;
    // ids: [B]. Returns logits [B, V] fp32 and advances the cache by one token. kernels: how the mixers run
    // (StepKernels::Fused needs fusedStep(); it advances the cache's tensors in place). Throws ssmlens::Error for
    // ids outside [0, vocab rows).
    at::Tensor step(const at::Tensor& ids, InferenceCache& cache, StepKernels kernels = StepKernels::Aten) const;
    // step() without the range check of the ids, which reads them back from the device: for ids that were
    // checked before they were copied there (a CUDA graph's capture allows no such read; core/model/Decoder.cpp).
    at::Tensor stepUnchecked(const at::Tensor& ids, InferenceCache& cache, StepKernels kernels) const;
    // Whether StepKernels::Fused can run this model (on its device and dtype).
    bool fusedStep() const;
    // Throws ssmlens::Error unless ids is int64 with every id in [0, vocab rows) (reads them to the host).
    void checkIds(const at::Tensor& ids) const;

    // Logits from the final streams: RMSNorm_f(h + r) @ lm_head^T, fp32 (or in the model dtype).
    at::Tensor head(const at::Tensor& hidden, const at::Tensor& residual, bool modelDtype = false) const;

private:
    Mamba2Config config_;
    Mamba2Weights weights_;
    std::vector<std::string> loadWarnings_;
};

}  // namespace ssmlens
