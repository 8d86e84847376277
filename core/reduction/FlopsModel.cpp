#include "core/reduction/FlopsModel.h"

#include <algorithm>
#include <cmath>

namespace ssmlens {

double mamba2LayerFlopsPerToken(const Mamba2Config& c) {
    const double D = c.dModel, Di = c.dInner(), G = c.ngroups, N = c.dState, H = c.nHeads(), P = c.headdim,
                 K = c.dConv, Q = c.chunkSize;
    const double inProj = 2 * D * (2 * Di + 2 * G * N + H);
    const double conv = 2 * K * (Di + 2 * G * N);
    const double ssd = 2 * Q * (G * N + H * P) / 2 + 4 * H * P * N;
    const double norm = 5 * Di;
    const double outProj = 2 * Di * D;
    return inProj + conv + ssd + norm + outProj;
}

int64_t keptTokenCount(int64_t n, double q) {
    const int64_t kept = static_cast<int64_t>(std::ceil(q * static_cast<double>(n) - 1e-9));
    return std::max<int64_t>(1, std::min(n, kept));
}

int64_t tokensAfterAnchor(int64_t n, double q, ReductionMethod method) {
    const int64_t kept = keptTokenCount(n, q);
    if (method == ReductionMethod::Evit) return kept;
    return std::max(kept, (n + 1) / 2);
}

FlopsReport scheduleFlops(const Mamba2Config& c, const ReductionSchedule& s, int64_t length, int64_t scored) {
    FlopsReport r;
    const double perToken = mamba2LayerFlopsPerToken(c);
    const double head = 2.0 * c.dModel * c.vocabSize * scored;
    int64_t n = length;
    double fractionSum = 0;
    for (int64_t l = 0; l < c.nLayer; ++l) {
        r.tokensEntering.push_back(n);
        r.denseLayerFlops.push_back(perToken * length);
        r.reducedLayerFlops.push_back(perToken * n);
        r.denseTotal += perToken * length;
        r.reducedTotal += perToken * n;
        fractionSum += static_cast<double>(n) / length;
        const double q = s.keepRatioAt(l);
        if (q < 1.0) n = tokensAfterAnchor(n, q, s.method);
    }
    r.denseTotal += head;
    r.reducedTotal += head;
    r.tokenReductionPercent = 100.0 * (1.0 - fractionSum / c.nLayer);
    r.flopsReductionPercent = 100.0 * (1.0 - r.reducedTotal / r.denseTotal);
    return r;
}

}  // namespace ssmlens
