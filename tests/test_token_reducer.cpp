// One reduction step, checked by hand on crafted tensors for every method, and its invariants on random
// ones: ceil(qN) survivors (at most half removed), order kept, protected positions kept, q = 1 changes nothing.
// The batched step (reduceTokensBatch, what the model hook runs) against reduceTokens sequence by sequence.
#include <QtTest/QtTest>
#include <cmath>

#include "AtenOperators.h"

#include "core/reduction/TokenReducer.h"
#include "ModelTestSupport.h"

using namespace ssmlens;

namespace {

// Five tokens, two channels. Clip importance: t0 1.2, t1 4, t2 3, t3 2.1, t4 0.5 (t4 is last: protected).
// Importance split (ceil(5/2) = 3 in B): B = {t1, t2, t4}, A = {t0, t3}; both of A match t1.
ReductionStepInput crafted(double q) {
    ReductionStepInput in;
    in.hidden = at::tensor({1.0f, 0.2f, 4.0f, 0.0f, 0.0f, 3.0f, 2.0f, 0.1f, 0.0f, 0.5f}).view({5, 2});
    in.residual = at::tensor({0.f, 0.f, 1.f, 10.f, 2.f, 20.f, 3.f, 30.f, 4.f, 40.f}).view({5, 2});
    in.sizes = at::ones({5});
    in.protect = at::tensor({0, 0, 0, 0, 1}).to(at::kBool);
    in.keepRatio = q;
    return in;
}

std::vector<int64_t> toVector(const at::Tensor& t) {
    at::Tensor c = t.to(at::kLong).contiguous();
    return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}

bool near(const at::Tensor& a, std::vector<float> expected) {
    at::Tensor e = at::tensor(expected).view(a.sizes());
    return at::allclose(a.to(at::kFloat), e, 1e-5, 1e-6);
}

ReductionRecipe recipe(ReductionMethod m) { return recipeFor(m, ReductionOptions{}); }

}  // namespace

class TestTokenReducer : public QObject {
    Q_OBJECT
private slots:
    void keepCountRounding() {
        QCOMPARE(keptTokenCount(200, 0.905), int64_t(181));
        QCOMPARE(keptTokenCount(100, 0.5), int64_t(50));
        QCOMPARE(keptTokenCount(10, 0.01), int64_t(1));
        QCOMPARE(keptTokenCount(7, 1.0), int64_t(7));
        QCOMPARE(keptTokenCount(3, 0.7), int64_t(3));  // 2.1 -> 3
    }

    void unifiedChannelHybridByHand() {
        ReductionStepResult r = reduceTokens(crafted(0.6), recipe(ReductionMethod::Utr));
        QCOMPARE(toVector(r.kept), (std::vector<int64_t>{1, 2, 4}));
        QCOMPARE(toVector(r.inB.to(at::kLong)), (std::vector<int64_t>{0, 1, 1, 0, 1}));
        QCOMPARE(toVector(r.match), (std::vector<int64_t>{1, -1, -1, 1, -1}));
        // Two removed tokens share t1: per channel the larger one merges (channel 0: t3's 2 > t0's 1;
        // channel 1: t0's 0.2 > t3's 0.1), each averaged with t1 at weight 1 : 1.
        QVERIFY(near(r.hidden, {3.0f, 0.1f, 0.0f, 3.0f, 0.0f, 0.5f}));
        // The residual merges both, size-weighted: (r1 + r0 + r3) / 3.
        QVERIFY(near(r.residual, {4.0f / 3, 40.0f / 3, 2.f, 20.f, 4.f, 40.f}));
        QVERIFY(near(r.sizes, {3.f, 1.f, 1.f}));
        QCOMPARE(toVector(r.fate), (std::vector<int64_t>{FateMerged, FateKept, FateKept, FateMerged, FateKept}));
        QCOMPARE(toVector(r.destination), (std::vector<int64_t>{1, -1, -1, 1, -1}));
        QVERIFY(near(r.mergedFraction, {0.5f, 0.f, 0.f, 0.5f, 0.f}));
    }

    void unifiedWeightsBySize() {
        ReductionStepInput in = crafted(0.6);
        in.sizes = at::tensor({1.f, 2.f, 1.f, 3.f, 1.f});
        ReductionStepResult r = reduceTokens(in, recipe(ReductionMethod::Utr));
        // channel 0: t3 (size 3) into t1 (size 2): (2*4 + 3*2) / 5; channel 1: t0 (size 1): (2*0 + 1*0.2) / 3
        QVERIFY(near(r.hidden.select(0, 0), {14.0f / 5, 0.2f / 3}));
        // residual: (2 r1 + 1 r0 + 3 r3) / 6, size 6
        QVERIFY(near(r.residual.select(0, 0), {(2 * 1.f + 3 * 3.f) / 6, (2 * 10.f + 3 * 30.f) / 6}));
        QCOMPARE(r.sizes[0].item<float>(), 6.0f);
    }

    void unifiedTokenGranularity() {
        ReductionStepResult r = reduceTokens(crafted(0.6), recipe(ReductionMethod::UtrToken));
        // Per token: of the two matched to t1, the more important (t3, 2.1 > 1.2) merges, t0 is pruned in h.
        QVERIFY(near(r.hidden.select(0, 0), {3.0f, 0.05f}));
        QVERIFY(near(r.mergedFraction, {0.f, 0.f, 0.f, 1.f, 0.f}));
        QVERIFY(near(r.residual.select(0, 0), {4.0f / 3, 40.0f / 3}));  // the residual still merges both
    }

    void loneMatchIsMerged() {
        // q = 0.8 keeps 4: one removal, the most similar of A (t0: cosine 0.98 vs t3's 0.9988? no: t3 is higher).
        ReductionStepResult r = reduceTokens(crafted(0.8), recipe(ReductionMethod::Utr));
        QCOMPARE(toVector(r.kept), (std::vector<int64_t>{0, 1, 2, 4}));
        QVERIFY(near(r.hidden.select(0, 1), {3.0f, 0.05f}));  // j = 1: merged in every channel
        QVERIFY(near(r.mergedFraction, {0.f, 0.f, 0.f, 1.f, 0.f}));
    }

    void pruneOnlyAndMergeOnly() {
        ReductionStepResult p = reduceTokens(crafted(0.6), recipe(ReductionMethod::PruneOnly));
        QCOMPARE(toVector(p.kept), (std::vector<int64_t>{1, 2, 4}));
        QVERIFY(near(p.hidden, {4.f, 0.f, 0.f, 3.f, 0.f, 0.5f}));
        QVERIFY(near(p.residual, {1.f, 10.f, 2.f, 20.f, 4.f, 40.f}));
        QCOMPARE(toVector(p.fate), (std::vector<int64_t>{FatePruned, FateKept, FateKept, FatePruned, FateKept}));
        ReductionStepResult m = reduceTokens(crafted(0.6), recipe(ReductionMethod::MergeOnly));
        QVERIFY(near(m.hidden.select(0, 0), {7.0f / 3, 0.3f / 3}));
        QVERIFY(near(m.residual.select(0, 0), {4.0f / 3, 40.0f / 3}));
    }

    void evitKeepsTheMostImportant() {
        ReductionStepResult r = reduceTokens(crafted(0.4), recipe(ReductionMethod::Evit));
        // keep ceil(2) = 2: the protected t4 and the most important t1.
        QCOMPARE(toVector(r.kept), (std::vector<int64_t>{1, 4}));
        QVERIFY(near(r.residual, {1.f, 10.f, 4.f, 40.f}));
        QCOMPARE(toVector(r.fate), (std::vector<int64_t>{FatePruned, FateKept, FatePruned, FatePruned, FateKept}));
    }

    void positionalMergesTheOldestIntoTheFirst() {
        // keep max(ceil(0.6 * 5), ceil(5 / 2), 1 protected) = 3: t1 and t2, the oldest after t0, go into t0.
        ReductionStepResult r = reduceTokens(crafted(0.6), recipe(ReductionMethod::Positional));
        QCOMPARE(toVector(r.kept), (std::vector<int64_t>{0, 3, 4}));
        QCOMPARE(toVector(r.inB.to(at::kLong)), (std::vector<int64_t>{1, 0, 0, 0, 0}));
        QCOMPARE(toVector(r.match), (std::vector<int64_t>{-1, 0, 0, 0, -1}));  // t4 is protected: no candidate
        QCOMPARE(toVector(r.fate), (std::vector<int64_t>{FateKept, FateMerged, FateMerged, FateKept, FateKept}));
        QCOMPARE(toVector(r.destination), (std::vector<int64_t>{-1, 0, 0, -1, -1}));
        QVERIFY(near(r.mergedFraction, {0.f, 1.f, 1.f, 0.f, 0.f}));
        // Both streams: (x0 + x1 + x2) / 3; t3 and t4 untouched.
        QVERIFY(near(r.hidden, {5.0f / 3, 3.2f / 3, 2.f, 0.1f, 0.f, 0.5f}));
        QVERIFY(near(r.residual, {1.f, 10.f, 3.f, 30.f, 4.f, 40.f}));
        QVERIFY(near(r.sizes, {3.f, 1.f, 1.f}));
        // t1 clipped [4, 0] against t0 [1, 0.2]: cosine 1 / sqrt(1.04).
        QVERIFY(std::abs(r.matchCosine[1].item<float>() - float(1.0 / std::sqrt(1.04))) < 1e-6f);
    }

    void positionalWeightsBySizeAndSkipsProtected() {
        ReductionStepInput in = crafted(0.6);
        in.sizes = at::tensor({1.f, 2.f, 1.f, 3.f, 1.f});
        in.protect[1] = true;  // t1 stays: the oldest unprotected after t0 are t2 and t3
        ReductionStepResult r = reduceTokens(in, recipe(ReductionMethod::Positional));
        QCOMPARE(toVector(r.kept), (std::vector<int64_t>{0, 1, 4}));
        // (1 x0 + 1 x2 + 3 x3) / 5, size 5
        QVERIFY(near(r.hidden.select(0, 0), {(1.f + 0.f + 3 * 2.f) / 5, (0.2f + 3.f + 3 * 0.1f) / 5}));
        QVERIFY(near(r.residual.select(0, 0), {(0.f + 2.f + 9.f) / 5, (0.f + 20.f + 90.f) / 5}));
        QVERIFY(near(r.sizes, {5.f, 2.f, 1.f}));
        // q = 1 and a single token change nothing.
        QCOMPARE(reduceTokens(crafted(1.0), recipe(ReductionMethod::Positional)).kept.size(0), int64_t(5));
    }

    void tomeMergesEvenIntoOdd() {
        // A = {t0, t2} (t4 is even but protected), B = {t1, t3, t4}; unclipped cosine.
        // t0 [1, .2] best t1 (0.98); t2 [0, 3] best t4 (1.0). q = 0.8 removes one: t2 (cosine 1) into t4.
        ReductionStepResult r = reduceTokens(crafted(0.8), recipe(ReductionMethod::Tome));
        QCOMPARE(toVector(r.inB.to(at::kLong)), (std::vector<int64_t>{0, 1, 0, 1, 1}));
        QCOMPARE(toVector(r.kept), (std::vector<int64_t>{0, 1, 3, 4}));
        QVERIFY(near(r.hidden.select(0, 3), {0.f, 1.75f}));
        QVERIFY(near(r.residual.select(0, 3), {3.f, 30.f}));
        QCOMPARE(toVector(r.destination), (std::vector<int64_t>{-1, -1, 4, -1, -1}));
    }

    void pumerUsesClippedFeatures() {
        // A token with a negative channel: clipped, t0' = [0, 1] matches t1' = [0, 2]; unclipped it matches t3.
        ReductionStepInput in;
        in.hidden = at::tensor({-5.f, 1.f, 0.f, 2.f, 0.f, 0.f, -1.f, 0.f}).view({4, 2});
        in.residual = at::zeros({4, 2});
        in.sizes = at::ones({4});
        in.protect = at::tensor({0, 0, 0, 1}).to(at::kBool);
        in.keepRatio = 0.75;
        QCOMPARE(reduceTokens(in, recipe(ReductionMethod::Pumer)).match[0].item<int64_t>(), int64_t(1));
        QCOMPARE(reduceTokens(in, recipe(ReductionMethod::Tome)).match[0].item<int64_t>(), int64_t(3));
    }

    void invariantsOnRandomTokens() {
        at::manual_seed(3);
        for (ReductionMethod m : {ReductionMethod::Utr, ReductionMethod::UtrToken, ReductionMethod::Positional,
                                  ReductionMethod::Evit, ReductionMethod::Tome, ReductionMethod::Pumer,
                                  ReductionMethod::PruneOnly, ReductionMethod::MergeOnly}) {
            for (int64_t n : {1, 2, 7, 64, 101}) {
                for (double q : {0.1, 0.5, 0.905, 1.0}) {
                    ReductionStepInput in;
                    in.hidden = at::randn({n, 16});
                    in.residual = at::randn({n, 16});
                    in.sizes = at::ones({n});
                    in.protect = at::zeros({n}, at::kBool);
                    in.protect[n - 1] = true;
                    if (n > 3) in.protect[n / 3] = true;
                    in.keepRatio = q;
                    ReductionStepResult r = reduceTokens(in, recipeFor(m, {}));
                    const QString where = QString("%1 n=%2 q=%3").arg(methodName(m).c_str()).arg(n).arg(q);
                    const int64_t want = keptTokenCount(n, q);
                    // Matching methods remove at most the candidate set A (about half).
                    const int64_t aSize = r.inB.logical_not().sum().item<int64_t>();
                    const int64_t nProtected = in.protect.sum().item<int64_t>();
                    // Positional: at most half go, as for the others, and only unprotected tokens after the
                    // first can go.
                    const int64_t candidates = n - 1 - in.protect.narrow(0, 1, n - 1).sum().item<int64_t>();
                    const int64_t positionalKept = n - std::min(n - std::max({want, (n + 1) / 2, nProtected}), candidates);
                    const int64_t expected = m == ReductionMethod::Evit         ? std::max(want, nProtected)
                                             : m == ReductionMethod::Positional ? positionalKept
                                                                                : std::max(want, n - aSize);
                    QVERIFY2(r.kept.size(0) == expected, qPrintable(where));
                    QVERIFY2(at::equal(r.kept, std::get<0>(at::sort(r.kept))), qPrintable(where));
                    QVERIFY2(in.protect.index_select(0, r.kept).sum().item<int64_t>() == in.protect.sum().item<int64_t>(),
                             qPrintable(where));
                    // Sizes are conserved by merging methods, and never exceed n.
                    if (m != ReductionMethod::Evit && m != ReductionMethod::PruneOnly)
                        QVERIFY2(r.sizes.sum().item<float>() == float(n), qPrintable(where));
                    if (q == 1.0) {
                        QVERIFY2(at::equal(r.hidden, in.hidden) && at::equal(r.residual, in.residual), qPrintable(where));
                    }
                }
            }
        }
    }

    // reduceTokensBatch on a padded batch of sequences of different lengths selects exactly what
    // reduceTokens selects on each sequence alone, and its values agree to fp32 rounding (bit for bit on the
    // CPU when written; batched GPU kernels may round differently); padding rows
    // (filled with large values here) take part in nothing and come out as zero rows.
    // Also a batch of one sequence through the batch code, which is what runs for one sequence on a GPU.
    void batchEqualsSequenceBySequence() {
        at::manual_seed(11);
        for (const std::vector<int64_t>& lengths : {std::vector<int64_t>{40, 1, 2, 9, 33, 40, 17}, {40}, {23}}) {
            compareBatchWithSequences(lengths);
            if (QTest::currentTestFailed()) return;
        }
    }

private:
    // One padded batch of the given lengths, every method, bf16 and fp32, several keep ratios.
    void compareBatchWithSequences(const std::vector<int64_t>& lengths) {
        const int64_t B = int64_t(lengths.size()), M = 40, D = 16;
        for (ReductionMethod m : {ReductionMethod::Utr, ReductionMethod::UtrToken, ReductionMethod::UtrReference,
                                  ReductionMethod::Positional, ReductionMethod::Evit, ReductionMethod::Tome,
                                  ReductionMethod::Pumer, ReductionMethod::PruneOnly, ReductionMethod::MergeOnly}) {
            for (bool bf16 : {false, true}) {
                for (double q : {0.3, 0.7, 0.905, 1.0}) {
                    BatchReductionInput in;
                    in.hidden = at::randn({B, M, D});
                    in.residual = at::randn({B, M, D});
                    in.sizes = at::randint(1, 4, {B, M}).to(at::kFloat);
                    in.protect = at::rand({B, M}) < 0.1;
                    for (int64_t b = 0; b < B; ++b) {
                        const int64_t n = lengths[b];
                        in.protect[b][n - 1] = true;
                        if (n < M) {
                            in.hidden[b].narrow(0, n, M - n).fill_(1e3);
                            in.residual[b].narrow(0, n, M - n).fill_(-1e3);
                            in.sizes[b].narrow(0, n, M - n).fill_(0);
                            in.protect[b].narrow(0, n, M - n).fill_(false);
                        }
                        in.protectedCount.push_back(in.protect[b].sum().item<int64_t>());
                    }
                    if (bf16) in.hidden = in.hidden.to(at::kBFloat16);
                    in.lengths = lengths;
                    in.keepRatio = q;
                    const ReductionRecipe recipe = recipeFor(m, {});
                    // One sequence: the batch code itself (reduceTokensBatch would run reduceTokens on the CPU).
                    const BatchReductionResult r = B == 1 ? reduceTokensBatched(in, recipe) : reduceTokensBatch(in, recipe);
                    const QString where =
                        QString("%1 q=%2 bf16=%3 B=%4").arg(methodName(m).c_str()).arg(q).arg(bf16).arg(B);
                    QCOMPARE(int64_t(r.lengths.size()), B);
                    QCOMPARE(r.hidden.scalar_type(), in.hidden.scalar_type());
                    bool changed = false;
                    for (int64_t b = 0; b < B; ++b) {
                        const int64_t n = lengths[b];
                        const QString at = where + QString(" sequence %1").arg(b);
                        ReductionStepInput one;
                        one.hidden = in.hidden[b].narrow(0, 0, n);
                        one.residual = in.residual[b].narrow(0, 0, n);
                        one.sizes = in.sizes[b].narrow(0, 0, n);
                        one.protect = in.protect[b].narrow(0, 0, n);
                        one.keepRatio = q;
                        const ReductionStepResult s = reduceTokens(one, recipe);
                        const int64_t k = s.kept.size(0);
                        changed = changed || k != n;
                        QVERIFY2(r.lengths[b] == k, qPrintable(at));
                        QVERIFY2(at::equal(r.kept[b].narrow(0, 0, k), s.kept), qPrintable(at));
                        auto close = [](const at::Tensor& a, const at::Tensor& e) {
                            return a.sizes() == e.sizes() &&
                                   at::allclose(a.to(at::kFloat), e.to(at::kFloat), 1e-5, 1e-6, /*equal_nan=*/true);
                        };
                        QVERIFY2(close(r.hidden[b].narrow(0, 0, k), s.hidden), qPrintable(at));
                        QVERIFY2(close(r.residual[b].narrow(0, 0, k), s.residual), qPrintable(at));
                        QVERIFY2(close(r.sizes[b].narrow(0, 0, k), s.sizes), qPrintable(at));
                        if (r.changed) {
                            QVERIFY2(at::equal(r.protect[b].narrow(0, 0, k), one.protect.index_select(0, s.kept)),
                                     qPrintable(at));
                            const int64_t M2 = r.hidden.size(1);
                            QVERIFY2(r.hidden[b].narrow(0, k, M2 - k).abs().sum().item<double>() == 0 &&
                                         r.residual[b].narrow(0, k, M2 - k).abs().sum().item<double>() == 0 &&
                                         !r.protect[b].narrow(0, k, M2 - k).any().item<bool>(),
                                     qPrintable(at));
                        }
                        const ReductionStepDetails& d = r.details;
                        QVERIFY2(close(d.importance[b].narrow(0, 0, n), s.importance), qPrintable(at));
                        QVERIFY2(close(d.matchCosine[b].narrow(0, 0, n), s.matchCosine), qPrintable(at));
                        QVERIFY2(close(d.mergedFraction[b].narrow(0, 0, n), s.mergedFraction), qPrintable(at));
                        QVERIFY2(at::equal(d.inB[b].narrow(0, 0, n), s.inB), qPrintable(at));
                        QVERIFY2(at::equal(d.match[b].narrow(0, 0, n), s.match), qPrintable(at));
                        QVERIFY2(at::equal(d.fate[b].narrow(0, 0, n), s.fate.to(at::kLong)), qPrintable(at));
                        QVERIFY2(at::equal(d.destination[b].narrow(0, 0, n), s.destination), qPrintable(at));
                    }
                    QVERIFY2(r.changed == changed, qPrintable(where));
                    if (!r.changed)
                        QVERIFY2(r.hidden.is_same(in.hidden) && r.residual.is_same(in.residual), qPrintable(where));
                }
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestTokenReducer)
#include "test_token_reducer.moc"
