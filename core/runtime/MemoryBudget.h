#pragma once
// Refusing work that cannot fit before it allocates: a 100,000-token prompt needs ~20 GB for the logits of
// every position alone, and the CPU would swap for minutes (or the GPU fail deep inside a kernel) before
// anything said why. Mamba2Model::forward estimates the peak of a prefill from its shape and compares it with
// the memory the device has free; beyond it, an ssmlens::Error says how much is needed, how much there is,
// and what to change. The estimate is calibrated against measured peaks (docs/reliability.md).
#include <cstdint>
#include <string>

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include "core/model/ModelConfig.h"

namespace ssmlens {

struct PrefillFootprint {
    uint64_t activations = 0;  // one layer's working set (scan matrices, projections) and the residual streams;
                               // every layer's, when gradients are kept for training
    uint64_t logits = 0;       // fp32 logits of the positions asked for
    uint64_t similarity = 0;   // token reduction: the [L/2, L/2] similarity of an anchor layer
    uint64_t total() const {  // saturating: absurd shapes give UINT64_MAX, not a small wrapped sum
        const uint64_t sum = activations + logits;
        const uint64_t all = sum < activations ? UINT64_MAX : sum + similarity;
        return all < sum ? UINT64_MAX : all;
    }
};

struct PrefillShape {
    int64_t batch = 1, length = 1;
    bool allPositionLogits = true;  // false: the last position only
    bool noLogits = false;          // hidden states only
    bool tokenReduction = false;    // a hook may compute similarity matrices
    bool keepsGradients = false;    // autograd keeps every layer's activations (training)
};

// The peak a prefill of this shape needs beyond the weights, on `device` (its chunk size decides the scan's
// matrices), with the model in `dtype`.
PrefillFootprint estimatePrefill(const Mamba2Config& config, const PrefillShape& shape, at::ScalarType dtype,
                                 const c10::Device& device);

// Bytes free for new allocations: on the CPU the kernel's MemAvailable, lowered to the cgroup limit when the
// process runs in a container and to its own limits (ulimit -d, -v); on a GPU the driver's free memory plus what the caching allocator holds unused.
// Returns UINT64_MAX when it cannot be told (then nothing is refused).
uint64_t availableMemory(const c10::Device& device);

// Throws ssmlens::Error when the estimate exceeds availableMemory(device): "the prompt has 100000 tokens: a
// prefill needs about 27.3 GiB (logits of every position 18.7 GiB, ...) but 9.8 GiB are free on cpu; ...".
void requirePrefillFits(const Mamba2Config& config, const PrefillShape& shape, at::ScalarType dtype,
                        const c10::Device& device);
// The same against a given number of free bytes (tests).
void requirePrefillFits(const Mamba2Config& config, const PrefillShape& shape, at::ScalarType dtype,
                        const c10::Device& device, uint64_t available);

// Before weights are created from a shape (random-model, train): refuses, with the sizes, when `copies`
// fp32-sized copies of the parameters (2 for a checkpoint written as torch.save, which serializes in memory; 4 for
// training: weights, gradients and AdamW's two moments) do not fit the device's free memory. `what` names the
// shape's source in the message.
void requireParametersFit(const Mamba2Config& config, int copies, const c10::Device& device, const std::string& what);

}  // namespace ssmlens
