#pragma once
// What two floating-point computations of the same quantity are guaranteed to share, for the tests.
//
// One formula computed by two code paths (a one-row head against the full head, a padded batch against one
// sequence, a decode step against a prefill) sums in another order, and so does one code path on another
// CPU: OpenBLAS picks its kernels by CPU model (Prescott ... SapphireRapids) and ATen by SIMD width
// (default, AVX2, AVX-512). Results then differ in their last bits. The tests therefore
//  - compare such results with a tolerance (the constants below say what is guaranteed), and
//  - compare a discrete outcome taken from them (an argmax, a greedy flag) only where its margin is wider
//    than that tolerance; a near-tie may go either way and is reported as undecided, not as a failure.
// Exact comparisons stay only where one code path computes both sides on the same inputs (determinism,
// a no-op hook, a file round trip). `bash tools/test_cpu_variants.sh` runs the suite under forced kernels.
#include "AtenOperators.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace ssmlens::testing {

// Relative difference allowed between two fp32 computations of one quantity that differ only in summation
// order. The test models' sums run over at most a few hundred terms, each step rounding by 2^-24 (6e-8).
constexpr double kReorderedFp32Relative = 1e-5;

// Logit gap under which an argmax is a near-tie: fp32 logits of the test models are O(1..10), so their
// reordering error is far below this, and a real preference is far above it.
constexpr double kArgmaxTieLogitGap = 1e-4;

// |a - b| <= relative * max(|a|, |b|) + absolute
inline bool nearlyEqual(double a, double b, double relative = kReorderedFp32Relative, double absolute = 0) {
    return std::abs(a - b) <= relative * std::max(std::abs(a), std::abs(b)) + absolute;
}

// How far token `id` leads every other entry of one row of logits (negative: another token is higher).
inline double argmaxLead(const at::Tensor& row, int64_t id) {
    at::Tensor r = row.to(at::kDouble).clone();
    const double own = r[id].item<double>();
    r[id] = -INFINITY;
    return own - r.max().item<double>();
}

// A greedy decision (is `id` the argmax of `row`?) that the tolerance cannot flip: +1 yes, -1 no, 0 a
// near-tie that another summation order may decide either way.
inline int decidedArgmax(const at::Tensor& row, int64_t id, double gap = kArgmaxTieLogitGap) {
    const double lead = argmaxLead(row, id);
    if (lead > gap) return 1;
    if (lead < -gap) return -1;
    return 0;
}

}  // namespace ssmlens::testing
