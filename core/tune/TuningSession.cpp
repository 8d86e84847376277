#include "core/tune/TuningSession.h"

#include <chrono>
#include <filesystem>
#include <set>

#include "core/Error.h"

namespace ssmlens {

TuningSession::TuningSession(const Mamba2Model& model, const Tokenizer* tokenizer, TuningRequest request)
    : model_(model), request_(std::move(request)) {
    data_ = loadCalibration(request_.sources, tokenizer, model_.vocabRows(), request_.calibration);
    budget_ = std::make_unique<FlopsBudget>(model_.config(), data_.calibration.lengths(), request_.minKeepRatio);
    setup_.model = request_.modelName;
    setup_.modelShape = model_.config().summary();
    std::string sources;
    for (const auto& s : request_.sources) sources += (sources.empty() ? "" : ", ") + s.label();
    setup_.calibration = sources + ": " + data_.calibration.description;
    setup_.calibrationFingerprint = data_.calibration.fingerprint();
    setup_.calibrationSequences = static_cast<int64_t>(data_.calibration.sequences.size());
    setup_.calibrationTokens = data_.calibration.tokens();
    setup_.algorithm = request_.algorithm;
    setup_.search = request_.search;
    setup_.minKeepRatio = request_.minKeepRatio;
    std::error_code ec;
    if (request_.resume && !request_.statePath.empty() && std::filesystem::exists(request_.statePath, ec)) {
        recorded_ = TuneState::load(request_.statePath);
        setup_.checkResumableFrom(recorded_.setup, request_.statePath);
        resumed_ = true;
    }
    // Fails early (before the dense pass) when the target is out of reach.
    makeScheduleSearch(request_.algorithm, *budget_, request_.search);
}

TuningSession::~TuningSession() = default;

void TuningSession::prepare(const std::function<void(int64_t, int64_t)>& denseProgress, const std::atomic<bool>* cancel) {
    ModelEvaluatorOptions options = request_.evaluator;
    if (denseProgress) options.denseProgress = denseProgress;
    if (cancel) options.stop = [cancel] { return cancel->load(); };
    evaluator_ = std::make_unique<ModelEvaluator>(model_, data_.calibration, options);
}

TuneOutcome TuningSession::run(const std::function<void(const TuneEvent&)>& onCandidate, const std::atomic<bool>* cancel,
                               const std::function<void(int64_t, int64_t)>& denseProgress) {
    if (!evaluator_ && !external_) prepare(denseProgress, cancel);
    CandidateEvaluator& evaluator = external_ ? *external_ : static_cast<CandidateEvaluator&>(*evaluator_);
    ScheduleTuner tuner(*budget_, request_.algorithm, request_.search, evaluator);
    tuner.setRecorded(recorded_.candidates);
    tuner.setRacing(request_.racing);
    const double before = recorded_.elapsedSeconds;
    const int64_t sessions = recorded_.sessions + 1;
    const auto start = std::chrono::steady_clock::now();
    auto save = [&](const std::vector<TuneCandidate>& candidates) {
        if (request_.statePath.empty()) return;
        TuneState state;
        state.setup = setup_;
        state.candidates = candidates;
        // Keep recorded candidates the replay has not reached yet (a shorter resumed run must not lose them).
        std::set<std::string> present;
        for (const TuneCandidate& c : candidates) present.insert(scheduleKey(c.schedule));
        for (const TuneCandidate& r : recorded_.candidates)
            if (!present.count(scheduleKey(r.schedule))) state.candidates.push_back(r);
        state.elapsedSeconds = before + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        state.sessions = sessions;
        state.save(request_.statePath);
    };
    return tuner.run(request_.limits, onCandidate, save, cancel);
}

}  // namespace ssmlens
