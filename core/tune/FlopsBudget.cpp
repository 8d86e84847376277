#include "core/tune/FlopsBudget.h"

#include <algorithm>
#include <cmath>

#include "core/Error.h"
#include "core/reduction/FlopsModel.h"

namespace ssmlens {

bool ScheduleShape::operator==(const ScheduleShape& o) const {
    ReductionSchedule a, b;
    a.method = method, a.options = options;
    b.method = o.method, b.options = o.options;
    return weight == o.weight && a == b;
}

FlopsBudget::FlopsBudget(Mamba2Config config, const std::vector<std::pair<int64_t, int64_t>>& lengths,
                         double minKeepRatio)
    : config_(std::move(config)), minKeepRatio_(minKeepRatio) {
    if (lengths.empty()) throw Error("the calibration set has no sequences");
    if (!(minKeepRatio > 0 && minKeepRatio < 1)) throw Error("the smallest keep ratio must lie in (0, 1)");
    for (const auto& l : lengths) {
        if (l.first < 1) throw Error("a calibration sequence has no tokens");
        ++lengthCounts_[l];
        ++sequences_;
    }
}

double FlopsBudget::reductionPercent(const ReductionSchedule& s) const {
    // FlopsModel's count (scheduleFlops) summed over the lengths, without building a report per length: the
    // search projects thousands of shapes, each by bisection.
    const int64_t nLayer = config_.nLayer;
    std::vector<double> keep(static_cast<size_t>(nLayer), 1.0);
    for (const auto& a : s.anchors)
        if (a.layer >= 0 && a.layer < nLayer) keep[static_cast<size_t>(a.layer)] = a.keepRatio;
    const double perToken = mamba2LayerFlopsPerToken(config_), headPerRow = 2.0 * config_.dModel * config_.vocabSize;
    double dense = 0, reduced = 0;
    for (const auto& [len, count] : lengthCounts_) {
        const double head = headPerRow * static_cast<double>(std::max<int64_t>(1, len.second));
        int64_t n = len.first, entering = 0;
        for (int64_t l = 0; l < nLayer; ++l) {
            entering += n;
            const double q = keep[static_cast<size_t>(l)];
            if (q < 1.0) n = tokensAfterAnchor(n, q, s.method);
        }
        dense += (perToken * static_cast<double>(len.first * nLayer) + head) * static_cast<double>(count);
        reduced += (perToken * static_cast<double>(entering) + head) * static_cast<double>(count);
    }
    return 100.0 * (1.0 - reduced / dense);
}

double FlopsBudget::tokenReductionPercent(const ReductionSchedule& s) const {
    double sum = 0;
    for (const auto& [len, count] : lengthCounts_)
        sum += scheduleFlops(config_, s, len.first, std::max<int64_t>(1, len.second)).tokenReductionPercent *
               static_cast<double>(count);
    return sum / static_cast<double>(sequences_);
}

ReductionSchedule FlopsBudget::scheduleAt(const ScheduleShape& shape, double scale) const {
    ReductionSchedule s;
    s.method = shape.method;
    s.options = shape.options;
    const double maxRemoval = 1.0 - minKeepRatio_;
    const int64_t lastUseful = config_.nLayer - 2;  // an anchor after the last block saves nothing
    for (int64_t l = 0; l <= lastUseful && l < static_cast<int64_t>(shape.weight.size()); ++l) {
        const double w = shape.weight[static_cast<size_t>(l)];
        if (!(w > 0)) continue;
        const double removal = std::min(maxRemoval, scale * w);
        // Rounded down to the step: a little more removal, never less. The epsilon keeps 0.7 from becoming 0.699.
        const double steps = static_cast<double>(kKeepRatioSteps);
        int64_t k = static_cast<int64_t>(std::floor((1.0 - removal) * steps + 1e-6));
        k = std::max(k, static_cast<int64_t>(std::ceil(minKeepRatio_ * steps - 1e-6)));
        if (k >= kKeepRatioSteps) continue;
        s.anchors.push_back({l, static_cast<double>(k) / steps});
    }
    return s;
}

double FlopsBudget::maxReductionPercent(ReductionMethod method) const {
    ScheduleShape all;
    all.method = method;
    all.weight.assign(static_cast<size_t>(config_.nLayer), 1.0);
    return reductionPercent(scheduleAt(all, 1e9));
}

bool FlopsBudget::project(const ScheduleShape& shape, double target, ReductionSchedule* out) const {
    double wMax = 0;
    for (double w : shape.weight) wMax = std::max(wMax, w);
    if (!(wMax > 0)) {
        if (target > 0) return false;
        *out = scheduleAt(shape, 0);
        return true;
    }
    // Every weight at its limit is the most this shape can do.
    const double saturating = (1.0 - minKeepRatio_) / [&] {
        double wMin = wMax;
        for (double w : shape.weight)
            if (w > 0) wMin = std::min(wMin, w);
        return wMin;
    }();
    if (reductionPercent(scheduleAt(shape, saturating)) < target) return false;
    // The reduction grows with the scale (each q only falls), in steps: bisect for the smallest scale that meets
    // the target, then take the schedule there.
    double lo = 0, hi = saturating;
    for (int i = 0; i < 60 && hi - lo > 1e-12 * saturating; ++i) {
        const double mid = 0.5 * (lo + hi);
        if (reductionPercent(scheduleAt(shape, mid)) >= target) hi = mid;
        else lo = mid;
    }
    *out = scheduleAt(shape, hi);
    return true;
}

ScheduleShape FlopsBudget::shapeOf(const ReductionSchedule& s) const {
    ScheduleShape shape;
    shape.method = s.method;
    shape.options = s.options;
    shape.weight.assign(static_cast<size_t>(config_.nLayer), 0.0);
    for (const auto& a : s.anchors)
        if (a.layer >= 0 && a.layer < config_.nLayer) shape.weight[static_cast<size_t>(a.layer)] = 1.0 - a.keepRatio;
    return shape;
}

}  // namespace ssmlens
