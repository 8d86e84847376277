#pragma once
// The token-reduction methods SSM Lens compares, as one engine with options (docs/token-reduction.md):
// every method is a ReductionRecipe — how tokens are split into candidates (A) and destinations (B), which
// features are matched, and what happens to a removed token in each stream. docs/token-reduction-guide.md
// describes each method; docs/findings.md compares them.
#include <string>
#include <vector>

namespace ssmlens {

enum class ReductionMethod {
    Utr,           // as described in the paper: importance split, cosine matching, hybrid prune/merge per channel
    UtrToken,      // as Utr, with the prune/merge choice made per token
    UtrReference,  // as released: the authors' code, inconsistencies included (docs/utr-reference.md)
    Positional,    // positional baseline: the oldest tokens after the first merged into the first, content ignored
    Evit,          // importance pruning
    Tome,          // alternate-position split, unclipped features, merge
    Pumer,         // ToMe matching on clipped features, merge only (as the reference adapts PuMer)
    PruneOnly,     // unified split and matching, every removed token pruned
    MergeOnly,     // unified split and matching, every removed token merged
};

// The method the window, the CLI and new schedules start with; docs/token-reduction-guide.md ("The default
// method") says why, from the comparison in docs/findings.md.
constexpr ReductionMethod kDefaultReductionMethod = ReductionMethod::Utr;

enum class ImportanceMetric { Clip, Raw, L2 };
enum class HiddenStrategy { Hybrid, Merge, Prune };
enum class ResidualStrategy { Merge, Prune };
enum class Granularity { Channel, Token };
enum class SplitRule {
    ImportanceHalves,    // B = the more important ceil(N/2) tokens (protected ones always in B)
    AlternatePositions,  // A = even positions, B = odd positions (ToMe)
    ImportanceOnly,      // no matching: keep the ceil(qN) most important (EViT)
    OldestAfterFirst,    // no matching: B = the first token, A = the others; the oldest of A go (Positional)
};

// What the user can set on top of a method.
struct ReductionOptions {
    ImportanceMetric metric = ImportanceMetric::Clip;
    HiddenStrategy hidden = HiddenStrategy::Hybrid;
    ResidualStrategy residual = ResidualStrategy::Merge;
    Granularity granularity = Granularity::Channel;
    bool protectScoringSpan = true;  // keep the positions that predict a scored continuation
};

struct ReductionRecipe {
    SplitRule split = SplitRule::ImportanceHalves;
    bool clippedFeatures = true;  // cosine on max(h, 0) rather than h
    ImportanceMetric metric = ImportanceMetric::Clip;
    HiddenStrategy hidden = HiddenStrategy::Hybrid;
    ResidualStrategy residual = ResidualStrategy::Merge;
    Granularity granularity = Granularity::Channel;
    bool referenceQuirks = false;  // UtrReference: see TokenReducer.cpp
    bool protectPositions = true;  // false for UtrReference, which protects nothing
};

// The recipe of a method; options.hidden/residual/granularity apply to the unified methods only
// (baselines have fixed choices), options.metric to every method that ranks by importance.
ReductionRecipe recipeFor(ReductionMethod method, const ReductionOptions& options);

std::string methodName(ReductionMethod m);             // "utr", "utr-token", ..., as in schedules and the CLI
ReductionMethod parseMethodName(const std::string& n);  // throws ssmlens::Error listing the valid names
std::vector<std::string> methodNames();
std::vector<ReductionMethod> allMethods();             // in the order of methodNames()
// One line that says what the method is (for the CLI's help and tables; the window has its own, translated).
std::string methodSummary(ReductionMethod m);

// True when the recipe chooses which tokens go and where they go from positions alone, whatever the token
// content: Positional always; UtrReference with the clip metric (docs/utr-reference.md, "What follows": the
// clamped features make the sorted rows decrease, so positions 0, 2, ..., 2r-2 always merge into position 1).
// Declared from the recipe, not guessed from one run; tests/test_content_independence.cpp checks the claim
// by running every method on unrelated contents. The values merged still depend on the content.
bool choicesIgnoreContent(const ReductionRecipe& recipe);
std::string metricName(ImportanceMetric m);
ImportanceMetric parseMetricName(const std::string& n);
std::string hiddenStrategyName(HiddenStrategy s);
HiddenStrategy parseHiddenStrategyName(const std::string& n);
std::string residualStrategyName(ResidualStrategy s);
ResidualStrategy parseResidualStrategyName(const std::string& n);
std::string granularityName(Granularity g);
Granularity parseGranularityName(const std::string& n);

}  // namespace ssmlens
