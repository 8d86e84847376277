#include "app/cli/ScheduleArgs.h"

#include <sstream>

#include "core/Error.h"

namespace ssmlens::cli {

std::string defaultKeepRatioText() {
    std::ostringstream text;
    text << kDefaultKeepRatio;
    return text.str();
}

std::vector<OptionSpec> scheduleOptionSpecs() {
    return {{"schedule", "FILE", "a reduction schedule (JSON); or build one with the options below"},
            {"preset", "P", "depth (default: the paper's anchors scaled to the model's depth) or paper (64 layers)"},
            {"keep-ratio", "Q", "keep ratio at every anchor of the preset (default " + defaultKeepRatioText() + ")"},
            {"method", "M", "reduction method (default " + methodName(kDefaultReductionMethod) + "; list below)"},
            {"metric", "X", "importance metric: clip (default), raw, l2"}};
}

std::string methodListText() {
    std::string out = "methods (docs/token-reduction-guide.md; compared in docs/findings.md):\n";
    for (ReductionMethod m : allMethods()) {
        std::string name = "  " + methodName(m);
        name.append(name.size() < 17 ? 17 - name.size() : 1, ' ');
        out += name + methodSummary(m) + "\n";
    }
    return out;
}

ReductionSchedule scheduleFrom(const CliArgs& args, int64_t nLayer) {
    ReductionSchedule s;
    if (args.has("schedule")) {
        const std::string path = args.get("schedule");
        s = ReductionSchedule::load(path);
        s.validate(nLayer, path);
        return s;
    }
    const std::string preset = args.get("preset", "depth");
    const double q = args.getDouble("keep-ratio", kDefaultKeepRatio);
    if (preset == "paper") {
        s = paperSchedule64();
        for (auto& a : s.anchors) a.keepRatio = q;
    } else if (preset == "depth") {
        s = depthScaledSchedule(nLayer, q);
    } else {
        throw Error("unknown --preset \"" + preset + "\" (depth or paper)");
    }
    if (args.has("method")) s.method = parseMethodName(args.get("method"));
    if (args.has("metric")) s.options.metric = parseMetricName(args.get("metric"));
    s.validate(nLayer, "--preset " + preset);
    return s;
}

}  // namespace ssmlens::cli
