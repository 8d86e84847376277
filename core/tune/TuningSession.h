#pragma once
// TuningSession: one tuning run on a loaded model, as the CLI (`ssmlens-cli tune`) and the window's Tune
// panel run it: calibration data read and split, the FLOPs budget on its lengths, the dense pass
// (ModelEvaluator), the search (ScheduleTuner), and the state file written after every round so that a
// stopped run resumes (TuneState.h).
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/model/Mamba2Model.h"
#include "core/text/Tokenizer.h"
#include "core/tune/CalibrationSet.h"
#include "core/tune/ModelEvaluator.h"
#include "core/tune/ScheduleTuner.h"
#include "core/tune/TuneState.h"

namespace ssmlens {

struct TuningRequest {
    std::vector<CalibrationSource> sources;
    CalibrationOptions calibration;
    SearchAlgorithm algorithm = SearchAlgorithm::Evolutionary;
    SearchSettings search;
    double minKeepRatio = 0.5;
    TuneLimits limits;
    ModelEvaluatorOptions evaluator;
    bool racing = true;     // stop clearly worse candidates early (ScheduleTuner.h)
    std::string statePath;  // where the state is saved after every round; empty: nowhere
    bool resume = false;    // continue the search saved at statePath (a fresh one when there is none)
    std::string modelName;  // recorded in the state
};

class TuningSession {
public:
    // Reads and splits the calibration data and, with request.resume, the saved state (checked against this
    // request: TuneSetup::checkResumableFrom). Throws ssmlens::Error naming the file or setting at fault.
    TuningSession(const Mamba2Model& model, const Tokenizer* tokenizer, TuningRequest request);
    ~TuningSession();

    // The dense pass (progress: batches done, total). Throws EvalCancelled when cancelled.
    void prepare(const std::function<void(int64_t, int64_t)>& denseProgress = {}, const std::atomic<bool>* cancel = nullptr);
    // prepare() when it has not run, then the search until a limit or cancel.
    TuneOutcome run(const std::function<void(const TuneEvent&)>& onCandidate = {},
                    const std::atomic<bool>* cancel = nullptr,
                    const std::function<void(int64_t, int64_t)>& denseProgress = {});

    const CalibrationData& data() const { return data_; }
    const FlopsBudget& budget() const { return *budget_; }
    const TuneSetup& setup() const { return setup_; }
    const TuningRequest& request() const { return request_; }
    int64_t recordedCandidates() const { return static_cast<int64_t>(recorded_.candidates.size()); }
    bool resumed() const { return resumed_; }
    double previousSeconds() const { return recorded_.elapsedSeconds; }
    ModelEvaluator* evaluator() const { return evaluator_.get(); }  // after prepare(); null with an external one
    // Score the candidates with `external` (worker processes or a Slurm job array: core/cluster/
    // ShardedEvaluator.h) instead of a ModelEvaluator in this process: run() then skips prepare() (the
    // workers make the dense pass). external must outlive run().
    void setExternalEvaluator(CandidateEvaluator* external) { external_ = external; }

private:
    const Mamba2Model& model_;
    TuningRequest request_;
    CalibrationData data_;
    std::unique_ptr<FlopsBudget> budget_;
    TuneSetup setup_;
    TuneState recorded_;
    bool resumed_ = false;
    std::unique_ptr<ModelEvaluator> evaluator_;
    CandidateEvaluator* external_ = nullptr;
};

}  // namespace ssmlens
