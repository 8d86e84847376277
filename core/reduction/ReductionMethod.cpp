#include "core/reduction/ReductionMethod.h"

#include <utility>

#include "core/Error.h"

namespace ssmlens {
namespace {

template <typename E>
using NameTable = std::vector<std::pair<E, const char*>>;

const NameTable<ReductionMethod> kMethods = {
    {ReductionMethod::Utr, "utr"},         {ReductionMethod::UtrToken, "utr-token"},
    {ReductionMethod::UtrReference, "utr-reference"}, {ReductionMethod::Positional, "positional"},
    {ReductionMethod::Evit, "evit"},
    {ReductionMethod::Tome, "tome"},       {ReductionMethod::Pumer, "pumer"},
    {ReductionMethod::PruneOnly, "prune-only"}, {ReductionMethod::MergeOnly, "merge-only"}};
const NameTable<ImportanceMetric> kMetrics = {
    {ImportanceMetric::Clip, "clip"}, {ImportanceMetric::Raw, "raw"}, {ImportanceMetric::L2, "l2"}};
const NameTable<HiddenStrategy> kHidden = {
    {HiddenStrategy::Hybrid, "hybrid"}, {HiddenStrategy::Merge, "merge"}, {HiddenStrategy::Prune, "prune"}};
const NameTable<ResidualStrategy> kResidual = {{ResidualStrategy::Merge, "merge"}, {ResidualStrategy::Prune, "prune"}};
const NameTable<Granularity> kGranularity = {{Granularity::Channel, "channel"}, {Granularity::Token, "token"}};

template <typename E>
std::string nameOf(const NameTable<E>& table, E value) {
    for (const auto& e : table)
        if (e.first == value) return e.second;
    return "?";
}

template <typename E>
E parse(const NameTable<E>& table, const std::string& name, const char* what) {
    std::string valid;
    for (const auto& e : table) {
        if (name == e.second) return e.first;
        valid += (valid.empty() ? "" : ", ") + std::string(e.second);
    }
    const std::string shown = name.size() > 40 ? name.substr(0, 40) + "..." : name;  // a file may hold anything
    throw Error(std::string("unknown ") + what + " \"" + shown + "\" (one of " + valid + ")");
}

}  // namespace

ReductionRecipe recipeFor(ReductionMethod method, const ReductionOptions& o) {
    ReductionRecipe r;
    r.metric = o.metric;
    switch (method) {
        case ReductionMethod::Utr:
        case ReductionMethod::UtrToken:
            r.hidden = o.hidden;
            r.residual = o.residual;
            r.granularity = method == ReductionMethod::UtrToken ? Granularity::Token : o.granularity;
            break;
        case ReductionMethod::UtrReference:
            r.hidden = HiddenStrategy::Hybrid;
            r.residual = ResidualStrategy::Merge;
            r.granularity = Granularity::Channel;
            r.referenceQuirks = true;
            r.protectPositions = false;
            break;
        case ReductionMethod::Positional:
            r.split = SplitRule::OldestAfterFirst;
            r.hidden = HiddenStrategy::Merge;
            r.residual = ResidualStrategy::Merge;
            break;
        case ReductionMethod::Evit:
            r.split = SplitRule::ImportanceOnly;
            r.hidden = HiddenStrategy::Prune;
            r.residual = ResidualStrategy::Prune;
            break;
        case ReductionMethod::Tome:
        case ReductionMethod::Pumer:
            r.split = SplitRule::AlternatePositions;
            r.clippedFeatures = method == ReductionMethod::Pumer;
            r.hidden = HiddenStrategy::Merge;
            r.residual = ResidualStrategy::Merge;
            break;
        case ReductionMethod::PruneOnly:
            r.hidden = HiddenStrategy::Prune;
            r.residual = ResidualStrategy::Prune;
            break;
        case ReductionMethod::MergeOnly:
            r.hidden = HiddenStrategy::Merge;
            r.residual = ResidualStrategy::Merge;
            break;
    }
    return r;
}

std::string methodName(ReductionMethod m) { return nameOf(kMethods, m); }
ReductionMethod parseMethodName(const std::string& n) { return parse(kMethods, n, "reduction method"); }
std::vector<std::string> methodNames() {
    std::vector<std::string> out;
    for (const auto& e : kMethods) out.push_back(e.second);
    return out;
}
std::vector<ReductionMethod> allMethods() {
    std::vector<ReductionMethod> out;
    for (const auto& e : kMethods) out.push_back(e.first);
    return out;
}

std::string methodSummary(ReductionMethod m) {
    switch (m) {
        case ReductionMethod::Utr:
            return "as described in the paper: importance split, cosine matching, hybrid prune/merge per channel";
        case ReductionMethod::UtrToken: return "as utr, with the prune/merge choice made per token";
        case ReductionMethod::UtrReference:
            return "as released: the authors' code, reproduces the paper's evaluation (clip: content ignored)";
        case ReductionMethod::Positional:
            return "positional baseline: the r oldest tokens after the first merged into the first";
        case ReductionMethod::Evit: return "EViT-style baseline: prune the least important tokens";
        case ReductionMethod::Tome: return "ToMe-style baseline: even/odd split, cosine of h, merge";
        case ReductionMethod::Pumer: return "PuMer-style baseline: even/odd split, cosine of max(h, 0), merge";
        case ReductionMethod::PruneOnly: return "utr's split and matching, every removed token pruned";
        case ReductionMethod::MergeOnly: return "utr's split and matching, every removed token merged";
    }
    return "?";
}

bool choicesIgnoreContent(const ReductionRecipe& r) {
    return r.split == SplitRule::OldestAfterFirst || (r.referenceQuirks && r.metric == ImportanceMetric::Clip);
}

std::string metricName(ImportanceMetric m) { return nameOf(kMetrics, m); }
ImportanceMetric parseMetricName(const std::string& n) { return parse(kMetrics, n, "importance metric"); }
std::string hiddenStrategyName(HiddenStrategy s) { return nameOf(kHidden, s); }
HiddenStrategy parseHiddenStrategyName(const std::string& n) { return parse(kHidden, n, "hidden-state strategy"); }
std::string residualStrategyName(ResidualStrategy s) { return nameOf(kResidual, s); }
ResidualStrategy parseResidualStrategyName(const std::string& n) { return parse(kResidual, n, "residual strategy"); }
std::string granularityName(Granularity g) { return nameOf(kGranularity, g); }
Granularity parseGranularityName(const std::string& n) { return parse(kGranularity, n, "granularity"); }

}  // namespace ssmlens
