#include "core/tune/TuneState.h"

#include <nlohmann/json.hpp>

#include "core/Error.h"
#include "core/io/AtomicFile.h"
#include "core/io/JsonDocument.h"

namespace ssmlens {
namespace {

const char* kFormat = "ssmlens-tune-state";
const int kVersion = 1;

// Method and options as a schedule without anchors (its JSON form and parser are the schedule's).
nlohmann::json methodJson(ReductionMethod m, const ReductionOptions& o) {
    ReductionSchedule s;
    s.method = m;
    s.options = o;
    return s.toJson();
}

}  // namespace

nlohmann::json TuneSetup::toJson() const {
    return {{"model", model},
            {"model_shape", modelShape},
            {"calibration", calibration},
            {"calibration_fingerprint", calibrationFingerprint},
            {"calibration_sequences", calibrationSequences},
            {"calibration_tokens", calibrationTokens},
            {"search", searchAlgorithmName(algorithm)},
            {"target_flops_reduction_pct", search.targetPercent},
            {"method", methodJson(search.method, search.options)},
            {"search_options", search.searchOptions},
            {"uniform_ratio", search.uniformRatio},
            {"seed", search.seed},
            {"round_size", search.roundSize},
            {"preset_ratios", search.presetRatios},
            {"ladder_offsets", search.ladderOffsets},
            {"min_keep_ratio", minKeepRatio}};
}

TuneSetup TuneSetup::fromJson(const nlohmann::json& j, const std::string& source) {
    TuneSetup s;
    try {
        s.model = j.at("model").get<std::string>();
        s.modelShape = j.at("model_shape").get<std::string>();
        s.calibration = j.at("calibration").get<std::string>();
        s.calibrationFingerprint = j.at("calibration_fingerprint").get<std::string>();
        s.calibrationSequences = j.at("calibration_sequences").get<int64_t>();
        s.calibrationTokens = j.at("calibration_tokens").get<int64_t>();
        s.algorithm = parseSearchAlgorithmName(j.at("search").get<std::string>());
        s.search.targetPercent = j.at("target_flops_reduction_pct").get<double>();
        const ReductionSchedule m = ReductionSchedule::fromJson(j.at("method"), source);
        s.search.method = m.method;
        s.search.options = m.options;
        s.search.searchOptions = j.at("search_options").get<bool>();
        s.search.uniformRatio = j.at("uniform_ratio").get<bool>();
        s.search.seed = j.at("seed").get<uint64_t>();
        s.search.roundSize = j.at("round_size").get<int64_t>();
        s.search.presetRatios = j.at("preset_ratios").get<std::vector<double>>();
        s.search.ladderOffsets = j.at("ladder_offsets").get<std::vector<double>>();
        s.minKeepRatio = j.at("min_keep_ratio").get<double>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(source + ": malformed tuning setup (" + e.what() + ")");
    }
    return s;
}

void TuneSetup::checkResumableFrom(const TuneSetup& saved, const std::string& source) const {
    std::string diff;
    auto check = [&](bool same, const std::string& what, const std::string& was, const std::string& now) {
        if (!same) diff += "\n  " + what + ": " + was + " in the state file, " + now + " now";
    };
    auto num = [](double v) {
        char b[32];
        std::snprintf(b, sizeof b, "%g", v);
        return std::string(b);
    };
    check(saved.modelShape == modelShape, "model", "\"" + saved.modelShape + "\"", "\"" + modelShape + "\"");
    check(saved.calibrationFingerprint == calibrationFingerprint, "calibration data",
          saved.calibration + " (" + std::to_string(saved.calibrationSequences) + " sequences)",
          calibration + " (" + std::to_string(calibrationSequences) + " sequences)");
    check(saved.algorithm == algorithm, "search", searchAlgorithmName(saved.algorithm), searchAlgorithmName(algorithm));
    check(saved.search.targetPercent == search.targetPercent, "target", num(saved.search.targetPercent) + "%",
          num(search.targetPercent) + "%");
    check(methodJson(saved.search.method, saved.search.options) == methodJson(search.method, search.options),
          "method and options", methodJson(saved.search.method, saved.search.options).dump(),
          methodJson(search.method, search.options).dump());
    check(saved.search.searchOptions == search.searchOptions, "searching the options",
          saved.search.searchOptions ? "yes" : "no", search.searchOptions ? "yes" : "no");
    check(saved.search.uniformRatio == search.uniformRatio, "one ratio for all anchors",
          saved.search.uniformRatio ? "yes" : "no", search.uniformRatio ? "yes" : "no");
    check(saved.search.seed == search.seed, "seed", std::to_string(saved.search.seed), std::to_string(search.seed));
    check(saved.search.roundSize == search.roundSize, "round size", std::to_string(saved.search.roundSize),
          std::to_string(search.roundSize));
    check(saved.search.presetRatios == search.presetRatios, "preset ratios", nlohmann::json(saved.search.presetRatios).dump(),
          nlohmann::json(search.presetRatios).dump());
    check(saved.search.ladderOffsets == search.ladderOffsets, "ladder offsets",
          nlohmann::json(saved.search.ladderOffsets).dump(), nlohmann::json(search.ladderOffsets).dump());
    check(saved.minKeepRatio == minKeepRatio, "smallest keep ratio", num(saved.minKeepRatio), num(minKeepRatio));
    if (!diff.empty())
        throw Error(source + ": cannot resume: this is not the same search (start a new one with another --state, "
                             "or use the same settings):" + diff);
}

void TuneState::save(const std::string& path) const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : candidates) list.push_back(c.toJson());
    const nlohmann::json j = {{"format", kFormat},         {"version", kVersion},   {"setup", setup.toJson()},
                              {"elapsed_seconds", elapsedSeconds}, {"sessions", sessions}, {"candidates", list}};
    // Saved after every round: a crash mid-write leaves the previous round's state, never half a file.
    writeFileAtomically(path, j.dump(1) + "\n");
}

TuneState TuneState::load(const std::string& path) {
    // Regular files only, bounded size and nesting (a FIFO or a 100,000-level document is refused, not hung on).
    const nlohmann::json j = readJsonFile(path, "a tuning state");
    if (!j.is_object() || j.value("format", std::string()) != kFormat)
        throw Error(path + ": not an SSM Lens tuning state (\"format\" must be \"" + kFormat + "\")");
    if (j.value("version", 0) != kVersion)
        throw Error(path + ": tuning state version " + std::to_string(j.value("version", 0)) +
                    " is not supported (this build reads " + std::to_string(kVersion) + ")");
    TuneState s;
    if (!j.contains("setup") || !j.contains("candidates") || !j["candidates"].is_array())
        throw Error(path + ": the tuning state has no \"setup\" or \"candidates\"");
    s.setup = TuneSetup::fromJson(j["setup"], path);
    try {
        s.elapsedSeconds = j.value("elapsed_seconds", 0.0);
        s.sessions = j.value("sessions", int64_t{0});
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": malformed tuning state (" + e.what() + ")");
    }
    for (const auto& c : j["candidates"]) s.candidates.push_back(TuneCandidate::fromJson(c, path));
    return s;
}

}  // namespace ssmlens
