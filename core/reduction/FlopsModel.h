#pragma once
// Analytic FLOPs of a Mamba-2 forward pass with and without a reduction schedule (docs/token-reduction.md):
// per token and layer
//   in_proj 2 D (2 Di + 2 G N + H); conv 2 K (Di + 2 G N); SSD Q (G N + H P) + 4 H P N;
//   gated norm 5 Di; out_proj 2 Di D;   head 2 D V per scored position.
// The tokens entering each layer follow the schedule: an anchor at layer l with ratio q leaves
// max(ceil(q n), ceil(n/2)) tokens for layer l+1 (one protected token; at most half removed per anchor).
#include <cstdint>
#include <vector>

#include "core/model/ModelConfig.h"
#include "core/reduction/ReductionSchedule.h"

namespace ssmlens {

double mamba2LayerFlopsPerToken(const Mamba2Config& c);

struct FlopsReport {
    std::vector<int64_t> tokensEntering;  // per layer
    std::vector<double> denseLayerFlops, reducedLayerFlops;
    double denseTotal = 0, reducedTotal = 0;  // layers + head
    double tokenReductionPercent = 0;  // 100 * (1 - mean over layers of tokensEntering / length)
    double flopsReductionPercent = 0;  // 100 * (1 - reduced / dense)
};

// scoredPositions: positions whose logits are computed (1 for next-token prediction).
FlopsReport scheduleFlops(const Mamba2Config& config, const ReductionSchedule& schedule, int64_t length,
                          int64_t scoredPositions = 1);
// The number of tokens kept at ratio q: ceil(q N), at least 1, robust to q N landing a rounding error
// above an integer.
int64_t keptTokenCount(int64_t n, double keepRatio);
// Tokens after one anchor, as scheduleFlops counts them.
int64_t tokensAfterAnchor(int64_t n, double keepRatio, ReductionMethod method);

}  // namespace ssmlens
