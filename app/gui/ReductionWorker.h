#pragma once
// ReductionWorker lives on its own QThread and owns the model: loading a checkpoint and running a prompt
// dense and reduced never happen on the GUI thread. Requests and results are the plain structs of
// WorkerMessages.h; the engine's types stay behind this class (only ReductionWorker.cpp sees libtorch).
// Its messages for the user are translated (tr); core's errors, which name the file and the problem,
// come through as they are.
#include <QObject>
#include <QSharedPointer>
#include <QString>
#include <memory>

#include "app/gui/AttentionMessages.h"
#include "app/gui/WorkerMessages.h"

namespace ssmlens {

class Mamba2Model;
class Tokenizer;
struct DenseRunCache;

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
    void loadTokenizer(const QString& path);  // for the loaded model; modelLoaded again with the new facts
    // On by default; the latency benchmark turns it off to measure what a move costs without it.
    void setReuseDensePass(bool reuse) { reuseDensePass_ = reuse; }
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
    void evalCancelled(quint64 requestId);
    void sweepFinished(quint64 requestId, QSharedPointer<const ssmlens::SweepPoints> points);
    void continuationsReady(QSharedPointer<const ssmlens::ContinuationResult> result);
    // requestId 0: loading a model or tokenizer failed. message: what failed and why (the file, the prompt).
    void failed(quint64 requestId, const QString& message);
    void attentionReady(QSharedPointer<const ssmlens::AttentionResponse> response);
    void attentionFailed(quint64 requestId, const QString& message);

private:
    std::vector<int64_t> promptIds(const QString& prompt, QStringList* labels) const;
    std::unique_ptr<Mamba2Model> model_;
    std::unique_ptr<Tokenizer> tokenizer_;
    ModelFacts facts_;  // of the loaded model
    bool reuseDensePass_ = true;
    std::unique_ptr<DenseRunCache> denseCache_;  // the dense pass of the last prompt (reset with the model)
    // The SSM kernels of the last run's passes, for the Attention view (defined in the .cpp: keeps torch types out
    // of this header).
    struct AttentionKernels;
    std::unique_ptr<AttentionKernels> attention_;
};

}  // namespace ssmlens
