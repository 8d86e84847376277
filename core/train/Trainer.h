#pragma once
// The training loop for a Mamba-2 language model from scratch, over the same forward pass the app runs:
// next-token cross-entropy, AdamW, warm-up + cosine learning rate, gradient clipping, bf16 compute with fp32
// master weights on GPU, held-out evaluation, a loss curve (CSV), checkpoints, and exact resumption.
//
// Files in outDir:
//   loss.csv             step, tokens, learning rate, train loss, gradient norm, held-out loss / perplexity, speed
//   checkpoint/          config.json + model.safetensors (fp32 masters), optimizer.safetensors, trainer_state.json
//   model/               config.json + model.safetensors in exportDtype: the finished model, loadable everywhere
#include <cstdint>
#include <functional>
#include <string>

#include <ATen/core/Tensor.h>

#include "core/model/ModelConfig.h"
#include "core/train/AdamW.h"
#include "core/train/LearningRateSchedule.h"
#include "core/train/TokenStream.h"

namespace ssmlens {

struct TrainOptions {
    std::string outDir;
    int64_t batchSize = 32;
    int64_t seqLen = 512;
    LearningRateSchedule learningRate;  // totalSteps = the number of updates
    AdamWOptions adamw;
    double gradClip = 1.0;
    int64_t evalEvery = 200;      // updates between held-out evaluations (and at the end)
    int64_t evalWindows = 64;     // held-out windows of seqLen tokens per evaluation
    int64_t checkpointEvery = 500;
    int64_t logEvery = 10;
    double timeLimitSeconds = 0;  // stop (checkpoint, export) once this much time has passed; 0 = none
    at::Device device = at::kCPU;
    at::ScalarType computeDtype = at::kFloat;  // bf16 on GPU
    at::ScalarType exportDtype = at::kBFloat16;
    uint64_t seed = 0;
};

struct TrainProgress {
    int64_t step = 0;  // updates done
    int64_t tokens = 0;
    double learningRate = 0, trainLoss = 0, gradNorm = 0;
    double heldoutLoss = -1;  // -1 when not evaluated at this step
    double tokensPerSecond = 0, elapsedSeconds = 0;
};

struct TrainResult {
    int64_t steps = 0, tokens = 0;
    bool resumed = false, finished = false;  // finished: reached totalSteps (not stopped by the time limit)
    double heldoutLoss = 0, seconds = 0;
};

// Trains a model of `config` on `train`, evaluating on `heldout`. Resumes from outDir/checkpoint when it
// exists (its config must match). Throws ssmlens::Error for inconsistent options or files.
TrainResult trainMamba2(const Mamba2Config& config, const TokenStream& train, const TokenStream& heldout,
                        const TrainOptions& options, const std::function<void(const TrainProgress&)>& progress = {});

// Mean next-token cross-entropy (nats) of a model over the first `windows` windows of seqLen tokens of a
// stream, in batches. Used by the trainer and by `ssmlens-cli perplexity`.
class Mamba2Model;
double meanWindowLoss(const Mamba2Model& model, const TokenStream& stream, int64_t seqLen, int64_t windows,
                      int64_t batchSize);

}  // namespace ssmlens
