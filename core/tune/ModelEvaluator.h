#pragma once
// ModelEvaluator: the CandidateEvaluator that runs the model in this process. The objective of a schedule is
//   mean over calibration sequences of ( mean over the sequence's scored positions of KL(dense || reduced) )
// in nats: how far the reduced model's next-token distributions move from the dense model's where it
// matters (the positions a task scores; they are protected under reduction, as `eval` protects them). It
// needs no labels and uses every token's probability, not only the correct one's, so it separates schedules
// with far fewer sequences than accuracy does, and it rewards staying close to the model rather than fitting
// the calibration answers.
//
// Reuse of the dense pass: the dense model runs once, at construction, for the reference distributions
// (log-probabilities [scored positions, V], fp32, on the model's device). The blocks before a schedule's
// first anchor compute exactly the dense pass, so the streams after such a block are kept (per batch, on the
// model's device, least recently used dropped beyond prefixCacheBytes) and a candidate whose first anchor is
// at or after a kept block starts there (ForwardResume) instead of at the embedding.
//
// A scored position that reduction removed (possible only without span protection, e.g. utr-reference)
// counts as if the reduced model had predicted a uniform distribution there: KL(dense || uniform).
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/model/Mamba2Model.h"
#include "core/tune/CalibrationSet.h"
#include "core/tune/CandidateEvaluator.h"

namespace ssmlens {

struct ModelEvaluatorOptions {
    int64_t batchSize = 8;                     // sequences per forward pass (longest first)
    int64_t prefixCacheBytes = int64_t{1} << 30;  // dense streams kept for later candidates; 0: none
    std::function<void(int64_t done, int64_t total)> denseProgress;  // batches of the dense pass
    std::function<bool()> stop;  // polled during the dense pass (after every block); true: EvalCancelled is thrown
};

class ModelEvaluator : public CandidateEvaluator {
public:
    // Runs the dense pass. model and calibration must outlive the evaluator. Throws EvalCancelled when
    // options.stop says so.
    ModelEvaluator(const Mamba2Model& model, const CalibrationSet& calibration, ModelEvaluatorOptions options = {});

    void evaluate(const std::vector<ReductionSchedule>& round, const std::vector<std::vector<double>>& rejectAbove,
                  const std::function<void(size_t, const CandidateScore&)>& done,
                  const std::function<bool()>& stop) override;
    std::string description() const override;

    // One schedule; *stopped (when given) says whether stop() cut it short (the score is then meaningless).
    // rejectAbove: the racing bounds per checkpoint (CandidateEvaluator::evaluate).
    CandidateScore score(const ReductionSchedule& schedule, const std::function<bool()>& stop = {}, bool* stopped = nullptr,
                         const std::vector<double>& rejectAbove = {});
    // Checkpoints: after this many batches (in processing order) the running objective is recorded.
    const std::vector<size_t>& checkpointBatches() const { return checkpointBatches_; }
    // Per sequence, for the held-out report: the mean KL and the summed NLL over its scored positions.
    struct SequenceScore {
        double meanKl = 0, nll = 0;
        int64_t positions = 0, lost = 0;
    };
    std::vector<SequenceScore> sequenceScores(const ReductionSchedule& schedule);
    double denseNll() const { return denseNll_; }  // mean NLL at the scored positions under the dense model, nats
    double denseSeconds() const { return denseSeconds_; }
    int64_t cachedLayers() const { return static_cast<int64_t>(cache_.size()); }
    int64_t resumedPasses() const { return resumedPasses_; }  // forward passes that started from kept streams

private:
    struct Batch {
        at::Tensor ids, lengths;                     // [B, L] int64 on the device, [B] int64 CPU
        std::vector<size_t> sequence;                // calibration index of each row
        std::vector<std::set<int64_t>> protect;      // scored positions of each row
        at::Tensor denseLogProbs;                    // [R, V] fp32, rows: each row's scored positions in order
        at::Tensor denseKlToUniform;                 // [R] KL(dense || uniform), for removed positions
        at::Tensor targets;                          // [R] int64
        std::vector<int64_t> rowStart;               // [B] first row of each sequence in the R rows
    };
    struct CachedLayer {
        std::vector<LayerStreams> batches;  // the streams after the block, before any hook, per batch
        int64_t bytes = 0;
        uint64_t lastUse = 0;
    };
    // start: kept streams to resume from (after block startLayer), or null for a whole forward pass. record:
    // receives the streams after block recordLayer (before the reduction there).
    void scoreBatch(size_t b, const ReductionSchedule& schedule, const CachedLayer* start, int64_t startLayer,
                    std::vector<SequenceScore>& out, std::vector<LayerStreams>* record, int64_t recordLayer,
                    const std::function<bool()>& stop);
    struct RunResult {
        std::vector<SequenceScore> sequences;
        std::vector<double> checkpoints;
        size_t batchesDone = 0;
        bool stopped = false;
    };
    RunResult run(const ReductionSchedule& schedule, const std::function<bool()>& stop,
                  const std::vector<double>& rejectAbove);

    const Mamba2Model& model_;
    const CalibrationSet& calibration_;
    ModelEvaluatorOptions options_;
    std::vector<Batch> batches_;           // longest sequences first (little padding)
    std::vector<size_t> order_;            // the order batches are scored in: longest, shortest, second
                                           // longest, ... so that the sequences before a checkpoint mix the
                                           // sources (which differ in length) as the whole set does
    std::vector<size_t> checkpointBatches_;
    std::map<int64_t, CachedLayer> cache_;  // by layer
    int64_t cacheBytes_ = 0;
    uint64_t useClock_ = 0;
    int64_t resumedPasses_ = 0;
    double denseNll_ = 0, denseSeconds_ = 0;
};

}  // namespace ssmlens
