#include "core/tune/TuneRoundFile.h"

#include <nlohmann/json.hpp>

#include "core/Error.h"
#include "core/io/InputFile.h"
#include "core/io/JsonDocument.h"

namespace ssmlens {
namespace {

const char* kRoundFormat = "ssmlens-tune-round";
const char* kResultFormat = "ssmlens-tune-round-result";
const int kVersion = 1;
// A round holds at most a few hundred schedules; a file far beyond that is not one (and is not read whole).
constexpr uint64_t kMaxFileBytes = uint64_t{64} << 20;

// Regular files only, size-bounded, JSON of bounded depth (core/io), then the format and version.
nlohmann::json readJson(const std::string& path, const char* format) {
    const nlohmann::json j = parseJsonText(readInputFile(path, std::string("a ") + format + " file", kMaxFileBytes), path);
    if (!j.is_object() || !j.contains("format") || j["format"] != format)
        throw Error(path + ": not a " + std::string(format) + " file");
    if (!j.contains("version") || !j["version"].is_number_integer() || j["version"] != kVersion)
        throw Error(path + ": " + format + " version " + jsonSnippet(j.value("version", nlohmann::json())) +
                    ", this program reads " + std::to_string(kVersion));
    return j;
}

nlohmann::json scoreJson(const CandidateScore& s) {
    return {{"objective_kl", s.objective},     {"nll", s.nll},
            {"scored_positions", s.scoredPositions}, {"lost_positions", s.lostPositions},
            {"seconds", s.seconds},            {"checkpoints_kl", s.checkpoints},
            {"evaluated_fraction", s.evaluatedFraction}};
}

CandidateScore scoreFromJson(const nlohmann::json& j) {
    CandidateScore s;
    s.objective = j.at("objective_kl").get<double>();
    s.nll = j.at("nll").get<double>();
    s.scoredPositions = j.at("scored_positions").get<int64_t>();
    s.lostPositions = j.at("lost_positions").get<int64_t>();
    s.seconds = j.at("seconds").get<double>();
    s.checkpoints = j.at("checkpoints_kl").get<std::vector<double>>();
    s.evaluatedFraction = j.at("evaluated_fraction").get<double>();
    return s;
}

}  // namespace

nlohmann::json TuneRound::toJson() const {
    nlohmann::json candidates = nlohmann::json::array();
    for (size_t i = 0; i < schedules.size(); ++i)
        candidates.push_back({{"schedule", schedules[i].toJson()},
                              {"reject_above", i < rejectAbove.size() ? rejectAbove[i] : std::vector<double>{}}});
    return {{"format", kRoundFormat},
            {"version", kVersion},
            {"round", round},
            {"calibration_fingerprint", calibrationFingerprint},
            {"candidates", candidates}};
}

TuneRound TuneRound::load(const std::string& path) {
    const nlohmann::json j = readJson(path, kRoundFormat);
    TuneRound r;
    try {
        r.round = j.at("round").get<int64_t>();
        r.calibrationFingerprint = j.at("calibration_fingerprint").get<std::string>();
        for (const nlohmann::json& c : j.at("candidates")) {
            r.schedules.push_back(ReductionSchedule::fromJson(c.at("schedule"), path));
            r.rejectAbove.push_back(c.at("reject_above").get<std::vector<double>>());
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": malformed round (" + e.what() + ")");
    }
    return r;
}

std::pair<size_t, size_t> roundShareOf(size_t count, int64_t shard, int64_t shards) {
    if (shards < 1 || shard < 0 || shard >= shards) throw Error("shard " + std::to_string(shard) + "/" + std::to_string(shards) + " does not exist");
    const size_t n = static_cast<size_t>(shards), k = static_cast<size_t>(shard);
    const size_t base = count / n, extra = count % n;
    const size_t first = k * base + std::min(k, extra);
    return {first, first + base + (k < extra ? 1 : 0)};
}

nlohmann::json TuneRoundResult::toJson() const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [index, score] : scores) {
        nlohmann::json s = scoreJson(score);
        s["candidate"] = index;
        list.push_back(s);
    }
    return {{"format", kResultFormat},
            {"version", kVersion},
            {"round", round},
            {"shard", shard},
            {"shards", shards},
            {"calibration_fingerprint", calibrationFingerprint},
            {"evaluator", evaluator},
            {"host", host},
            {"dense_nll", denseNll},
            {"dense_seconds", denseSeconds},
            {"scores", list}};
}

TuneRoundResult TuneRoundResult::load(const std::string& path) {
    const nlohmann::json j = readJson(path, kResultFormat);
    TuneRoundResult r;
    try {
        r.round = j.at("round").get<int64_t>();
        r.shard = j.at("shard").get<int64_t>();
        r.shards = j.at("shards").get<int64_t>();
        r.calibrationFingerprint = j.at("calibration_fingerprint").get<std::string>();
        r.evaluator = j.at("evaluator").get<std::string>();
        r.host = j.at("host").get<std::string>();
        r.denseNll = j.at("dense_nll").get<double>();
        r.denseSeconds = j.at("dense_seconds").get<double>();
        for (const nlohmann::json& s : j.at("scores")) r.scores.emplace_back(s.at("candidate").get<size_t>(), scoreFromJson(s));
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": malformed result (" + e.what() + ")");
    }
    return r;
}

}  // namespace ssmlens
