#include "core/tune/ReferenceExport.h"

#include <cstdio>
#include <set>

namespace ssmlens {
namespace {

std::string ratioText(double q) {
    char b[32];
    std::snprintf(b, sizeof b, "%.6g", q);
    return b;
}

// The reference's strategy for what SSM Lens does in one stream, or "" when it has none.
std::string hiddenStrategy(HiddenStrategy h) {
    switch (h) {
        case HiddenStrategy::Hybrid: return "hybrid";
        case HiddenStrategy::Merge: return "merge_only";
        case HiddenStrategy::Prune: return "prune_only";
    }
    return "";
}

}  // namespace

ReferenceExport referenceExport(const ReductionSchedule& s, const std::string& pretrained) {
    ReferenceExport out;
    std::vector<std::string> cannot;
    std::string hidden, residual, metric;
    const ReductionOptions& o = s.options;
    const std::string residualOption = o.residual == ResidualStrategy::Merge ? "merge_only" : "prune_only";
    bool utrFamily = false;
    switch (s.method) {
        case ReductionMethod::Utr:
            hidden = hiddenStrategy(o.hidden);
            residual = residualOption;
            utrFamily = true;
            if (o.granularity == Granularity::Token && o.hidden == HiddenStrategy::Hybrid)
                cannot.push_back("the token granularity (the reference's hybrid chooses per channel)");
            break;
        case ReductionMethod::UtrToken:
            cannot.push_back("method utr-token (the reference's hybrid chooses per channel)");
            break;
        case ReductionMethod::UtrReference:
            hidden = "hybrid";
            residual = "merge_only";
            break;
        case ReductionMethod::Evit: hidden = residual = "evit"; break;
        case ReductionMethod::Pumer: hidden = residual = "pumer"; break;
        case ReductionMethod::PruneOnly:
            hidden = residual = "prune_only";
            utrFamily = true;
            break;
        case ReductionMethod::MergeOnly:
            hidden = residual = "merge_only";
            utrFamily = true;
            break;
        default:
            cannot.push_back("method " + methodName(s.method) + " (the reference has no such strategy)");
            break;
    }
    if (o.metric == ImportanceMetric::Clip) metric = "clip";
    else if (o.metric == ImportanceMetric::Raw) metric = "None";  // anything but clip is the plain sum there
    else cannot.push_back("the l2 importance metric (the reference has clip and the plain sum)");
    std::set<double> ratios;
    for (const auto& a : s.anchors) ratios.insert(a.keepRatio);
    if (ratios.size() > 1) {
        std::string list;
        for (const auto& a : s.anchors) list += (list.empty() ? "" : ", ") + ratioText(a.keepRatio) + " at layer " + std::to_string(a.layer);
        cannot.push_back(std::to_string(ratios.size()) + " different keep ratios (" + list +
                         "): the reference takes one reduce_ratio for all anchors");
    }
    if (!cannot.empty()) {
        std::string why;
        for (const auto& c : cannot) why += (why.empty() ? "" : "; ") + c;
        out.notes.push_back("The reference code cannot run this schedule: " + why +
                            ". Tune with --uniform-ratio (and a method and options it has) for a schedule it can run, "
                            "or use the candidate of origin \"expressible\" (these anchors, one ratio).");
        return out;
    }
    out.expressible = true;
    std::string anchors;
    for (const auto& a : s.anchors) anchors += (anchors.empty() ? "" : "-") + std::to_string(a.layer);
    const double q = s.anchors.empty() ? 1.0 : *ratios.begin();
    out.modelArgs = "reduce_ratio=" + ratioText(q);
    if (!s.anchors.empty()) out.modelArgs += ",reduce_anchor=" + anchors;
    out.modelArgs += ",hidden_state_strategy=" + hidden + ",residual_strategy=" + residual + ",metrics=" + metric;
    out.command = "python src/mamba_eval.py --model mamba --model_args \"pretrained=" + pretrained + "," + out.modelArgs +
                  "\" --tasks lambada_openai,hellaswag,piqa,arc_easy,arc_challenge,winogrande --device cuda --batch_size 64";
    if (s.anchors.empty()) out.notes.push_back("No anchors: reduce_ratio=1 makes the reference load the plain model.");
    if (utrFamily)
        out.notes.push_back("The reference runs its own version of this step, not SSM Lens' " + methodName(s.method) +
                            ": it matches on a per-channel sorted matrix and merges by position (docs/utr-reference.md), "
                            "so its accuracy differs. Tune with --method utr-reference for a schedule whose SSM Lens "
                            "figures are what the reference computes.");
    if (s.method != ReductionMethod::UtrReference)  // utr-reference protects nothing either
        out.notes.push_back("The reference protects no position and reads the continuation's logits by counting back "
                            "from the end of the shortened output; SSM Lens protects the scored positions.");
    return out;
}

}  // namespace ssmlens
