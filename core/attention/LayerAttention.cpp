#include "core/attention/LayerAttention.h"

#include <algorithm>
#include <numeric>

namespace ssmlens {

std::vector<float> AttentionMatrix::row(int64_t t) const {
    std::vector<float> out(size, std::numeric_limits<float>::quiet_NaN());
    for (int64_t s = 0; s < size && t >= 0 && t < size; ++s) out[s] = values[t * size + s];
    return out;
}

std::vector<float> AttentionMatrix::column(int64_t s) const {
    std::vector<float> out(size, std::numeric_limits<float>::quiet_NaN());
    for (int64_t t = 0; t < size && s >= 0 && s < size; ++t) out[t] = values[t * size + s];
    return out;
}

namespace {

// Ranks 1..n with ties at their mean rank.
std::vector<double> ranks(const std::vector<double>& v) {
    std::vector<size_t> order(v.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
    std::vector<double> r(v.size());
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
        const double mean = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
        for (size_t k = i; k <= j; ++k) r[order[k]] = mean;
        i = j + 1;
    }
    return r;
}

}  // namespace

double rankCorrelation(const std::vector<float>& x, const std::vector<float>& y) {
    std::vector<double> a, b;
    for (size_t i = 0; i < std::min(x.size(), y.size()); ++i)
        if (std::isfinite(x[i]) && std::isfinite(y[i])) {
            a.push_back(x[i]);
            b.push_back(y[i]);
        }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (a.size() < 3) return nan;
    const std::vector<double> ra = ranks(a), rb = ranks(b);
    const double n = static_cast<double>(ra.size()), mean = (n + 1.0) / 2.0;
    double sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < ra.size(); ++i) {
        sab += (ra[i] - mean) * (rb[i] - mean);
        saa += (ra[i] - mean) * (ra[i] - mean);
        sbb += (rb[i] - mean) * (rb[i] - mean);
    }
    if (saa == 0 || sbb == 0) return nan;
    return sab / std::sqrt(saa * sbb);
}

}  // namespace ssmlens
