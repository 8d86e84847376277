#pragma once
// TuneState: what a stopped search needs to continue: the settings that must not change (the model's shape,
// the calibration data's fingerprint, the target, the method, the seed, the search's settings) and every
// candidate evaluated so far with its score. Saved after every round (and on stop) as JSON:
//   {"format": "ssmlens-tune-state", "version": 1, "setup": {...}, "elapsed_seconds": S, "sessions": N,
//    "candidates": [TuneCandidate::toJson(), ...]}
// A resumed search replays the recorded scores through the same seeded search (ScheduleTuner.h), so it
// proposes exactly what the uninterrupted search would have.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/tune/ScheduleSearch.h"
#include "core/tune/TuneCandidate.h"

namespace ssmlens {

struct TuneSetup {
    std::string model;                  // the model folder (informational; may move)
    std::string modelShape;             // Mamba2Config::summary(): must match
    std::string calibration;            // what the calibration data is (informational)
    std::string calibrationFingerprint; // hash of every calibration sequence's ids and scored span: must match
    int64_t calibrationSequences = 0, calibrationTokens = 0;
    SearchAlgorithm algorithm = SearchAlgorithm::Evolutionary;
    SearchSettings search;
    double minKeepRatio = 0.5;

    nlohmann::json toJson() const;
    static TuneSetup fromJson(const nlohmann::json& j, const std::string& source);
    // Throws ssmlens::Error naming `source` and every setting that differs (so that a resume never mixes the
    // scores of two different searches).
    void checkResumableFrom(const TuneSetup& saved, const std::string& source) const;
};

struct TuneState {
    TuneSetup setup;
    std::vector<TuneCandidate> candidates;
    double elapsedSeconds = 0;  // over every session
    int64_t sessions = 0;

    void save(const std::string& path) const;  // atomically (a temporary file renamed over it)
    static TuneState load(const std::string& path);  // throws ssmlens::Error naming the file
};

}  // namespace ssmlens
