#pragma once
// ReductionWorker lives on its own QThread and owns the model: loading a checkpoint and running a prompt
// dense and reduced never happen on the GUI thread. Results travel back as immutable shared structs.
#include <QObject>
#include <QSharedPointer>
#include <QString>
#include <QStringList>
#include <atomic>
#include <memory>

#include "app/gui/AttentionMessages.h"
#include "core/eval/AccuracySweep.h"
#include "core/eval/EvalResult.h"
#include "core/model/Mamba2Model.h"
#include "core/reduction/ReductionRun.h"
#include "core/reduction/ReductionSchedule.h"
#include "core/text/Tokenizer.h"

namespace ssmlens {

struct ModelFacts {
    QString folder, summary, dtype, device;
    QString tokenizer;  // the tokenizer file in use: the folder's own, or one the user chose; empty: none
    Mamba2Config config;
    int layers = 0;
    qint64 parameters = 0;
    bool hasTokenizer = false;
};

struct ReductionRequest {
    quint64 id = 0;
    QString prompt;
    ReductionSchedule schedule;
};

struct ReductionResponse {
    quint64 id = 0;
    ReductionRunResult run;
    QStringList tokenLabels;  // one per original position
    std::vector<int64_t> ids;
};

struct EvalRequest {
    quint64 id = 0;
    QString task, dataPath;
    int limit = 0;  // 0: every example
    ReductionSchedule schedule;
    ScoringMode scoring = ScoringMode::Correct;
    std::shared_ptr<std::atomic<bool>> cancel;  // set from the GUI thread to stop between batches
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

using SweepPoints = std::vector<SweepPoint>;

class ReductionWorker : public QObject {
    Q_OBJECT
public:
    explicit ReductionWorker(QObject* parent = nullptr);
    ~ReductionWorker() override;

public Q_SLOTS:
    // tokenizer: a tokenizer file (tokenizer.json or a sentencepiece .model) to use instead of the folder's
    // own; empty: the folder's (official state-spaces checkpoints have none: they use GPT-NeoX-20B's).
    void loadModel(const QString& folder, const QString& dtype, const QString& device,
                   const QString& tokenizer = QString());
    void loadTokenizer(const QString& path);
    // On by default; the latency benchmark turns it off to measure what a move costs without it.
    void setReuseDensePass(bool reuse) { reuseDensePass_ = reuse; }  // for the loaded model; modelLoaded again with the new facts
    void run(const ssmlens::ReductionRequest& request);
    void evaluate(const ssmlens::EvalRequest& request);
    void sweep(const ssmlens::SweepRequest& request);
    void continueText(const ssmlens::ContinuationRequest& request);
    // One layer's implicit attention from the kernels of the last run (core/attention/AttentionSummaries.h).
    void attention(const ssmlens::AttentionRequest& request);

Q_SIGNALS:
    void modelLoaded(const ssmlens::ModelFacts& facts);
    void finished(QSharedPointer<const ssmlens::ReductionResponse> response);
    void evalProgress(quint64 requestId, qint64 done, qint64 total);
    void evalFinished(quint64 requestId, QSharedPointer<const ssmlens::EvalResult> result);
    void evalFailed(quint64 requestId, const QString& message);
    void sweepFinished(quint64 requestId, QSharedPointer<const ssmlens::SweepPoints> points);
    void continuationsReady(quint64 requestId, const QString& dense, const QString& reduced);
    // where: what failed (the file, the prompt); message: what is wrong.
    void failed(quint64 requestId, const QString& message);
    void attentionReady(QSharedPointer<const ssmlens::AttentionResponse> response);
    void attentionFailed(quint64 requestId, const QString& message);

private:
    std::vector<int64_t> promptIds(const QString& prompt, QStringList* labels) const;
    std::unique_ptr<Mamba2Model> model_;
    std::unique_ptr<Tokenizer> tokenizer_;
    ModelFacts facts_;  // of the loaded model
    bool reuseDensePass_ = true;
    DenseRunCache denseCache_;  // the dense pass of the last prompt (reset with the model and tokenizer)
    // The SSM kernels of the last run's passes, for the Attention view (defined in the .cpp: keeps torch types out
    // of this header).
    struct AttentionKernels;
    std::unique_ptr<AttentionKernels> attention_;
};

}  // namespace ssmlens

Q_DECLARE_METATYPE(ssmlens::ModelFacts)
Q_DECLARE_METATYPE(ssmlens::ReductionRequest)
Q_DECLARE_METATYPE(ssmlens::EvalRequest)
Q_DECLARE_METATYPE(ssmlens::SweepRequest)
Q_DECLARE_METATYPE(ssmlens::ContinuationRequest)
Q_DECLARE_METATYPE(QSharedPointer<const ssmlens::SweepPoints>)
Q_DECLARE_METATYPE(QSharedPointer<const ssmlens::EvalResult>)
Q_DECLARE_METATYPE(QSharedPointer<const ssmlens::ReductionResponse>)
