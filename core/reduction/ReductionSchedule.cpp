#include "core/reduction/ReductionSchedule.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "core/Error.h"

namespace ssmlens {

namespace {
const char* kFormat = "ssmlens-reduction-schedule";
const int kVersion = 1;
}  // namespace

void ReductionSchedule::validate(int64_t nLayer, const std::string& source) const {
    std::set<int64_t> seen;
    for (const auto& a : anchors) {
        if (a.layer < 0 || (nLayer > 0 && a.layer >= nLayer))
            throw Error(source + ": anchor layer " + std::to_string(a.layer) + " is out of range (the model has " +
                        std::to_string(nLayer) + " layers, 0.." + std::to_string(nLayer - 1) + ")");
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
    if (j.value("format", std::string()) != kFormat)
        throw Error(source + ": not an SSM Lens reduction schedule (\"format\" must be \"" + kFormat + "\")");
    const int version = j.value("version", 0);
    if (version != kVersion)
        throw Error(source + ": schedule version " + std::to_string(version) + " is not supported (this build reads " +
                    std::to_string(kVersion) + ")");
    ReductionSchedule s;
    try {
        s.method = parseMethodName(j.at("method").get<std::string>());
        const auto& o = j.value("options", nlohmann::json::object());
        if (o.contains("metric")) s.options.metric = parseMetricName(o["metric"].get<std::string>());
        if (o.contains("hidden")) s.options.hidden = parseHiddenStrategyName(o["hidden"].get<std::string>());
        if (o.contains("residual")) s.options.residual = parseResidualStrategyName(o["residual"].get<std::string>());
        if (o.contains("granularity")) s.options.granularity = parseGranularityName(o["granularity"].get<std::string>());
        if (o.contains("protect_scoring_span")) s.options.protectScoringSpan = o["protect_scoring_span"].get<bool>();
        for (const auto& a : j.at("anchors"))
            s.anchors.push_back({a.at("layer").get<int64_t>(), a.at("keep_ratio").get<double>()});
    } catch (const nlohmann::json::exception& e) {
        throw Error(source + ": malformed schedule (" + e.what() + ")");
    } catch (const Error& e) {
        throw Error(source + ": " + e.what());
    }
    std::sort(s.anchors.begin(), s.anchors.end(),
              [](const ScheduleAnchor& a, const ScheduleAnchor& b) { return a.layer < b.layer; });
    s.validate(0, source);
    return s;
}

ReductionSchedule ReductionSchedule::load(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw Error(path + ": cannot open the schedule (missing or unreadable)");
    nlohmann::json j;
    try {
        in >> j;
    } catch (const nlohmann::json::parse_error& e) {
        throw Error(path + ": not valid JSON (" + e.what() + ")");
    }
    return fromJson(j, path);
}

void ReductionSchedule::save(const std::string& path) const {
    // Write to a temporary file first so a failed write never destroys an existing schedule.
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp);
        if (!out) throw Error(path + ": cannot write");
        out << toJson().dump(2) << "\n";
        if (!out) throw Error(path + ": write failed (disk full?)");
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) throw Error(path + ": cannot replace the file");
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
