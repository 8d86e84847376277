#include "core/eval/EvalMetrics.h"

#include <cmath>

namespace ssmlens {
namespace {

int64_t firstArgmax(const std::vector<double>& v) {
    int64_t best = 0;
    for (size_t i = 1; i < v.size(); ++i)
        if (v[i] > v[best]) best = static_cast<int64_t>(i);
    return best;
}

// lm-eval's mean_stderr: sample standard deviation / sqrt(n).
double meanStderr(const std::vector<double>& x) {
    const double n = static_cast<double>(x.size());
    if (x.size() < 2) return kNoValue;
    double mean = 0, ss = 0;
    for (double v : x) mean += v / n;
    for (double v : x) ss += (v - mean) * (v - mean);
    return std::sqrt(ss / (n - 1)) / std::sqrt(n);
}

double mean(const std::vector<double>& x) {
    if (x.empty()) return kNoValue;
    double s = 0;
    for (double v : x) s += v;
    return s / static_cast<double>(x.size());
}

}  // namespace

ExampleOutcome exampleOutcome(const TaskInfo& task, const ExampleResult& e, bool reduced) {
    ExampleOutcome o;
    std::vector<double> ll, llNorm;
    for (const ChoiceResult& c : e.choices) {
        const RequestScore& s = reduced ? c.reduced : c.dense;
        o.scorable = o.scorable && s.scorable;
        ll.push_back(s.loglikelihood);
        llNorm.push_back(s.loglikelihood / c.normLength);
    }
    if (!o.scorable || e.choices.empty()) {
        o.scorable = false;
        return o;
    }
    if (!task.multipleChoice) {
        o.acc = (reduced ? e.choices[0].reduced : e.choices[0].dense).greedy;
        return o;
    }
    o.prediction = firstArgmax(ll);
    o.predictionNorm = firstArgmax(llNorm);
    o.acc = o.prediction == e.gold;
    o.accNorm = o.predictionNorm == e.gold;
    return o;
}

EvalSummary summarizeEval(const std::string& taskName, const std::vector<ExampleResult>& examples, bool reduced) {
    const TaskInfo& task = evalTask(taskName);
    EvalSummary s;
    s.examples = static_cast<int64_t>(examples.size());
    std::vector<double> acc[2], accNorm[2], ll[2];
    double requests = 0, tokenRed = 0, measured = 0, denseFlops = 0, reducedFlops = 0;
    for (const ExampleResult& e : examples) {
        for (int v = 0; v < (reduced ? 2 : 1); ++v) {
            const ExampleOutcome o = exampleOutcome(task, e, v == 1);
            acc[v].push_back(o.acc);
            accNorm[v].push_back(o.accNorm);
            if (o.scorable && !task.multipleChoice) ll[v].push_back((v ? e.choices[0].reduced : e.choices[0].dense).loglikelihood);
            if (v == 1 && !o.scorable) ++s.unscorableExamples;
        }
        for (const ChoiceResult& c : e.choices) {
            ++requests;
            denseFlops += c.denseFlops;
            if (!reduced) continue;
            s.unscorableRequests += !c.reduced.scorable;
            s.misreadRequests += c.reduced.misread;
            s.shortReadRequests += c.reduced.scorable && c.reduced.tokensRead < c.reduced.scoredTokens;
            tokenRed += c.tokenReductionPercent;
            measured += c.reduced.measuredTokenReductionPercent;
            reducedFlops += c.reducedFlops;
        }
    }
    if (reduced && requests > 0) {
        s.tokenReductionPercent = tokenRed / requests;
        s.measuredTokenReductionPercent = measured / requests;
        s.flopsReductionPercent = denseFlops > 0 ? 100.0 * (1.0 - reducedFlops / denseFlops) : 0.0;
    }
    for (EvalMetric m : task.metrics) {
        MetricSummary ms;
        ms.metric = m;
        for (int v = 0; v < (reduced ? 2 : 1); ++v) {
            double value = kNoValue, err = kNoValue;
            if (m == EvalMetric::Perplexity) {
                value = ll[v].empty() ? kNoValue : std::exp(-mean(ll[v]));
            } else {
                const std::vector<double>& x = m == EvalMetric::Acc ? acc[v] : accNorm[v];
                value = mean(x);
                err = meanStderr(x);
            }
            (v ? ms.reduced : ms.dense) = value;
            (v ? ms.reducedStderr : ms.denseStderr) = err;
        }
        s.metrics.push_back(ms);
    }
    return s;
}

}  // namespace ssmlens
