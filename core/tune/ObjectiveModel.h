#pragma once
// ObjectiveModel: a cheap model of the tuner's objective, learned from the candidates scored so far, that the
// evolutionary search uses to choose which of many possible children to evaluate (EvolutionarySearch.h).
//
// The model: log(objective) = c + sum over option values of an effect + sum over layers l of
// ((a + a_l) * r_l + (b + b_l) * r_l^2), with r_l = 1 - q_l the share of tokens removed after block l (0 where
// there is no anchor). In words: every layer has its own, smooth cost of removal (a shared cost a, b and each
// layer's difference from it), and each option scales the whole objective. That is what the objective looks like to first order (the KL of small removals adds up over
// layers; options such as the residual strategy change it by a factor), and it has few enough parameters
// (2 per layer, 2 shared, plus the option values: 39 on a 16-layer model with utr) to be fitted from a few dozen
// candidates. The fit is ridge regression on the differences and the option effects, with the penalty chosen
// by leave-one-out error, so with few points it stays close to "every layer costs the same" instead of
// fitting noise, and a layer the candidates have not tried is predicted to cost what the others do.
//
// Plain C++ (Cholesky of a matrix of at most a few hundred rows): the search must propose the same rounds
// on every machine given the same scores (resume and seeded repeatability), which a BLAS whose rounding
// depends on the build or thread count would not guarantee.
#include <cstdint>
#include <vector>

#include "core/tune/ScheduleSearch.h"

namespace ssmlens {

class ObjectiveModel {
public:
    // Fewer complete observations than this and fit() refuses (the model would be a guess).
    static constexpr size_t kMinObservations = 12;

    ObjectiveModel(int64_t nLayer, ReductionMethod method);

    // objective > 0; weight: how much the point counts (a racing-stopped candidate's extrapolated objective
    // counts less than a complete one's).
    void add(const ReductionSchedule& schedule, double objective, double weight);
    size_t observations() const { return rows_.size(); }

    // Fits to the observations so far; false (and predict() unusable) while there are too few.
    bool fit();
    bool fitted() const { return !beta_.empty(); }
    // Predicted log(objective); requires fitted().
    double predictLog(const ReductionSchedule& schedule) const;
    double penalty() const { return lambda_; }  // the ridge penalty leave-one-out chose

private:
    static constexpr size_t kShared = 3;  // unpenalised leading features: constant, sum of r, sum of r^2
    std::vector<double> features(const ReductionSchedule& schedule) const;  // [3 + 2 * layers + option values]

    int64_t layers_;  // layers that can hold an anchor (nLayer - 1)
    SearchableOptions options_;
    std::vector<std::vector<double>> rows_;
    std::vector<double> y_, w_;
    size_t complete_ = 0;
    std::vector<double> beta_;
    double lambda_ = 0;
};

}  // namespace ssmlens
