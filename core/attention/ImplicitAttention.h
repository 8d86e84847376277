#pragma once
// The implicit attention of a Mamba-2 layer: its SSM written as a masked matrix acting on the sequence
// (docs/implicit-attention.md). Per head h, with group g = h / (H / G) for B and C:
//   M[h, t, s] = (C_t . B_s) * exp(sum_{k=s+1..t} dt_k[h] * A[h]) * dt_s[h]    for s <= t, 0 for s > t
// so that the SSM's output is y_t = sum_s M[h, t, s] x_s + D[h] x_t (x, B, C after the conv and SiLU: the hook
// points hook_ssm_input, hook_B, hook_C, hook_delta, hook_A of core/model/HookPoint.h). M is blocks.L.hook_pattern.
//
// Computed exactly, in fp32 with the decay exponents summed in fp64 (a difference of fp32 cumulative sums
// would lose the small exponents near the diagonal to the large ones before them), on the kernel's device, in
// tiles of rows: besides the output, memory holds one tile (kAttentionTileBytes, on a GPU kAttentionTileBytesGpu).
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/attention/LayerAttention.h"  // HeadAggregate, AttentionSelection

namespace ssmlens {

// What M of one layer depends on, for one sequence of T tokens (those entering the layer).
struct SsmKernel {
    at::Tensor B;   // [T, G, N] (any float dtype; the products run in fp32)
    at::Tensor C;   // [T, G, N]
    at::Tensor dt;  // [T, H] fp32, after softplus
    at::Tensor A;   // [H] fp32, negative
    int64_t tokens() const { return B.defined() ? B.size(0) : 0; }
    int64_t heads() const { return A.defined() ? A.size(0) : 0; }
};

// Bytes of temporaries per tile of rows (fp64 exponents, fp32 products); a tile holds at least one row. On a GPU
// larger tiles: fewer, larger launches (2.7b at 2048 tokens: 2.6 MB a row, 12 tiles instead of 82).
inline constexpr int64_t kAttentionTileBytes = int64_t{64} << 20;
inline constexpr int64_t kAttentionTileBytesGpu = int64_t{512} << 20;

struct AttentionTiling {
    int64_t rowsPerTile = 0;  // 0: as many rows as the tile bytes of the device allow (tests force small tiles)
};

// M of one layer: fp32 on the kernel's device, [H, T, T] for every head, [T, T] for one head or an aggregate.
// Throws ssmlens::Error for a head out of range or inconsistent shapes, and (on the CPU) when the result would
// not fit in the memory available.
at::Tensor implicitAttention(const SsmKernel& kernel, const AttentionSelection& selection = {},
                             const AttentionTiling& tiling = {});

// Bytes of implicitAttention's result for T tokens and H heads.
int64_t implicitAttentionBytes(int64_t tokens, int64_t heads, const AttentionSelection& selection);

// A matrix over the n tokens entering a layer, [..., n, n], placed in the coordinates of the original prompt of
// promptLength tokens: rows and columns at positions[i] (the original position of token i, ascending), NaN in the
// rows and columns of positions that are not there (removed by token reduction before this layer).
at::Tensor toPromptCoordinates(const at::Tensor& matrix, const std::vector<int64_t>& positions, int64_t promptLength);

// The share of all reads that goes to each token: column sums of a row-normalised [T, T] matrix (rows that are
// NaN, tokens absent from the layer, skipped). [T] fp32; NaN for absent columns.
at::Tensor attentionReceived(const at::Tensor& normalizedRows);

}  // namespace ssmlens
