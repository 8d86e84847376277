#include "core/attention/ImplicitAttention.h"

#include <algorithm>
#include <limits>
#include <string>

#include <ATen/ATen.h>

#include "core/Error.h"
#include "core/io/InputFile.h"
#include "core/runtime/MemoryBudget.h"

namespace ssmlens {
namespace {


void checkKernel(const SsmKernel& k) {
    if (!k.B.defined() || !k.C.defined() || !k.dt.defined() || !k.A.defined())
        throw Error("implicit attention: the layer's B, C, dt or A is missing");
    const int64_t T = k.B.size(0), H = k.A.size(0);
    if (k.B.dim() != 3 || k.C.sizes() != k.B.sizes() || k.dt.dim() != 2 || k.dt.size(0) != T || k.dt.size(1) != H ||
        k.A.dim() != 1)
        throw Error("implicit attention: inconsistent shapes (B [T, G, N], C like B, dt [T, H], A [H])");
    const int64_t G = k.B.size(1);
    if (G < 1 || H % G != 0)
        throw Error("implicit attention: " + std::to_string(H) + " heads do not split into " + std::to_string(G) +
                    " groups");
}

}  // namespace

int64_t implicitAttentionBytes(int64_t tokens, int64_t heads, const AttentionSelection& selection) {
    const bool allHeads = selection.head < 0 && selection.aggregate == HeadAggregate::None;
    return (allHeads ? heads : 1) * tokens * tokens * static_cast<int64_t>(sizeof(float));
}

at::Tensor implicitAttention(const SsmKernel& k, const AttentionSelection& sel, const AttentionTiling& tiling) {
    checkKernel(k);
    const int64_t T = k.B.size(0), G = k.B.size(1), H = k.A.size(0), R = H / G;
    if (sel.head >= H) throw Error("head " + std::to_string(sel.head) + " does not exist: the layer has " +
                                   std::to_string(H) + " heads (0.." + std::to_string(H - 1) + ")");
    if (sel.head >= 0 && sel.aggregate != HeadAggregate::None)
        throw Error("implicit attention: one head and an aggregate over heads were both asked for");
    const at::TensorOptions f32 = k.dt.options().dtype(at::kFloat);
    const int64_t bytes = implicitAttentionBytes(T, H, sel);
    if (k.dt.is_cpu()) {
        // The free memory as the prefill check sees it (MemAvailable, the cgroup limit, ulimit -d/-v).
        const uint64_t available = availableMemory(k.dt.device());
        if (uint64_t(bytes) + kAttentionTileBytes > available)
            throw Error("the attention matrix of " + std::to_string(T) + " tokens" +
                        (bytes > T * T * 4 ? " and " + std::to_string(H) + " heads" : std::string()) + " needs " +
                        byteCountText(uint64_t(bytes)) + ", more than the " + byteCountText(available) + " free on " +
                        k.dt.device().str() +
                        " (ask for one head or an aggregate over heads, or a shorter prompt)");
    }

    // The heads computed: one, or all of them (head j of group g is j = g * R + r).
    const bool oneHead = sel.head >= 0;
    const int64_t Hc = oneHead ? 1 : H;
    at::Tensor dt = k.dt.to(at::kFloat);                                            // [T, H]
    at::Tensor A = k.A.to(at::kFloat);                                              // [H]
    if (oneHead) {
        dt = dt.narrow(1, sel.head, 1);
        A = A.narrow(0, sel.head, 1);
    }
    // Cumulative log-decay per head in fp64: the exponent of M[t, s] is cum[t] - cum[s].
    const at::Tensor cum = at::cumsum(dt.to(at::kDouble) * A.to(at::kDouble), 0).t().contiguous();  // [Hc, T]
    const at::Tensor dtCols = dt.t().contiguous();                                                // [Hc, T]
    // B and C per group, [G', T, N] (G' = 1 for one head: its own group).
    at::Tensor Bg = k.B.to(at::kFloat).permute({1, 0, 2});
    at::Tensor Cg = k.C.to(at::kFloat).permute({1, 0, 2});
    if (oneHead) {
        Bg = Bg.narrow(0, sel.head / R, 1);
        Cg = Cg.narrow(0, sel.head / R, 1);
    }
    const int64_t Gc = Bg.size(0), Rc = Hc / Gc;

    const bool aggregated = oneHead || sel.aggregate != HeadAggregate::None;
    at::Tensor out = aggregated ? at::zeros({T, T}, f32) : at::zeros({H, T, T}, f32);
    // Rows per tile: the fp64 exponents and fp32 products of Hc heads over up to T columns, 16 bytes a cell.
    const int64_t tileBytes = k.dt.is_cpu() ? kAttentionTileBytes : kAttentionTileBytesGpu;
    int64_t rows = tiling.rowsPerTile > 0 ? tiling.rowsPerTile
                                          : std::max<int64_t>(1, tileBytes / std::max<int64_t>(1, 16 * Hc * T));
    rows = std::min(rows, std::max<int64_t>(T, 1));
    for (int64_t t0 = 0; t0 < T; t0 += rows) {
        const int64_t r = std::min(rows, T - t0), n = t0 + r;  // rows t0..t0+r-1 read columns 0..n-1
        // C_t . B_s per group: [Gc, r, n]
        const at::Tensor cb = at::matmul(Cg.narrow(1, t0, r), Bg.narrow(1, 0, n).transpose(1, 2));
        // exp(cum[t] - cum[s]) for s <= t, 0 above the diagonal: [Hc, r, n]
        at::Tensor exponent = (cum.narrow(1, t0, r).unsqueeze(2) - cum.narrow(1, 0, n).unsqueeze(1)).to(at::kFloat);
        const at::Tensor above = at::arange(n, k.dt.options().dtype(at::kLong)).unsqueeze(0) >
                                 at::arange(t0, n, k.dt.options().dtype(at::kLong)).unsqueeze(1);  // [r, n]
        exponent.masked_fill_(above, -std::numeric_limits<float>::infinity());
        at::Tensor m = exponent.exp_().view({Gc, Rc, r, n}).mul_(cb.unsqueeze(1)).view({Hc, r, n});
        m.mul_(dtCols.narrow(1, 0, n).unsqueeze(1));
        if (sel.normalizeRows) {
            m.abs_();
            m.div_(m.sum(-1, true).clamp_min(std::numeric_limits<float>::min()));
        }
        at::Tensor tile;
        if (oneHead || sel.aggregate == HeadAggregate::None) tile = oneHead ? m.select(0, 0) : m;
        else if (sel.aggregate == HeadAggregate::Mean) tile = m.mean(0);
        else tile = m.abs().amax(0);
        out.narrow(-2, t0, r).narrow(-1, 0, n).copy_(tile);
    }
    return out;
}

at::Tensor toPromptCoordinates(const at::Tensor& matrix, const std::vector<int64_t>& positions, int64_t promptLength) {
    const int64_t n = static_cast<int64_t>(positions.size());
    if (matrix.dim() < 2 || matrix.size(-1) != n || matrix.size(-2) != n)
        throw Error("toPromptCoordinates: the matrix is not [.., " + std::to_string(n) + ", " + std::to_string(n) +
                    "] for " + std::to_string(n) + " positions");
    for (int64_t i = 0; i < n; ++i)
        if (positions[i] < 0 || positions[i] >= promptLength || (i > 0 && positions[i] <= positions[i - 1]))
            throw Error("toPromptCoordinates: positions must ascend within the prompt of " +
                        std::to_string(promptLength) + " tokens");
    const at::Tensor index = at::tensor(positions, at::kLong).to(matrix.device());
    std::vector<int64_t> shape = matrix.sizes().vec();
    shape.back() = promptLength;
    at::Tensor columns = at::full(shape, std::numeric_limits<float>::quiet_NaN(), matrix.options());
    columns.index_copy_(-1, index, matrix);
    shape[shape.size() - 2] = promptLength;
    at::Tensor out = at::full(shape, std::numeric_limits<float>::quiet_NaN(), matrix.options());
    out.index_copy_(-2, index, columns);
    return out;
}

at::Tensor attentionReceived(const at::Tensor& normalizedRows) {
    if (normalizedRows.dim() != 2 || normalizedRows.size(0) != normalizedRows.size(1))
        throw Error("attentionReceived: expects a [T, T] matrix");
    const at::Tensor present = normalizedRows.isnan().logical_not().any(0);  // columns of tokens that are there
    at::Tensor received = at::nan_to_num(normalizedRows, 0.0).sum(0);
    return received.masked_fill_(present.logical_not(), std::numeric_limits<float>::quiet_NaN());
}

}  // namespace ssmlens
