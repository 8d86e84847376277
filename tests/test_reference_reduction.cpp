// "utr-reference": one step of the authors' reference reduction (docs/utr-reference.md), checked by hand on
// crafted tensors (the even/odd split fed with row numbers of a per-channel-sorted matrix, the source /
// destination pairing, the mismatched hybrid denominators, no protected position, the exact keep count),
// plus invariants on random tokens.
#include <QtTest/QtTest>

#include "AtenOperators.h"

#include "core/reduction/ReferenceReduction.h"

using namespace ssmlens;

namespace {

std::vector<int64_t> toVector(const at::Tensor& t) {
    at::Tensor c = t.to(at::kLong).contiguous();
    return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}

bool near(const at::Tensor& a, std::vector<float> expected, double atol = 1e-5) {
    at::Tensor e = at::tensor(expected).view(a.sizes());
    return at::allclose(a.to(at::kFloat), e, 1e-5, atol);
}

ReductionRecipe referenceRecipe(ImportanceMetric metric = ImportanceMetric::Clip) {
    ReductionOptions o;
    o.metric = metric;
    return recipeFor(ReductionMethod::UtrReference, o);
}

ReductionStepInput input(const std::vector<float>& hidden, const std::vector<float>& residual, int64_t n, double q) {
    ReductionStepInput in;
    in.hidden = at::tensor(hidden).view({n, -1});
    in.residual = at::tensor(residual).view({n, -1});
    in.sizes = at::ones({n});
    std::vector<int64_t> prot(n, 0);
    prot[n - 1] = 1;  // as the hook passes it; the reference ignores it
    in.protect = at::tensor(prot).to(at::kBool);
    in.keepRatio = q;
    return in;
}

// Six tokens, two channels, clip metric (the reference's default), q = 0.6.
//   h: t0 (8, 6)  t1 (0, 2)  t2 (6, 8)  t3 (12, -5)  t4 (5, 12)  t5 (12, 5); residual t_i = (i, 10 i).
// Keep ceil(6 * 0.6) = ceil(3.6) = 4, so r = min(6 - 4, 6 // 2) = 2 sources, k = r // 2 = 1.
// Clipped, normalised features: t0 (.8, .6)  t1 (0, 1)  t2 (.6, .8)  t3 (1, 0)  t4 (5/13, 12/13)
// t5 (12/13, 5/13). Each channel sorted on its own (descending):
//   channel 0: 1, 12/13, .8, .6, 5/13, 0     channel 1: 1, 12/13, .8, .6, 5/13, 0
// so the sorted rows are s0 (1, 1), s1 (12/13, 12/13), s2 (.8, .8) | s3 (.6, .6), s4 (5/13, 5/13), s5 (0, 0):
// b = s0..s2, a = s3..s5 (none of them is a token).
//   a0 = s3: s3.s0 = 1.2, s3.s1 = 1.1077, s3.s2 = .96     -> best b0, score 1.2
//   a1 = s4: s4.s0 = 10/13 = .7692, s4.s1 = .7101, s4.s2 = .6154 -> best b0, score .7692
//   a2 = s5: all 0                                           -> best b0 (first), score 0
// Ranking 1.2 > .7692 > 0: sources a0, a1, both to b0. Applied to positions: a-row i = position 2i,
// b-row j = position 2j + 1, so t0 and t2 go into t1, whatever their importance (t0 14 and t2 14 are
// among the most important; t1, 2, the least).
ReductionStepInput clipExample() {
    return input({8, 6, 0, 2, 6, 8, 12, -5, 5, 12, 12, 5}, {0, 0, 1, 10, 2, 20, 3, 30, 4, 40, 5, 50}, 6, 0.6);
}

// Six tokens, two channels, raw metric (features not clipped), q = 0.6: r = 2, k = 1 again.
//   h: t0 (24, -7)  t1 (-24, -7)  t2 (3, 4)  t3 (4, -3)  t4 (5, 0)  t5 (3, -4); residual t_i = (i, i^2).
// Normalised features: t0 (.96, -.28)  t1 (-.96, -.28)  t2 (.6, .8)  t3 (.8, -.6)  t4 (1, 0)  t5 (.6, -.8).
//   channel 0 sorted: 1, .96, .8 | .6, .6, -.96      channel 1 sorted: .8, 0, -.28 | -.28, -.6, -.8
//   b: s0 (1, .8), s1 (.96, 0), s2 (.8, -.28);  a: s3 (.6, -.28), s4 (.6, -.6), s5 (-.96, -.8)
//   a0: .6 - .224 = .376, .576, .48 + .0784 = .5584   -> best b1, score .576
//   a1: .6 - .48 = .12,  .576, .48 + .168 = .648      -> best b2, score .648
//   a2: -1.6, -.9216, -.768 + .224 = -.544            -> best b2, score -.544
// Ranking: a1 (.648), a0 (.576), a2. Sources = the top 2 sorted ascending = [a0, a1] = positions 0, 2; their
// destinations in ranking order = [b2, b1] = positions 5, 3. Slot by slot: t0 -> t5 and t2 -> t3, although the
// matching paired t0 with t3 and t2 with t5 (the pairing quirk).
ReductionStepInput rawExample() {
    return input({24, -7, -24, -7, 3, 4, 4, -3, 5, 0, 3, -4}, {0, 0, 1, 1, 2, 4, 3, 9, 4, 16, 5, 25}, 6, 0.6);
}

}  // namespace

class TestReferenceReduction : public QObject {
    Q_OBJECT
private slots:
    void keepCountIsPythonsCeil() {
        QCOMPARE(referenceKeptTokenCount(6, 0.6), int64_t(4));
        QCOMPARE(referenceKeptTokenCount(6, 0.5), int64_t(3));
        QCOMPARE(referenceKeptTokenCount(200, 0.905), int64_t(181));
        QCOMPARE(referenceKeptTokenCount(7, 0.1), int64_t(4));  // ceil(.7) = 1, but at most 7 // 2 = 3 go
        QCOMPARE(referenceKeptTokenCount(1, 0.5), int64_t(1));
        QCOMPARE(referenceKeptTokenCount(9, 1.0), int64_t(9));
        // 100 * 0.55 = 55.000000000000007 in double: Python's ceil gives 56; keptTokenCount's tolerance 55.
        QCOMPARE(referenceKeptTokenCount(100, 0.55), int64_t(56));
        QCOMPARE(keptTokenCount(100, 0.55), int64_t(55));
        ReductionStepInput in = input(std::vector<float>(100 * 4, 1.f), std::vector<float>(100 * 4, 1.f), 100, 0.55);
        in.hidden = at::rand({100, 4});
        QCOMPARE(reduceTokensLikeReference(in, referenceRecipe()).kept.size(0), int64_t(56));
    }

    void clipDefaultMergesTheFirstEvenTokensIntoTheSecond() {
        ReductionStepResult r = reduceTokensLikeReference(clipExample(), referenceRecipe());
        QCOMPARE(toVector(r.kept), (std::vector<int64_t>{1, 3, 4, 5}));
        QCOMPARE(toVector(r.inB.to(at::kLong)), (std::vector<int64_t>{0, 1, 0, 1, 0, 1}));  // odd positions
        QCOMPARE(toVector(r.match), (std::vector<int64_t>{1, -1, 1, -1, 1, -1}));
        QVERIFY(near(r.matchCosine, {1.2f, 0.f, 10.f / 13, 0.f, 0.f, 0.f}));
        QVERIFY(near(r.importance, {14.f, 2.f, 14.f, 12.f, 17.f, 17.f}));  // clip importance, reported only
        QCOMPARE(toVector(r.fate), (std::vector<int64_t>{FateMerged, FateKept, FateMerged, FateKept, FateKept, FateKept}));
        QCOMPARE(toVector(r.destination), (std::vector<int64_t>{1, -1, 1, -1, -1, -1}));
        // Hidden, hybrid with k = 1: channel 0 merges the larger source value, t0's 8 (t2 has 6); channel 1
        // t2's 8 (t0 has 6). Denominator: top-1 of ones = the first source slot (t0), paired with t1: 1 + 1 = 2.
        // t1 = ((0 + 8) / 2, (2 + 8) / 2) = (4, 5). One destination only, so here the counts agree.
        QVERIFY(near(r.hidden, {4.f, 5.f, 12.f, -5.f, 5.f, 12.f, 12.f, 5.f}));
        QVERIFY(near(r.mergedFraction, {0.5f, 0.f, 0.5f, 0.f, 0.f, 0.f}));
        // Residual, merge_only: plain average of t1, t0, t2 = ((1 + 0 + 2) / 3, (10 + 0 + 20) / 3) = (1, 10).
        QVERIFY(near(r.residual, {1.f, 10.f, 3.f, 30.f, 4.f, 40.f, 5.f, 50.f}));
        QVERIFY(near(r.sizes, {3.f, 1.f, 1.f, 1.f}));
    }

    void referenceIgnoresSizes() {
        ReductionStepInput in = clipExample();
        in.sizes = at::tensor({2.f, 1.f, 5.f, 1.f, 1.f, 1.f});
        ReductionStepResult r = reduceTokensLikeReference(in, referenceRecipe());
        // Same values as with unit sizes: every token weighs 1 in the reference at every anchor.
        QVERIFY(near(r.residual.select(0, 0), {1.f, 10.f}));
        QVERIFY(near(r.hidden.select(0, 0), {4.f, 5.f}));
        // Our bookkeeping still counts the members: 1 + 2 + 5.
        QVERIFY(near(r.sizes, {8.f, 1.f, 1.f, 1.f}));
    }

    void rawMetricShowsPairingAndDenominatorQuirks() {
        ReductionStepResult r = reduceTokensLikeReference(rawExample(), referenceRecipe(ImportanceMetric::Raw));
        QCOMPARE(toVector(r.kept), (std::vector<int64_t>{1, 3, 4, 5}));
        // What the matching said (even position 2i -> odd 2 best(i) + 1) ...
        QCOMPARE(toVector(r.match), (std::vector<int64_t>{3, -1, 5, -1, 5, -1}));
        QVERIFY(near(r.matchCosine, {0.576f, 0.f, 0.648f, 0.f, -0.544f, 0.f}));
        // ... and where the values actually went.
        QCOMPARE(toVector(r.destination), (std::vector<int64_t>{5, -1, 3, -1, -1, -1}));
        QCOMPARE(toVector(r.fate), (std::vector<int64_t>{FateMerged, FateKept, FateMerged, FateKept, FateKept, FateKept}));
        // Hidden, hybrid, k = 1. Channel 0: t0's 24 > t2's 3, so t0's 24 goes to t5. Channel 1: t2's 4 > t0's -7,
        // so t2's 4 goes to t3. Denominators: top-1 of ones = first slot (t0), paired with t5: t5 / 2, t3 / 1.
        //   t3 = (4 / 1, (-3 + 4) / 1) = (4, 1)          channel 1 summed, not averaged
        //   t5 = ((3 + 24) / 2, (-4 + 0) / 2) = (13.5, -2)  channel 1 halved with nothing merged into it
        // (consistent counts would give t3 = (4, .5) and t5 = (13.5, -4)).
        QVERIFY(near(r.hidden, {-24.f, -7.f, 4.f, 1.f, 5.f, 0.f, 13.5f, -2.f}));
        QVERIFY(near(r.mergedFraction, {0.5f, 0.f, 0.5f, 0.f, 0.f, 0.f}));
        // Residual, merge_only, same pairing: t3 = ((3 + 2) / 2, (9 + 4) / 2), t5 = ((5 + 0) / 2, (25 + 0) / 2).
        QVERIFY(near(r.residual, {1.f, 1.f, 2.5f, 6.5f, 4.f, 16.f, 2.5f, 12.5f}));
        QVERIFY(near(r.sizes, {1.f, 2.f, 1.f, 2.f}));
    }

    void otherStrategies() {
        // hidden merge_only + residual prune_only on the raw example: t3 = ((4 + 3) / 2, (-3 + 4) / 2),
        // t5 = ((3 + 24) / 2, (-4 - 7) / 2); the residual keeps its destinations as they were.
        ReductionRecipe rec = referenceRecipe(ImportanceMetric::Raw);
        rec.hidden = HiddenStrategy::Merge;
        rec.residual = ResidualStrategy::Prune;
        ReductionStepResult r = reduceTokensLikeReference(rawExample(), rec);
        QVERIFY(near(r.hidden, {-24.f, -7.f, 3.5f, 0.5f, 5.f, 0.f, 13.5f, -5.5f}));
        QVERIFY(near(r.residual, {1.f, 1.f, 3.f, 9.f, 4.f, 16.f, 5.f, 25.f}));
        QCOMPARE(toVector(r.destination), (std::vector<int64_t>{5, -1, 3, -1, -1, -1}));
        QVERIFY(near(r.sizes, {1.f, 1.f, 1.f, 1.f}));
        // prune_only in both streams: survivors untouched, removed tokens pruned.
        rec.hidden = HiddenStrategy::Prune;
        r = reduceTokensLikeReference(rawExample(), rec);
        QVERIFY(near(r.hidden, {-24.f, -7.f, 4.f, -3.f, 5.f, 0.f, 3.f, -4.f}));
        QCOMPARE(toVector(r.fate), (std::vector<int64_t>{FatePruned, FateKept, FatePruned, FateKept, FateKept, FateKept}));
        QCOMPARE(toVector(r.destination), (std::vector<int64_t>(6, -1)));
    }

    void lastTokenIsNotProtected() {
        // Three tokens, raw metric, q = .5: keep ceil(1.5) = 2, r = 1, k = 0.
        //   h: t0 (-1, 0)  t1 (-4, -3)  t2 (-3, -4); features t0 (-1, 0)  t1 (-.8, -.6)  t2 (-.6, -.8)
        //   channel 0 sorted: -.6 | -.8, -1    channel 1 sorted: 0 | -.6, -.8
        //   b: s0 (-.6, 0);  a: s1 (-.8, -.6) -> .48,  s2 (-1, -.8) -> .6: the best is a-row 1 = position 2,
        // the last token (protected by the caller), merged into position 1.
        ReductionStepInput in = input({-1, 0, -4, -3, -3, -4}, {1, 1, 2, 2, 3, 3}, 3, 0.5);
        ReductionStepResult r = reduceTokensLikeReference(in, referenceRecipe(ImportanceMetric::Raw));
        QCOMPARE(toVector(r.kept), (std::vector<int64_t>{0, 1}));
        QCOMPARE(toVector(r.destination), (std::vector<int64_t>{-1, -1, 1}));
        // k = 0: the hybrid merges no channel, t1's hidden stays; the residual averages t1 and t2.
        QVERIFY(near(r.hidden, {-1.f, 0.f, -4.f, -3.f}));
        QVERIFY(near(r.residual, {1.f, 1.f, 2.5f, 2.5f}));
        QVERIFY(near(r.mergedFraction, {0.f, 0.f, 0.f}));
        QCOMPARE(toVector(r.fate), (std::vector<int64_t>{FateKept, FateKept, FateMerged}));
    }

    void keepRatioOneChangesNothing() {
        at::manual_seed(5);
        ReductionStepInput in;
        in.hidden = at::randn({9, 4});
        in.residual = at::randn({9, 4});
        in.sizes = at::rand({9}) + 1;
        in.protect = at::zeros({9}, at::kBool);
        in.keepRatio = 1.0;
        ReductionStepResult r = reduceTokensLikeReference(in, referenceRecipe());
        QVERIFY(at::equal(r.hidden, in.hidden));
        QVERIFY(at::equal(r.residual, in.residual));
        QVERIFY(at::equal(r.sizes, in.sizes));
        QCOMPARE(r.kept.size(0), int64_t(9));
        QCOMPARE(r.fate.abs().sum().item<int64_t>(), int64_t(0));
        QCOMPARE(r.match.max().item<int64_t>(), int64_t(-1));  // the reference returns before any matching
    }

    void invariantsOnRandomTokens() {
        at::manual_seed(11);
        const std::vector<double> ratios = {0.3, 0.5, 0.55, 0.7, 0.905, 0.95};
        for (int trial = 0; trial < 60; ++trial) {
            const int64_t N = 1 + trial % 23 + (trial % 3) * 17, D = 16;
            const double q = ratios[trial % ratios.size()];
            const bool clip = trial % 2 == 0;
            ReductionStepInput in;
            in.hidden = at::randn({N, D});
            in.residual = at::randn({N, D});
            in.sizes = at::randint(1, 4, {N}).to(at::kFloat);
            in.protect = at::zeros({N}, at::kBool);
            in.keepRatio = q;
            ReductionStepResult r =
                reduceTokensLikeReference(in, referenceRecipe(clip ? ImportanceMetric::Clip : ImportanceMetric::Raw));
            const int64_t keep = referenceKeptTokenCount(N, q), nr = N - keep;
            QCOMPARE(r.kept.size(0), keep);
            QCOMPARE(r.hidden.size(0), keep);
            QCOMPARE(r.residual.size(0), keep);
            QCOMPARE(r.sizes.size(0), keep);
            std::vector<int64_t> kept = toVector(r.kept), fate = toVector(r.fate), dest = toVector(r.destination);
            for (size_t i = 1; i < kept.size(); ++i) QVERIFY(kept[i - 1] < kept[i]);
            // Odd positions always survive; removed tokens are even and go to odd positions; merged = all
            // removed (the residual merges); the member count is preserved.
            std::vector<int64_t> removedPos;
            for (int64_t i = 0; i < N; ++i) {
                if (i % 2 == 1) QCOMPARE(fate[i], int64_t(FateKept));
                if (fate[i] != FateKept) {
                    removedPos.push_back(i);
                    QCOMPARE(fate[i], int64_t(FateMerged));
                    QVERIFY(dest[i] % 2 == 1 && dest[i] < N);
                }
            }
            QCOMPARE(int64_t(removedPos.size()), nr);
            QVERIFY(std::abs(r.sizes.sum().item<float>() - in.sizes.sum().item<float>()) < 1e-4);
            // In the hybrid each removed token is merged in about half the channels at most: k = r // 2 of the
            // r sources per channel.
            QVERIFY(std::abs(r.mergedFraction.sum().item<float>() - float(nr / 2)) < 1e-4);
            if (clip && nr > 0) {
                // With clipped (non-negative) features, the sorted rows fall elementwise, so b-row 0 is every
                // a-row's best match and the scores fall with the row number: the reference always takes the
                // first r even positions and merges them all into position 1.
                for (int64_t j = 0; j < nr; ++j) {
                    QCOMPARE(removedPos[j], 2 * j);
                    QCOMPARE(dest[2 * j], int64_t(1));
                }
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestReferenceReduction)
#include "test_reference_reduction.moc"
