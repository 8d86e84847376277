#include "core/tune/StartingSchedules.h"

#include <cmath>
#include <set>

namespace ssmlens {
namespace {

ScheduleShape emptyShape(int64_t nLayer, const SearchSettings& s) {
    ScheduleShape shape;
    shape.weight.assign(static_cast<size_t>(nLayer), 0.0);
    shape.method = s.method;
    shape.options = s.options;
    return shape;
}

// Weight 1 on each listed layer that can hold an anchor (0 .. nLayer - 2).
ScheduleShape onLayers(int64_t nLayer, const SearchSettings& s, const std::set<int64_t>& layers) {
    ScheduleShape shape = emptyShape(nLayer, s);
    for (int64_t l : layers)
        if (l >= 0 && l <= nLayer - 2) shape.weight[static_cast<size_t>(l)] = 1.0;
    return shape;
}

template <typename T>
T pick(const std::vector<T>& values, SearchRandom& r) {
    return values[static_cast<size_t>(r.below(static_cast<int64_t>(values.size())))];
}

}  // namespace

std::vector<Proposal> presetProposals(const FlopsBudget& budget, const SearchSettings& s) {
    const int64_t nLayer = budget.config().nLayer;
    std::vector<Proposal> out;
    ReductionSchedule paper = depthScaledSchedule(nLayer, 0.9, s.method);
    paper.options = s.options;
    ScheduleShape shape = budget.shapeOf(paper);
    for (double& w : shape.weight) w = w > 0 ? 1.0 : 0.0;
    Proposal atTarget;
    if (budget.project(shape, s.targetPercent, &atTarget.schedule)) {
        atTarget.origin = CandidateOrigin::Preset;
        atTarget.targetPercent = s.targetPercent;
        out.push_back(atTarget);
    }
    for (double q : s.presetRatios) {
        Proposal p;
        p.schedule = depthScaledSchedule(nLayer, q, s.method);
        p.schedule.options = s.options;
        p.origin = CandidateOrigin::Preset;
        p.targetPercent = budget.reductionPercent(p.schedule);
        out.push_back(p);
    }
    return out;
}

ReductionSchedule paperScheduleAtMost(const FlopsBudget& budget, double percent, ReductionMethod method,
                                      const ReductionOptions& options) {
    auto at = [&](int64_t k) {
        ReductionSchedule s = depthScaledSchedule(budget.config().nLayer, static_cast<double>(k) / kKeepRatioSteps, method);
        s.options = options;
        return s;
    };
    // The reduction falls as the ratio grows: bisect for the smallest step k with reduction(k) <= percent.
    int64_t lo = static_cast<int64_t>(std::ceil(budget.minKeepRatio() * kKeepRatioSteps)), hi = kKeepRatioSteps;
    if (budget.reductionPercent(at(lo)) <= percent) return at(lo);
    while (hi - lo > 1) {
        const int64_t mid = (lo + hi) / 2;
        if (budget.reductionPercent(at(mid)) <= percent) hi = mid;
        else lo = mid;
    }
    return at(hi);
}

std::vector<ScheduleShape> optionProbeShapes(const FlopsBudget& budget, const SearchSettings& s) {
    const SearchableOptions o = searchableOptions(s.method);
    ReductionSchedule paper = depthScaledSchedule(budget.config().nLayer, 0.9, s.method);
    ScheduleShape base = budget.shapeOf(paper);
    for (double& w : base.weight) w = w > 0 ? 1.0 : 0.0;
    base.method = s.method;
    base.options = s.options;
    std::vector<ScheduleShape> out;
    auto add = [&](const ReductionOptions& options) {
        ScheduleShape x = base;
        x.options = options;
        if (x == base) return;
        for (const ScheduleShape& y : out)
            if (y == x) return;
        out.push_back(x);
    };
    for (HiddenStrategy h : o.hidden)
        for (ResidualStrategy r : o.residual) {
            ReductionOptions v = s.options;
            v.hidden = h;
            v.residual = r;
            add(v);
        }
    for (ImportanceMetric m : o.metrics) {
        ReductionOptions v = s.options;
        v.metric = m;
        add(v);
    }
    for (Granularity g : o.granularity) {
        ReductionOptions v = s.options;
        v.granularity = g;
        add(v);
    }
    return out;
}

std::vector<ScheduleShape> structuredShapes(int64_t nLayer, const SearchSettings& s) {
    const int64_t usable = nLayer - 1;  // layers 0 .. nLayer - 2
    auto at = [&](double fraction) { return static_cast<int64_t>(std::lround(fraction * nLayer)); };
    std::vector<std::set<int64_t>> patterns;
    std::set<int64_t> all, odd, firstHalf, middle;
    for (int64_t l = 0; l < usable; ++l) {
        all.insert(l);
        if (l % 2 == 1) odd.insert(l);
        if (l < nLayer / 2) firstHalf.insert(l);
        if (l >= nLayer / 4 && l < 3 * nLayer / 4) middle.insert(l);
    }
    patterns = {all, odd, firstHalf, middle, {at(0.125), at(0.25), at(0.375)}, {at(0.25), at(0.5)}, {at(0.25)}};
    std::vector<ScheduleShape> shapes;
    for (const auto& p : patterns) shapes.push_back(onLayers(nLayer, s, p));
    if (!s.uniformRatio) {
        // Graded: more removal in later layers, and more in earlier ones.
        ScheduleShape later = emptyShape(nLayer, s), earlier = emptyShape(nLayer, s);
        for (int64_t l = 0; l < usable; ++l) {
            later.weight[static_cast<size_t>(l)] = static_cast<double>(l + 1) / static_cast<double>(usable);
            earlier.weight[static_cast<size_t>(l)] = static_cast<double>(usable - l) / static_cast<double>(usable);
        }
        shapes.push_back(later);
        shapes.push_back(earlier);
    }
    return shapes;
}

ScheduleShape randomShape(int64_t nLayer, const SearchSettings& s, SearchRandom& r) {
    ScheduleShape shape = emptyShape(nLayer, s);
    const int64_t usable = std::max<int64_t>(1, nLayer - 1);
    const int64_t count = 1 + r.below(usable);
    // A random subset of `count` layers (partial Fisher-Yates over the usable layers).
    std::vector<int64_t> layers(static_cast<size_t>(usable));
    for (int64_t l = 0; l < usable; ++l) layers[static_cast<size_t>(l)] = l;
    for (int64_t i = 0; i < count; ++i) {
        const int64_t j = i + r.below(usable - i);
        std::swap(layers[static_cast<size_t>(i)], layers[static_cast<size_t>(j)]);
        shape.weight[static_cast<size_t>(layers[static_cast<size_t>(i)])] = s.uniformRatio ? 1.0 : r.uniform(0.05, 1.0);
    }
    if (s.searchOptions) {
        const SearchableOptions o = searchableOptions(s.method);
        // Only the dimensions with a choice: the others keep the caller's values.
        if (o.metrics.size() > 1) shape.options.metric = pick(o.metrics, r);
        if (o.hidden.size() > 1) shape.options.hidden = pick(o.hidden, r);
        if (o.residual.size() > 1) shape.options.residual = pick(o.residual, r);
        if (o.granularity.size() > 1) shape.options.granularity = pick(o.granularity, r);
    }
    return shape;
}

}  // namespace ssmlens
