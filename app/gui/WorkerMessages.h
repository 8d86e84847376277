#pragma once
// The messages between the window and its ReductionWorker (ReductionWorker.h): requests go to the worker's
// thread, results come back as immutable shared structs. Plain data and free of libtorch, so the window,
// its panels and the sessions compile without the engine's headers; only the worker sees the engine.
//
// Every result says what it was computed for: the request it answers (prompt, schedule, task) and the
// model generation — ModelFacts::generation counts the loads of the worker, so a result made with an
// earlier model (or dtype, device, tokenizer) is recognised as out of date.
#include <QMetaType>
#include <QSharedPointer>
#include <QString>
#include <QStringList>
#include <atomic>
#include <memory>
#include <vector>

#include "core/eval/EvalResult.h"
#include "core/eval/ScoringMode.h"
#include "core/eval/SweepPoint.h"
#include "core/model/ModelConfig.h"
#include "core/reduction/FlopsModel.h"
#include "core/reduction/ReductionSchedule.h"
#include "core/reduction/TokenTrace.h"

namespace ssmlens {

struct ModelFacts {
    QString folder, summary, dtype, device;
    QString tokenizer;  // the tokenizer file in use: the folder's own, or one the user chose; empty: none
    Mamba2Config config;
    int layers = 0;
    qint64 parameters = 0;
    bool hasTokenizer = false;
    QStringList warnings;  // Mamba2Model::loadWarnings(): NaN or infinite weights, tensors the model ignores
    quint64 generation = 0;  // 1 for the worker's first load, +1 for every load of a model or tokenizer
};

struct ReductionRequest {
    quint64 id = 0;
    QString prompt;
    ReductionSchedule schedule;
};

// What the views draw of one run (core's ReductionRunResult without its tensors).
struct ReductionRunSummary {
    TokenTrace trace;  // with dense/reduced top-k and KL filled in
    FlopsReport flops;
    bool denseFromCache = false;
    double denseMs = 0, reducedMs = 0;
};

struct ReductionResponse {
    quint64 id = 0;
    ReductionRequest request;  // what this answers
    quint64 modelGeneration = 0;
    ReductionRunSummary run;
    QStringList tokenLabels;   // one per original position, readable (core/text/PieceLabels.h)
    std::vector<int64_t> ids;
};

struct EvalRequest {
    quint64 id = 0;
    QString task, dataPath;
    int limit = 0;  // 0: every example
    ReductionSchedule schedule;
    ScoringMode scoring = ScoringMode::Correct;
    std::shared_ptr<std::atomic<bool>> cancel;  // set from the GUI thread; the worker stops within a layer
};

// Accuracy over a grid of keep ratios (depth-scaled schedules of `method`), for the sweep plot.
struct SweepRequest {
    quint64 id = 0;
    QString task, dataPath;
    int limit = 0;
    ReductionMethod method = kDefaultReductionMethod;
    ScoringMode scoring = ScoringMode::Correct;
    std::vector<double> keepRatios;
    std::shared_ptr<std::atomic<bool>> cancel;
};

// Greedy continuations of the prompt by the dense model and after a reduced prefill.
struct ContinuationRequest {
    quint64 id = 0;
    QString prompt;
    ReductionSchedule schedule;
    int newTokens = 32;
};

struct ContinuationResult {
    quint64 id = 0;
    ContinuationRequest request;
    QString dense, reduced;            // the text before any end-of-text token
    bool denseEnded = false, reducedEnded = false;  // the model produced its end-of-text token
};

using SweepPoints = std::vector<SweepPoint>;

}  // namespace ssmlens

Q_DECLARE_METATYPE(ssmlens::ModelFacts)
Q_DECLARE_METATYPE(ssmlens::ReductionRequest)
Q_DECLARE_METATYPE(ssmlens::EvalRequest)
Q_DECLARE_METATYPE(ssmlens::SweepRequest)
Q_DECLARE_METATYPE(ssmlens::ContinuationRequest)
Q_DECLARE_METATYPE(QSharedPointer<const ssmlens::SweepPoints>)
Q_DECLARE_METATYPE(QSharedPointer<const ssmlens::EvalResult>)
Q_DECLARE_METATYPE(QSharedPointer<const ssmlens::ReductionResponse>)
Q_DECLARE_METATYPE(QSharedPointer<const ssmlens::ContinuationResult>)
