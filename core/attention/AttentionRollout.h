#pragma once
// Which input tokens the next-token prediction draws on, across all layers: attention rollout (Abnar and
// Zuidema, "Quantifying Attention Flow in Transformers", ACL 2020), applied to Mamba's implicit attention as Ali,
// Zimerman and Wolf do ("The Hidden Attention of Mamba Models", 2024, arXiv 2403.01590). docs/implicit-attention.md
// explains it; in short, per layer l with the tokens entering it:
//   N_l = mean over heads of the row-normalised |M_l[h]|     (row t: the fractions of what token t reads)
//   Â_l = 0.5 N_l + 0.5 I                                    (the residual stream carries half, as in Abnar-Zuidema)
// and the attribution of the prediction at the last position is the last row of Â_{L-1} ... Â_1 Â_0.
// With token reduction, the anchor after layer l maps the tokens leaving it back to those entering it: a
// survivor stands for itself and the tokens merged into it, weighted by the original tokens each stands for
// (the size-weighted average of the residual stream, docs/token-reduction.md); a pruned token hands nothing on.
// Everything is in prompt coordinates, so dense and reduced attributions compare position by position.
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/reduction/TokenTrace.h"

namespace ssmlens {

struct AttentionRolloutResult {
    at::Tensor attribution;  // [T] fp32, sums to 1: the share of the last position's prediction from each token
    at::Tensor perLayer;     // [L, T] fp32 when asked for: row l, the same for the last token's stream after layer l
                             // (and that layer's reduction); the last row equals attribution
};

// normalizedLayers[l]: N_l in prompt coordinates, [T, T] (AttentionSelection{-1, Mean, true} through
// PassKernels::promptAttention), NaN in rows and columns of tokens absent from layer l. trace: the pass's token
// trace with a reduction hook (its anchors' fates and destinations), null for the dense pass. Computed in fp32 on
// the matrices' device (perLayer: L chains of matrix-vector products, O(L^2 T^2)); the result is on the CPU.
// Throws ssmlens::Error for inconsistent inputs.
AttentionRolloutResult attentionRollout(const std::vector<at::Tensor>& normalizedLayers, const TokenTrace* trace,
                                        bool perLayer = false);

// The map of one anchor in prompt coordinates: [T, T] fp64 on the CPU, row b (a token after the anchor) the weights of the
// tokens before it that b's residual stream is made of (rows of tokens that left are 0). sizes: the original
// tokens each position stands for before the anchor ([T], updated to after it).
at::Tensor reductionMap(const LayerTrace& anchor, std::vector<double>& sizes);

}  // namespace ssmlens
