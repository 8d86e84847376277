#include "core/reduction/ReductionSchedule.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "core/Error.h"
#include "core/io/AtomicFile.h"
#include "core/io/JsonDocument.h"
#include "core/model/ModelConfig.h"

namespace ssmlens {

namespace {
const char* kFormat = "ssmlens-reduction-schedule";
const int kVersion = 1;
}  // namespace

void ReductionSchedule::validate(int64_t nLayer, const std::string& source) const {
    std::set<int64_t> seen;
    for (const auto& a : anchors) {
        if (a.layer < 0)
            throw Error(source + ": anchor layer " + std::to_string(a.layer) + " is negative (layers count from 0)");
        if (nLayer > 0 && a.layer >= nLayer)
            throw Error(source + ": anchor layer " + std::to_string(a.layer) + " is out of range (the model has " +
                        std::to_string(nLayer) + " layers, 0.." + std::to_string(nLayer - 1) + ")");
        if (a.layer >= kMaxLayers)
            throw Error(source + ": anchor layer " + std::to_string(a.layer) + " is beyond any model (at most " +
                        std::to_string(kMaxLayers) + " layers)");
        if (!(a.keepRatio > 0.0 && a.keepRatio <= 1.0))
            throw Error(source + ": keep ratio " + std::to_string(a.keepRatio) + " at layer " + std::to_string(a.layer) +
                        " is outside (0, 1]");
        if (!seen.insert(a.layer).second)
            throw Error(source + ": layer " + std::to_string(a.layer) + " appears twice among the anchors");
    }
}

double ReductionSchedule::keepRatioAt(int64_t layer) const {
    for (const auto& a : anchors)
        if (a.layer == layer) return a.keepRatio;
    return 1.0;
}

bool ReductionSchedule::operator==(const ReductionSchedule& o) const {
    const auto& a = options;
    const auto& b = o.options;
    return method == o.method && anchors == o.anchors && a.metric == b.metric && a.hidden == b.hidden &&
           a.residual == b.residual && a.granularity == b.granularity && a.protectScoringSpan == b.protectScoringSpan;
}

nlohmann::json ReductionSchedule::toJson() const {
    nlohmann::json anchorList = nlohmann::json::array();
    for (const auto& a : anchors) anchorList.push_back({{"layer", a.layer}, {"keep_ratio", a.keepRatio}});
    return {{"format", kFormat},
            {"version", kVersion},
            {"method", methodName(method)},
            {"options",
             {{"metric", metricName(options.metric)},
              {"hidden", hiddenStrategyName(options.hidden)},
              {"residual", residualStrategyName(options.residual)},
              {"granularity", granularityName(options.granularity)},
              {"protect_scoring_span", options.protectScoringSpan}}},
            {"anchors", anchorList}};
}

ReductionSchedule ReductionSchedule::fromJson(const nlohmann::json& j, const std::string& source) {
    if (!j.is_object()) throw Error(source + ": a schedule must be a JSON object");
    const auto format = j.find("format");
    if (format == j.end() || *format != kFormat)
        throw Error(source + ": not an SSM Lens reduction schedule (\"format\" must be \"" + kFormat + "\")");
    const auto version = j.find("version");
    if (version == j.end() || *version != kVersion)
        throw Error(source + ": schedule version " + (version == j.end() ? std::string("(none)") : jsonSnippet(*version, 20)) +
                    " is not supported (this build reads " + std::to_string(kVersion) + ")");
    ReductionSchedule s;
    try {
        s.method = parseMethodName(j.at("method").get<std::string>());
        const auto& o = j.value("options", nlohmann::json::object());
        if (o.contains("metric")) s.options.metric = parseMetricName(o["metric"].get<std::string>());
        if (o.contains("hidden")) s.options.hidden = parseHiddenStrategyName(o["hidden"].get<std::string>());
        if (o.contains("residual")) s.options.residual = parseResidualStrategyName(o["residual"].get<std::string>());
        if (o.contains("granularity")) s.options.granularity = parseGranularityName(o["granularity"].get<std::string>());
        if (o.contains("protect_scoring_span")) s.options.protectScoringSpan = o["protect_scoring_span"].get<bool>();
        const nlohmann::json& anchors = j.at("anchors");
        if (!anchors.is_array()) throw Error("\"anchors\" must be a list of {\"layer\", \"keep_ratio\"}");
        for (const auto& a : anchors) {
            if (!a.is_object() || !a.contains("layer") || !a["layer"].is_number_integer() || !a.contains("keep_ratio") ||
                !a["keep_ratio"].is_number())
                throw Error("anchor " + jsonSnippet(a, 60) + " is not {\"layer\": an integer, \"keep_ratio\": a number}");
            s.anchors.push_back({a["layer"].get<int64_t>(), a["keep_ratio"].get<double>()});
            if (s.anchors.size() > size_t(kMaxLayers)) throw Error("more anchors than any model has layers");
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(source + ": malformed schedule (" + jsonProblem(e) + ")");
    } catch (const Error& e) {
        throw Error(source + ": " + e.what());
    }
    std::sort(s.anchors.begin(), s.anchors.end(),
              [](const ScheduleAnchor& a, const ScheduleAnchor& b) { return a.layer < b.layer; });
    s.validate(0, source);
    return s;
}

ReductionSchedule ReductionSchedule::load(const std::string& path) {
    return fromJson(readJsonFile(path, "a reduction schedule (JSON)"), path);
}

void ReductionSchedule::save(const std::string& path) const {
    // A failed write never destroys an existing schedule (AtomicFile.h).
    writeFileAtomically(path, toJson().dump(2) + "\n");
}

ReductionSchedule paperSchedule64() {
    ReductionSchedule s;
    s.method = ReductionMethod::Utr;  // the paper's method as it describes it, whatever the default
    for (int64_t l : {12, 17, 22, 27, 32, 37, 42}) s.anchors.push_back({l, kDefaultKeepRatio});
    return s;
}

ReductionSchedule depthScaledSchedule(int64_t nLayer, double q, ReductionMethod m) {
    ReductionSchedule s;
    s.method = m;
    if (nLayer == 64) {
        s = paperSchedule64();
        s.method = m;
        for (auto& a : s.anchors) a.keepRatio = q;
        return s;
    }
    // 12/64 = 18.75% to 42/64 = 65.6% of the depth, 7 anchors (fewer when the model is shallow).
    const double first = nLayer * 12.0 / 64.0, last = nLayer * 42.0 / 64.0;
    std::set<int64_t> layers;
    for (int i = 0; i < 7; ++i) layers.insert(static_cast<int64_t>(std::lround(first + (last - first) * i / 6.0)));
    for (int64_t l : layers)
        if (l >= 0 && l < nLayer) s.anchors.push_back({l, q});
    return s;
}

}  // namespace ssmlens
