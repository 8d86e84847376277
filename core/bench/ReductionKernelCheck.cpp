#include "core/bench/ReductionKernelCheck.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include <ATen/ATen.h>

#include "core/Error.h"
#include "core/bench/DeviceTimer.h"
#include "core/reduction/TokenReducer.h"
#include "core/runtime/KernelPaths.h"

#ifdef SSMLENS_FUSED_CUDA
#include "core/cuda/FusedKernels.h"
#endif

namespace ssmlens {
namespace {

// Inputs of one step as the hook builds them: padding rows hold junk (a step that read them would differ).
BatchReductionInput makeInputs(const ReductionCheckCase& c, const c10::Device& device) {
    const int64_t B = static_cast<int64_t>(c.lengths.size());
    const int64_t M = *std::max_element(c.lengths.begin(), c.lengths.end()), D = c.channels;
    auto f32 = at::TensorOptions().dtype(at::kFloat).device(device);
    at::Tensor h;
    if (c.input == "hub") {
        // Rows along one positive direction u plus noise; row 0 of each sequence is 3u itself, the most important
        // token and the best match of most others: one destination collects a large group.
        const at::Tensor u = at::randn({D}, f32).abs() + 0.5;
        h = at::randn({B, M, D}, f32) * 0.3 + u * at::empty({B, M, 1}, f32).uniform_(0.5, 1.5);
        h.select(1, 0).copy_((u * 3.0).expand({B, D}));
    } else if (c.input == "ties") {
        // Rows drawn from a pool of 4 (exactly equal importances and cosines) and all-negative rows (clipped to
        // zero: importance 0 and cosine 0 against everything).
        const at::Tensor pool = at::randn({5, D}, f32);
        pool[4].copy_(-pool[4].abs() - 0.1);
        h = pool.index_select(0, at::randint(5, {B * M}, f32.dtype(at::kLong))).view({B, M, D});
    } else {
        h = at::randn({B, M, D}, f32);
    }
    BatchReductionInput in;
    in.lengths = c.lengths;
    const at::Tensor pos = at::arange(M, f32.dtype(at::kLong)).unsqueeze(0);
    const at::Tensor valid = pos < at::tensor(c.lengths, at::kLong).to(device).unsqueeze(1);
    h = at::where(valid.unsqueeze(2), h, at::full({}, 7.0, f32));
    in.hidden = h.to(c.dtype);
    in.residual = at::where(valid.unsqueeze(2), at::randn({B, M, D}, f32), at::full({}, -5.0, f32));
    in.sizes = at::randint(1, 4, {B, M}, f32);
    // The last token of each sequence, and about one in 20 others.
    at::Tensor protect = (at::rand({B, M}, f32) < 0.05) & valid;
    protect = protect | (pos == (at::tensor(c.lengths, at::kLong).to(device) - 1).unsqueeze(1));
    in.protect = protect;
    const at::Tensor counts = protect.sum(1).to(at::kCPU, at::kLong).contiguous();
    in.protectedCount.assign(counts.data_ptr<int64_t>(), counts.data_ptr<int64_t>() + B);
    in.keepRatio = c.keepRatio;
    return in;
}

at::Tensor host(const at::Tensor& t) { return t.to(at::kCPU).contiguous(); }

// The step with the next layer's add and norm in its last kernel (KernelPaths::stepNextNorm) against the step
// without it followed by the norm kernel the next layer would run: the same bits, or why not. A norm weight of
// the hidden stream's dtype with negative entries (a zero row then normalizes to -0 in those channels).
std::string checkNextNorm(const BatchReductionInput& in, const ReductionRecipe& recipe, const KernelPaths& kernels,
                          const BatchReductionResult& plain) {
#ifdef SSMLENS_FUSED_CUDA
    BatchReductionInput withNorm = in;
    const int64_t D = in.hidden.size(2);
    withNorm.nextNormWeight = (at::randn({D}, in.residual.options()) + 1.0).to(in.hidden.scalar_type());
    withNorm.nextNormEps = 1e-5;
    KernelPaths paths = kernels;
    paths.stepNextNorm = true;
    BatchReductionResult fused;
    {
        const ScopedKernelPaths inEffect(paths);
        fused = reduceTokensBatch(withNorm, recipe);
    }
    if (fused.changed != plain.changed) return "next norm: a different outcome";
    if (!plain.changed) return fused.normalized.defined() ? "next norm: normalized rows without a change" : "";
    if (fused.hidden.defined() || !fused.normalized.defined()) return "next norm: not taken over";
    at::Tensor residual = plain.residual.clone();
    const auto [r, u] = fused::addRmsNorm(plain.hidden, residual, withNorm.nextNormWeight, withNorm.nextNormEps);
    if (!at::equal(host(fused.residual), host(r))) return "next norm: residual stream differs";
    // Bits, not values: the zero rows' -0 included.
    const at::Tensor got = host(fused.normalized), ref = host(u);
    if (got.scalar_type() != ref.scalar_type() ||
        !at::equal(got.view({-1}).view(at::kByte), ref.view({-1}).view(at::kByte)))
        return "next norm: normalized rows differ";
    if (!at::equal(host(fused.sizes), host(plain.sizes)) || !at::equal(host(fused.protect), host(plain.protect)))
        return "next norm: sizes or protection differ";
#else
    (void)in, (void)recipe, (void)kernels, (void)plain;
#endif
    return "";
}

// Whether `chosen` (the kernels' choice of `count` of the keys, the ATen step's keys) is a correct choice of the
// largest `count` up to fp32 rounding: the keys at the threshold are within rounding of each other (two correct
// implementations may order them either way), and every chosen key is at least, every other at most, the
// threshold within rounding.
bool validUpToRounding(const std::vector<float>& keys, const std::vector<bool>& chosen, int64_t count) {
    if (count <= 0 || count >= static_cast<int64_t>(keys.size())) return false;
    std::vector<float> sorted = keys;
    std::sort(sorted.begin(), sorted.end(), std::greater<float>());
    const float a = sorted[count - 1], b = sorted[count];
    auto tol = [](float x, float y) { return 1e-5f * (std::fabs(x) + std::fabs(y)) + 1e-6f; };
    if (!std::isfinite(a) || !std::isfinite(b) || std::fabs(a - b) > tol(a, b)) return false;
    int64_t n = 0;
    for (size_t i = 0; i < keys.size(); ++i) {
        n += chosen[i];
        if (chosen[i] && keys[i] < a - tol(a, keys[i])) return false;
        if (!chosen[i] && keys[i] > a + tol(a, keys[i])) return false;
    }
    return n == count;
}

double maxRelDiff(const at::Tensor& got, const at::Tensor& ref) {
    if (got.numel() == 0) return 0;
    const double scale = ref.abs().max().item<double>();
    const double d = (got.to(at::kDouble) - ref.to(at::kDouble)).abs().max().item<double>();
    return std::isfinite(d) ? d / (scale > 0 ? scale : 1.0) : HUGE_VAL;
}

// Fills most of the allocator's cached blocks with 0xFF, so that a kernel output left unwritten shows.
void poisonFreeMemory(const c10::Device& device) {
    auto bytes = at::TensorOptions().dtype(at::kByte).device(device);
    std::vector<at::Tensor> blocks;
    for (int i = 0; i < 32; ++i) blocks.push_back(at::empty({256 * 1024}, bytes).fill_(0xFF));
    blocks.push_back(at::empty({int64_t(512) << 20}, bytes).fill_(0xFF));
}

struct Comparison {
    bool decisionsEqual = true, nearTie = false;
    std::string problem;
};

// The choices of both steps, sequence by sequence.
Comparison compareChoices(const BatchReductionInput& in, const ReductionRecipe& recipe, const BatchReductionResult& ref,
                          const BatchReductionResult& got) {
    Comparison c;
    if (ref.lengths != got.lengths) {
        c.decisionsEqual = false;
        c.problem = "survivor counts differ";
        return c;
    }
    const at::Tensor rInB = host(ref.details.inB.to(at::kByte)), gInB = host(got.details.inB.to(at::kByte));
    const at::Tensor rMatch = host(ref.details.match), gMatch = host(got.details.match);
    const at::Tensor rFate = host(ref.details.fate.to(at::kLong)), gFate = host(got.details.fate.to(at::kLong));
    const at::Tensor rDst = host(ref.details.destination), gDst = host(got.details.destination);
    const at::Tensor rCos = host(ref.details.matchCosine), gCos = host(got.details.matchCosine);
    const at::Tensor rImp = host(ref.details.importance), prot = host(in.protect.to(at::kByte));
    const at::Tensor rKept = host(ref.kept), gKept = host(got.kept);
    const int64_t M = rInB.size(1);
    char matchWhere[200] = "", fateWhere[200] = "";
    for (size_t b = 0; b < in.lengths.size(); ++b) {
        const int64_t n = in.lengths[b];
        std::vector<float> importanceKeys, cosineKeys;
        std::vector<bool> gotInB, gotRemoved;  // the kernels' choices, for the keys above
        int64_t inBCount = 0, removedCount = 0;
        bool splitDiffers = false, matchDiffers = false, matchNearTie = true, fateDiffers = false;
        for (int64_t i = 0; i < n; ++i) {
            const int64_t at = static_cast<int64_t>(b) * M + i;
            const bool rb = rInB.data_ptr<uint8_t>()[at] != 0;
            inBCount += rb;
            const float imp = rImp.data_ptr<float>()[at];
            importanceKeys.push_back(recipe.protectPositions && prot.data_ptr<uint8_t>()[at]
                                         ? std::numeric_limits<float>::infinity()
                                         : imp);
            const int64_t rm = rMatch.data_ptr<int64_t>()[at], gm = gMatch.data_ptr<int64_t>()[at];
            gotInB.push_back(gInB.data_ptr<uint8_t>()[at] != 0);
            if (rm >= 0) {
                cosineKeys.push_back(rCos.data_ptr<float>()[at]);
                gotRemoved.push_back(gFate.data_ptr<int64_t>()[at] != FateKept);
            }
            removedCount += rFate.data_ptr<int64_t>()[at] != FateKept;
            splitDiffers = splitDiffers || rb != (gInB.data_ptr<uint8_t>()[at] != 0);
            if (rm != gm) {
                matchDiffers = true;
                matchNearTie = matchNearTie && std::fabs(rCos.data_ptr<float>()[at] - gCos.data_ptr<float>()[at]) <= 1e-5f;
                std::snprintf(matchWhere, sizeof matchWhere, "sequence %zu token %lld: match %lld vs %lld", b,
                              static_cast<long long>(i), static_cast<long long>(rm), static_cast<long long>(gm));
            }
            if (rFate.data_ptr<int64_t>()[at] != gFate.data_ptr<int64_t>()[at] ||
                rDst.data_ptr<int64_t>()[at] != gDst.data_ptr<int64_t>()[at]) {
                if (!fateDiffers)
                    std::snprintf(fateWhere, sizeof fateWhere,
                                  "sequence %zu token %lld: fate %lld -> %lld vs %lld -> %lld", b,
                                  static_cast<long long>(i), static_cast<long long>(rFate.data_ptr<int64_t>()[at]),
                                  static_cast<long long>(rDst.data_ptr<int64_t>()[at]),
                                  static_cast<long long>(gFate.data_ptr<int64_t>()[at]),
                                  static_cast<long long>(gDst.data_ptr<int64_t>()[at]));
                fateDiffers = true;
            }
        }
        for (int64_t t = 0; t < ref.lengths[b] && !fateDiffers; ++t) {
            const int64_t at = static_cast<int64_t>(b) * rKept.size(1) + t;
            if (rKept.data_ptr<int64_t>()[at] != gKept.data_ptr<int64_t>()[at]) {
                fateDiffers = true;
                std::snprintf(fateWhere, sizeof fateWhere, "sequence %zu: survivor %lld differs", b,
                              static_cast<long long>(t));
            }
        }
        if (!splitDiffers && !matchDiffers && !fateDiffers) continue;
        c.decisionsEqual = false;
        const std::string seq = "sequence " + std::to_string(b);
        if (splitDiffers) {
            c.nearTie = recipe.split != SplitRule::AlternatePositions && validUpToRounding(importanceKeys, gotInB, inBCount);
            c.problem = seq + ": the set B differs" + (c.nearTie ? " (importances at the threshold within rounding)" : "");
        } else if (matchDiffers) {
            c.nearTie = matchNearTie;
            c.problem = std::string(matchWhere) + (c.nearTie ? " (equal cosines within rounding)" : "");
        } else {
            c.nearTie = validUpToRounding(cosineKeys, gotRemoved, removedCount);
            c.problem = std::string(fateWhere) + (c.nearTie ? " (cosines at the removal threshold within rounding)" : "");
        }
        if (!c.nearTie) return c;
    }
    return c;
}

ReductionCheckResult checkCase(const ReductionCheckCase& c, const ReductionCheckSettings& s) {
    ReductionCheckResult r;
    r.c = c;
    const ReductionRecipe recipe = recipeFor(c.method, c.options);
    const BatchReductionInput in = makeInputs(c, s.device);
    // The paths compared: the ATen step, and the kernels with their products where the case says.
    KernelPaths atenStep, kernels, kernelsOwnProducts;
    atenStep.reductionKernels = false;
    kernels.bestMatchProducts = c.timed ? BestMatchProducts::BySize
                                : c.ownProducts ? BestMatchProducts::Kernels
                                                : BestMatchProducts::Cublas;
    kernels.overlappedStepLaunches = !c.plainLaunches;
    kernelsOwnProducts.bestMatchProducts = BestMatchProducts::Kernels;
    auto stepOn = [&](const KernelPaths& paths) {
        const ScopedKernelPaths inEffect(paths);
        return reduceTokensBatch(in, recipe);
    };
    const BatchReductionResult ref = stepOn(atenStep);
    poisonFreeMemory(s.device);
    const BatchReductionResult got = stepOn(kernels);
    const Comparison cmp = compareChoices(in, recipe, ref, got);
    r.nearTie = cmp.nearTie;
    r.problem = cmp.problem;
    if (!cmp.decisionsEqual) {
        r.passed = cmp.nearTie;
    } else {
        const at::Tensor pos = at::arange(ref.details.importance.size(1), ref.details.match.options()).unsqueeze(0);
        const at::Tensor padding = pos >= at::tensor(in.lengths, at::kLong).to(pos.device()).unsqueeze(1);
        r.importanceDiff = maxRelDiff(got.details.importance.masked_fill(padding, 0),
                                      ref.details.importance.masked_fill(padding, 0));
        const at::Tensor hasMatch = ref.details.match >= 0;
        r.cosineDiff = (got.details.matchCosine - ref.details.matchCosine).masked_fill(hasMatch.logical_not(), 0)
                           .abs().max().item<double>();
        r.fractionDiff = (got.details.mergedFraction - ref.details.mergedFraction)
                             .masked_fill(ref.details.fate == FateKept, 0).abs().max().item<double>();
        bool streamsOk = ref.changed == got.changed;
        if (ref.changed && got.changed) {
            r.hiddenDiff = maxRelDiff(got.hidden.to(at::kFloat), ref.hidden.to(at::kFloat));
            r.residualDiff = maxRelDiff(got.residual, ref.residual);
            streamsOk = streamsOk && at::equal(host(got.sizes), host(ref.sizes)) &&
                        at::equal(host(got.protect), host(ref.protect));
            if (!streamsOk) r.problem = "sizes or protection of the survivors differ";
        }
        r.passed = streamsOk && r.hiddenDiff <= 1e-6 && r.residualDiff <= 1e-6 && r.importanceDiff <= 1e-4 &&
                   r.cosineDiff <= 1e-5 && r.fractionDiff <= 1e-6;
        if (!r.passed && r.problem.empty()) r.problem = "values differ";
        if (r.passed && !c.timed) {
            r.problem = checkNextNorm(in, recipe, kernels, got);
            r.passed = r.problem.empty();
        }
    }
    if (c.timed) {
        auto time = [&](const KernelPaths& paths) {
            return medianMilliseconds(s.device, [&] { (void)stepOn(paths); }, 2, s.repeats);
        };
        KernelPaths kernelsCublasProducts;
        kernelsCublasProducts.bestMatchProducts = BestMatchProducts::Cublas;
        r.atenMs = time(atenStep);
        r.kernelMs = time(kernels);
        r.kernelOwnProductsMs = time(kernelsOwnProducts);
        r.kernelCublasProductsMs = time(kernelsCublasProducts);
    }
    return r;
}

}  // namespace

std::vector<ReductionCheckCase> defaultReductionCheckCases() {
    std::vector<ReductionCheckCase> cases;
    struct Variant {
        std::string name;
        ReductionMethod method;
        ReductionOptions options;
    };
    ReductionOptions residualPrune, raw, l2, hiddenMerge;
    residualPrune.residual = ResidualStrategy::Prune;
    raw.metric = ImportanceMetric::Raw;
    l2.metric = ImportanceMetric::L2;
    hiddenMerge.hidden = HiddenStrategy::Merge;
    const std::vector<Variant> variants = {
        {"utr", ReductionMethod::Utr, {}},
        {"utr-token", ReductionMethod::UtrToken, {}},
        {"evit", ReductionMethod::Evit, {}},
        {"tome", ReductionMethod::Tome, {}},
        {"pumer", ReductionMethod::Pumer, {}},
        {"prune-only", ReductionMethod::PruneOnly, {}},
        {"merge-only", ReductionMethod::MergeOnly, {}},
        {"utr residual prune", ReductionMethod::Utr, residualPrune},
        {"utr-token residual prune", ReductionMethod::UtrToken, residualPrune},
        {"utr raw", ReductionMethod::Utr, raw},
        {"evit l2", ReductionMethod::Evit, l2},
        {"utr hidden merge", ReductionMethod::Utr, hiddenMerge},
    };
    struct Shape {
        std::vector<int64_t> lengths;
        int64_t channels;
        double keepRatio;
    };
    // The last: one sequence of a 130m first anchor (the hand-written product's 128 x 64 tiles, ReductionMatch.cu).
    const std::vector<Shape> shapes = {{{300}, 64, kDefaultKeepRatio},
                                       {{1000, 731, 2, 1}, 256, 0.7},
                                       {{2048, 1500}, 768, 0.5},
                                       {{2048}, 768, kDefaultKeepRatio}};
    for (const Variant& v : variants)
        for (c10::ScalarType t : {c10::kBFloat16, c10::kHalf, c10::kFloat})
            for (const Shape& sh : shapes)
                for (const char* input : {"random", "hub", "ties"}) {
                    ReductionCheckCase c;
                    c.method = v.method;
                    c.options = v.options;
                    c.dtype = t;
                    c.lengths = sh.lengths;
                    c.channels = sh.channels;
                    c.keepRatio = sh.keepRatio;
                    c.input = input;
                    std::string lengths;
                    for (int64_t n : sh.lengths) lengths += (lengths.empty() ? "" : "/") + std::to_string(n);
                    c.name = v.name + ", " + c10::toString(t) + ", L " + lengths + ", D " + std::to_string(sh.channels) +
                             ", q " + std::to_string(sh.keepRatio).substr(0, 5) + ", " + input;
                    cases.push_back(c);
                }
    // The same accuracy cases with the hand-written best-match products instead of cuBLAS.
    const size_t accuracyCases = cases.size();
    for (size_t i = 0; i < accuracyCases; ++i) {
        ReductionCheckCase c = cases[i];
        c.ownProducts = true;
        c.name += ", own products";
        cases.push_back(c);
    }
    // The kernels in plain stream order (the cases above launch them overlapped where the device can): the
    // partition-heavy shapes of the main recipes, both product paths.
    for (size_t i = 0; i < 2 * accuracyCases; ++i) {
        const ReductionCheckCase& base = cases[i];
        const bool mainRecipe = base.method == ReductionMethod::Utr || base.method == ReductionMethod::Evit;
        if (!mainRecipe || base.channels != 768 || base.input != "random") continue;
        ReductionCheckCase c = base;
        c.plainLaunches = true;
        c.name += ", plain launches";
        cases.push_back(c);
    }
    // A sequence long enough for the hand-written products' large tiles and for the tiled passes of the
    // per-sequence kernels (more than 4096 rows), with two sequences of unequal lengths.
    for (bool own : {true, false}) {
        ReductionCheckCase c;
        c.lengths = {8192, 5001};
        c.channels = 768;
        c.ownProducts = own;
        c.name = "utr, bf16, L 8192/5001, D 768, q " + std::to_string(kDefaultKeepRatio).substr(0, 5) + ", random" +
                 (own ? ", own products" : "");
        cases.push_back(c);
    }
    // One anchor step at the shapes of published sizes (d_model 768, 2048, 2560), the paper's ratio; the token
    // counts of the first anchors at L 2048 and 8192 and the ones between.
    for (int64_t D : {768, 2048, 2560})
        for (int64_t L : {1024, 2048, 4096, 8192}) {
            ReductionCheckCase c;
            c.dtype = c10::kBFloat16;
            c.lengths = {L};
            c.channels = D;
            c.timed = true;
            c.name = "utr, bf16, L " + std::to_string(L) + ", D " + std::to_string(D) + " (timed)";
            cases.push_back(c);
        }
    return cases;
}

std::vector<ReductionCheckResult> runReductionKernelCheck(const ReductionCheckSettings& s,
                                                          const std::vector<ReductionCheckCase>& cases) {
    if (!reductionKernelsBuilt()) throw Error("check-reduce: this build has no CUDA kernels (a CPU build)");
    if (!s.device.is_cuda()) throw Error("check-reduce: the kernels run on CUDA devices only (--device cuda)");
    std::vector<ReductionCheckResult> out;
    at::manual_seed(0);
    for (const ReductionCheckCase& c : cases) {
        ReductionCheckResult r = checkCase(c, s);
        if (s.progress)
            s.progress(c.name + ": " + (r.passed ? (r.nearTie ? "near tie" : "ok") : "FAILED") +
                       (r.problem.empty() ? "" : " - " + r.problem));
        out.push_back(r);
    }
    return out;
}

std::string reductionCheckTable(const std::vector<ReductionCheckResult>& results, const ReductionCheckSettings& s) {
    int passed = 0, nearTies = 0;
    double hidden = 0, residual = 0, importance = 0, cosine = 0, fraction = 0;
    for (const auto& r : results) {
        passed += r.passed;
        nearTies += r.nearTie;
        hidden = std::max(hidden, r.hiddenDiff);
        residual = std::max(residual, r.residualDiff);
        importance = std::max(importance, r.importanceDiff);
        cosine = std::max(cosine, r.cosineDiff);
        fraction = std::max(fraction, r.fractionDiff);
    }
    char line[600];
    std::string t = "Reduction step, kernels against the ATen step, on " + deviceDescription(s.device) + "\n\n";
    std::snprintf(line, sizeof line,
                  "%d of %zu cases pass (%d of them near ties, where two candidates are within fp32 rounding).\n"
                  "Largest differences where the choices agree: hidden %.2e, residual %.2e (relative), importance "
                  "%.2e (relative), cosine %.2e, merged fraction %.2e.\n\n",
                  passed, results.size(), nearTies, hidden, residual, importance, cosine, fraction);
    t += line;
    t += "| case | result | hidden | residual | importance | cosine | ATen ms | kernels ms | speedup | kernels ms, own "
         "products | kernels ms, cuBLAS products |\n|---|---|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& r : results) {
        if (r.passed && !r.nearTie && !r.c.timed) continue;  // the summary above covers the plain passes
        std::string timing = "- | - | - | - | -";
        if (r.c.timed) {
            char tm[160];
            std::snprintf(tm, sizeof tm, "%.3f | %.3f | %.1fx | %.3f | %.3f", r.atenMs, r.kernelMs,
                          r.atenMs / r.kernelMs, r.kernelOwnProductsMs, r.kernelCublasProductsMs);
            timing = tm;
        }
        std::snprintf(line, sizeof line, "| %s | %s | %.1e | %.1e | %.1e | %.1e | %s |\n", r.c.name.c_str(),
                      (r.passed ? (r.nearTie ? "near tie: " + r.problem : std::string("ok"))
                                : "FAILED: " + r.problem)
                          .c_str(),
                      r.hiddenDiff, r.residualDiff, r.importanceDiff, r.cosineDiff, timing.c_str());
        t += line;
    }
    return t;
}

}  // namespace ssmlens
