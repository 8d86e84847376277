// Attention rollout (core/attention/AttentionRollout.h): hand-worked examples for the dense chain and an anchor's
// merge map; on a model, dense and reduced attributions are distributions over the prompt after every layer, and
// a schedule that removes nothing gives the dense attribution.
#include <QtTest/QtTest>

#include <cmath>

#include "AtenOperators.h"

#include "core/Error.h"
#include "core/attention/AttentionRollout.h"
#include "core/attention/PassKernels.h"
#include "core/reduction/ReductionRun.h"
#include "ModelTestSupport.h"
#include "NumericTolerance.h"

using namespace ssmlens;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

LayerTrace layerTrace(int64_t layer, bool anchor, std::vector<int8_t> fate, std::vector<int64_t> destination) {
    LayerTrace l;
    l.layer = layer;
    l.anchor = anchor;
    l.fate = std::move(fate);
    l.destination = std::move(destination);
    return l;
}

std::vector<at::Tensor> normalizedLayersOf(const PassKernels& k) {
    std::vector<at::Tensor> out;
    for (int64_t l = 0; l < k.layerCount(); ++l) out.push_back(k.promptAttention(l, {-1, HeadAggregate::Mean, true}));
    return out;
}

}  // namespace

class TestAttentionRollout : public QObject {
    Q_OBJECT
private slots:
    void denseChainByHand() {
        // N_0 = [[1, 0], [.5, .5]], N_1 = [[1, 0], [.25, .75]]; Â = N/2 + I/2.
        // e_1 Â_1 = [.125, .875]; then Â_0: [.125 + .875 * .25, .875 * .75] = [.34375, .65625].
        std::vector<at::Tensor> n = {at::tensor({1.0f, 0.0f, 0.5f, 0.5f}).view({2, 2}),
                                     at::tensor({1.0f, 0.0f, 0.25f, 0.75f}).view({2, 2})};
        AttentionRolloutResult r = attentionRollout(n, nullptr, true);
        QVERIFY(testing::nearlyEqual(r.attribution[0].item<double>(), 0.34375, 1e-6));
        QVERIFY(testing::nearlyEqual(r.attribution[1].item<double>(), 0.65625, 1e-6));
        // After layer 0 alone: e_1 Â_0 = [.25, .75].
        QVERIFY(testing::nearlyEqual(r.perLayer[0][0].item<double>(), 0.25, 1e-6));
        QVERIFY(testing::nearlyEqual(r.perLayer[0][1].item<double>(), 0.75, 1e-6));
        QVERIFY(at::equal(r.perLayer[1], r.attribution));
    }

    void anchorMapsByHand() {
        // Three tokens; after layer 0, token 0 merges into token 2 (sizes 1 and 1: half each), token 1 stays.
        // Layer 0 reads nothing but itself (N_0 = I); at layer 1 token 2 reads tokens 1 and 2 half each.
        // e_2 Â_1 = [0, .25, .75]; through the anchor: .25 * [0, 1, 0] + .75 * [.5, 0, .5] = [.375, .25, .375].
        TokenTrace trace;
        trace.length = 3;
        trace.layers = {layerTrace(0, true, {1, 0, 0}, {2, -1, -1}), layerTrace(1, false, {-1, 0, 0}, {-1, -1, -1})};
        std::vector<at::Tensor> n = {at::eye(3),
                                     at::tensor({kNaN, kNaN, kNaN, kNaN, 1.0f, 0.0f, kNaN, 0.5f, 0.5f}).view({3, 3})};
        AttentionRolloutResult r = attentionRollout(n, &trace, true);
        const double expected[3] = {0.375, 0.25, 0.375};
        for (int p = 0; p < 3; ++p) QVERIFY(testing::nearlyEqual(r.attribution[p].item<double>(), expected[p], 1e-6));
        // After layer 0 and its anchor: token 2 is made of tokens 0 and 2.
        QVERIFY(testing::nearlyEqual(r.perLayer[0][0].item<double>(), 0.5, 1e-6));
        QCOMPARE(r.perLayer[0][1].item<float>(), 0.0f);

        // Sizes carry over: a token that stands for three merges with weight 3 against 1.
        std::vector<double> sizes = {1, 1, 3, 1};
        at::Tensor map = reductionMap(layerTrace(4, true, {0, 2, 1, 0}, {-1, -1, 3, -1}), sizes);
        QCOMPARE(map[3][2].item<double>(), 0.75);
        QCOMPARE(map[3][3].item<double>(), 0.25);
        QCOMPARE(map[1].abs().sum().item<double>(), 0.0);  // pruned: hands nothing on
        QCOMPARE(map[0][0].item<double>(), 1.0);
        QCOMPARE(sizes, (std::vector<double>{1, 0, 0, 4}));
        // A merge into a token that does not survive is an inconsistent trace.
        std::vector<double> ones(3, 1.0);
        QVERIFY_THROWS_EXCEPTION(Error, reductionMap(layerTrace(0, true, {1, 2, 0}, {1, -1, -1}), ones));
    }

    void onAModelDenseAndReduced() {
        Mamba2Config c = testing::tinyConfig(3, 4);
        c.nLayer = 4;
        Mamba2Model model(c, randomMamba2Weights(c, 29));
        const int64_t T = 14;
        at::Tensor idsT = testing::randomIds(1, T, c.vocabSize, 31);
        std::vector<int64_t> ids(idsT.data_ptr<int64_t>(), idsT.data_ptr<int64_t>() + T);
        PassKernels dense = recordDensePass(model, ids);
        AttentionRolloutResult d = attentionRollout(normalizedLayersOf(dense), nullptr);
        QVERIFY(d.attribution.min().item<float>() >= 0);
        QVERIFY(testing::nearlyEqual(d.attribution.sum().item<double>(), 1.0, 1e-5));

        // A schedule whose anchor removes nothing (keep ratio 1) gives the dense attribution.
        ReductionSchedule keepAll;
        keepAll.anchors = {{1, 1.0}};
        ActivationRecorder same(ssmKernelHookPoints(c.nLayer), {false, true});
        ReductionRunOptions o;
        o.reducedProbe = &same;
        ReductionRunResult run = runReduction(model, ids, keepAll, nullptr, o);
        AttentionRolloutResult s =
            attentionRollout(normalizedLayersOf(passKernelsFrom(same, c.nLayer, T, &run.trace)), &run.trace);
        QVERIFY(testing::relativeError(s.attribution, d.attribution) < 1e-6);

        // A schedule that prunes (EViT-style): still a distribution after every layer, and another one.
        ReductionSchedule prune;
        prune.method = ReductionMethod::Evit;
        prune.anchors = {{1, 0.5}};
        ActivationRecorder rec(ssmKernelHookPoints(c.nLayer), {false, true});
        o.reducedProbe = &rec;
        run = runReduction(model, ids, prune, nullptr, o);
        PassKernels reduced = passKernelsFrom(rec, c.nLayer, T, &run.trace);
        AttentionRolloutResult r = attentionRollout(normalizedLayersOf(reduced), &run.trace, true);
        QVERIFY(r.perLayer.min().item<float>() >= 0);
        QVERIFY(testing::relativeError(r.perLayer.sum(1), at::ones({c.nLayer})) < 1e-5);
        int pruned = 0;
        for (int64_t p = 0; p < T; ++p) pruned += run.trace.layers[1].fate[p] == 2;
        QVERIFY2(pruned > 0, "the schedule must prune, or this test checks nothing");
        QVERIFY(testing::relativeError(r.attribution, d.attribution) > 1e-3);
    }

    void badInput() {
        QVERIFY_THROWS_EXCEPTION(Error, attentionRollout({}, nullptr));
        QVERIFY_THROWS_EXCEPTION(Error, attentionRollout({at::eye(2), at::eye(3)}, nullptr));
        TokenTrace wrong;
        wrong.length = 2;
        QVERIFY_THROWS_EXCEPTION(Error, attentionRollout({at::eye(2)}, &wrong));
    }
};

QTEST_GUILESS_MAIN(TestAttentionRollout)
#include "test_attention_rollout.moc"
