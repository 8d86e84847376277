#include "core/tune/ObjectiveModel.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ssmlens {
namespace {

// Cholesky factor L (lower, row-major n x n) of a symmetric positive definite matrix; false if it is not.
bool cholesky(std::vector<double> a, size_t n, std::vector<double>& l) {
    l.assign(n * n, 0.0);
    for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j <= i; ++j) {
            double s = a[i * n + j];
            for (size_t k = 0; k < j; ++k) s -= l[i * n + k] * l[j * n + k];
            if (i == j) {
                if (!(s > 0)) return false;
                l[i * n + i] = std::sqrt(s);
            } else {
                l[i * n + j] = s / l[j * n + j];
            }
        }
    return true;
}

// Solves L L^T x = b.
std::vector<double> choleskySolve(const std::vector<double>& l, size_t n, std::vector<double> b) {
    for (size_t i = 0; i < n; ++i) {
        for (size_t k = 0; k < i; ++k) b[i] -= l[i * n + k] * b[k];
        b[i] /= l[i * n + i];
    }
    for (size_t i = n; i-- > 0;) {
        for (size_t k = i + 1; k < n; ++k) b[i] -= l[k * n + i] * b[k];
        b[i] /= l[i * n + i];
    }
    return b;
}

template <typename T>
void oneHot(const std::vector<T>& values, T value, std::vector<double>& out) {
    // The first value is the reference level (absorbed by the constant).
    for (size_t k = 1; k < values.size(); ++k) out.push_back(values[k] == value ? 1.0 : 0.0);
}

}  // namespace

ObjectiveModel::ObjectiveModel(int64_t nLayer, ReductionMethod method)
    : layers_(std::max<int64_t>(1, nLayer - 1)), options_(searchableOptions(method)) {}

std::vector<double> ObjectiveModel::features(const ReductionSchedule& s) const {
    std::vector<double> x;
    x.reserve(static_cast<size_t>(1 + 2 * layers_) + 8);
    std::vector<double> removed(static_cast<size_t>(layers_), 0.0);
    double sum = 0, squares = 0;
    for (const ScheduleAnchor& a : s.anchors)
        if (a.layer >= 0 && a.layer < layers_) {
            const double r = 1.0 - a.keepRatio;
            removed[static_cast<size_t>(a.layer)] = r;
            sum += r;
            squares += r * r;
        }
    // The unpenalised part: a constant and the cost every layer shares.
    x.push_back(1.0);
    x.push_back(sum);
    x.push_back(squares);
    // Each layer's difference from the shared cost (penalised).
    for (double r : removed) x.push_back(r);
    for (double r : removed) x.push_back(r * r);
    oneHot(options_.metrics, s.options.metric, x);
    oneHot(options_.hidden, s.options.hidden, x);
    oneHot(options_.residual, s.options.residual, x);
    oneHot(options_.granularity, s.options.granularity, x);
    return x;
}

void ObjectiveModel::add(const ReductionSchedule& schedule, double objective, double weight) {
    if (!(objective > 0) || !std::isfinite(objective) || !(weight > 0)) return;
    rows_.push_back(features(schedule));
    y_.push_back(std::log(objective));
    w_.push_back(weight);
    if (weight >= 1.0) ++complete_;
}

bool ObjectiveModel::fit() {
    beta_.clear();
    if (complete_ < kMinObservations) return false;
    const size_t n = rows_.size(), p = rows_.front().size();
    // Normal equations of the weighted least squares: X^T W X and X^T W y.
    std::vector<double> xtx(p * p, 0.0), xty(p, 0.0);
    for (size_t i = 0; i < n; ++i) {
        const std::vector<double>& x = rows_[i];
        for (size_t a = 0; a < p; ++a) {
            if (x[a] == 0) continue;
            xty[a] += w_[i] * x[a] * y_[i];
            for (size_t b = 0; b < p; ++b) xtx[a * p + b] += w_[i] * x[a] * x[b];
        }
    }
    // The penalty with the lowest leave-one-out error (for ridge it is exact from one fit: the residual of
    // point i divided by 1 - its leverage). Every coefficient but the constant is penalised.
    static const double kPenalties[] = {1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3, 10, 30};
    double bestError = std::numeric_limits<double>::infinity();
    for (double lambda : kPenalties) {
        std::vector<double> a = xtx, l;
        for (size_t k = kShared; k < p; ++k) a[k * p + k] += lambda;
        for (size_t k = 0; k < kShared; ++k) a[k * p + k] += 1e-9;  // keeps the factor defined on degenerate data
        if (!cholesky(a, p, l)) continue;
        const std::vector<double> beta = choleskySolve(l, p, xty);
        double error = 0, weights = 0;
        for (size_t i = 0; i < n; ++i) {
            const std::vector<double>& x = rows_[i];
            double fitted = 0;
            for (size_t k = 0; k < p; ++k) fitted += beta[k] * x[k];
            const std::vector<double> ax = choleskySolve(l, p, x);
            double leverage = 0;
            for (size_t k = 0; k < p; ++k) leverage += x[k] * ax[k];
            leverage *= w_[i];
            const double loo = (y_[i] - fitted) / std::max(1e-6, 1.0 - leverage);
            error += w_[i] * loo * loo;
            weights += w_[i];
        }
        error /= weights;
        if (error < bestError) {
            bestError = error;
            beta_ = beta;
            lambda_ = lambda;
        }
    }
    return fitted();
}

double ObjectiveModel::predictLog(const ReductionSchedule& schedule) const {
    const std::vector<double> x = features(schedule);
    double v = 0;
    for (size_t k = 0; k < x.size() && k < beta_.size(); ++k) v += beta_[k] * x[k];
    return v;
}

}  // namespace ssmlens
