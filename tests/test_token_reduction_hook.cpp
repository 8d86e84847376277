// Reduction inside the model: ratio 1 changes nothing, survivors per anchor, provenance, protected
// positions, batches equal single sequences (survivors, provenance and traces), and generation after a
// reduced prefill.
#include <QtTest/QtTest>

#include <cmath>
#include <set>

#include "AtenOperators.h"

#include "core/model/Generation.h"
#include "core/model/Mamba2Model.h"
#include "core/reduction/ReductionRun.h"
#include "core/reduction/TokenReductionHook.h"
#include "ModelTestSupport.h"
#include "NumericTolerance.h"

using namespace ssmlens;

namespace {

ReductionSchedule schedule(ReductionMethod m, std::vector<ScheduleAnchor> anchors) {
    ReductionSchedule s;
    s.method = m;
    s.anchors = std::move(anchors);
    return s;
}

const std::vector<ReductionMethod> kMethods = {ReductionMethod::Utr,        ReductionMethod::UtrToken,
                                               ReductionMethod::Positional, ReductionMethod::Evit,
                                               ReductionMethod::Tome,       ReductionMethod::Pumer,
                                               ReductionMethod::PruneOnly,  ReductionMethod::MergeOnly};

}  // namespace

class TestTokenReductionHook : public QObject {
    Q_OBJECT
    Mamba2Config config_ = testing::tinyConfig(2);
    Mamba2Model model_{config_, randomMamba2Weights(config_, 13)};

private slots:
    void ratioOneChangesNothing() {
        at::Tensor ids = testing::randomIds(2, 12, config_.vocabSize, 1);
        at::Tensor dense = model_.forward(ids).logits;
        for (ReductionMethod m : kMethods) {
            TokenReductionHook hook(schedule(m, {{0, 1.0}, {1, 1.0}}));
            ForwardOptions o;
            o.hook = &hook;
            QVERIFY2(at::equal(model_.forward(ids, o).logits, dense), methodName(m).c_str());
        }
    }

    void survivorsProvenanceAndProtection() {
        at::Tensor ids = testing::randomIds(1, 20, config_.vocabSize, 2);
        for (ReductionMethod m : kMethods) {
            TokenReductionHook hook(schedule(m, {{0, 0.7}, {1, 0.6}}), {{3, 4}}, /*recordTrace=*/true);
            ForwardOptions o;
            o.hook = &hook;
            ForwardResult r = model_.forward(ids, o);
            const QString name = methodName(m).c_str();
            // 20 -> ceil(14) = 14 -> ceil(8.4) = 9 (never more than half at one anchor)
            QCOMPARE(r.logits.size(1), int64_t(9));
            const auto& own = hook.survivorPositions(0);
            QCOMPARE(own.size(), size_t(9));
            QVERIFY2(std::is_sorted(own.begin(), own.end()), qPrintable(name));
            QVERIFY2(own.back() == 19, qPrintable(name));  // the last token always survives
            QVERIFY2(std::count(own.begin(), own.end(), 3) == 1 && std::count(own.begin(), own.end(), 4) == 1,
                     qPrintable(name));
            // Every original position is accounted for exactly once: in one survivor's members, or pruned.
            TokenTrace t = hook.trace(0);
            std::vector<int> seen(20, 0);
            for (const auto& members : t.survivorMembers)
                for (int64_t p : members) seen[p]++;
            for (int64_t p = 0; p < 20; ++p) seen[p] += t.prunedAtLayer[p] >= 0;
            QVERIFY2(std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; }), qPrintable(name));
            QCOMPARE(t.layers.size(), size_t(config_.nLayer));
            QCOMPARE(t.layers[0].tokensIn, int64_t(20));
            QCOMPARE(t.layers[0].tokensOut, int64_t(14));
            QCOMPARE(t.layers[1].tokensOut, int64_t(9));
            QVERIFY(t.layers[1].anchor && !t.layers[2].anchor);
            // Gone tokens are marked gone at later layers.
            int gone = std::count(t.layers[2].fate.begin(), t.layers[2].fate.end(), int8_t(-1));
            QCOMPARE(gone, 11);
        }
    }

    void batchEqualsSingleSequences() {
        at::Tensor ids = testing::randomIds(4, 16, config_.vocabSize, 4);
        const std::vector<int64_t> lens = {16, 11, 6, 2};
        // Protected positions per sequence (some past the sequence's end, which protect nothing).
        const std::vector<std::set<int64_t>> protect = {{2, 3}, {}, {0, 9}, {1}};
        std::vector<ReductionMethod> methods = kMethods;
        methods.push_back(ReductionMethod::UtrReference);
        for (ReductionMethod m : methods)
            for (bool withTrace : {false, true}) {
                const QString name = QString("%1 trace=%2").arg(methodName(m).c_str()).arg(withTrace);
                TokenReductionHook batchHook(schedule(m, {{0, 0.6}, {2, 0.8}}), protect, withTrace);
                ForwardOptions o;
                o.hook = &batchHook;
                o.lengths = at::tensor(lens);
                ForwardResult batched = model_.forward(ids, o);
                for (int64_t b = 0; b < 4; ++b) {
                    TokenReductionHook single(schedule(m, {{0, 0.6}, {2, 0.8}}), {protect[b]}, withTrace);
                    ForwardOptions so;
                    so.hook = &single;
                    ForwardResult alone = model_.forward(ids[b].narrow(0, 0, lens[b]).unsqueeze(0), so);
                    const int64_t n = alone.logits.size(1);
                    QCOMPARE(batched.lengths[b].item<int64_t>(), n);
                    QCOMPARE(batchHook.survivorPositions(b), single.survivorPositions(0));
                    QCOMPARE(batchHook.survivorMembers(b), single.survivorMembers(0));
                    QVERIFY2(testing::relativeError(batched.logits[b].narrow(0, 0, n), alone.logits[0]) < 1e-5,
                             qPrintable(name));
                    if (!withTrace) continue;
                    const TokenTrace tb = batchHook.trace(b), ts = single.trace(0);
                    QCOMPARE(tb.prunedAtLayer, ts.prunedAtLayer);
                    QCOMPARE(tb.layers.size(), ts.layers.size());
                    for (size_t l = 0; l < tb.layers.size(); ++l) {
                        const LayerTrace &x = tb.layers[l], &y = ts.layers[l];
                        QVERIFY2(x.anchor == y.anchor && x.tokensIn == y.tokensIn && x.tokensOut == y.tokensOut,
                                 qPrintable(name));
                        QVERIFY2(x.fate == y.fate && x.destination == y.destination && x.inB == y.inB && x.match == y.match,
                                 qPrintable(name));
                        QCOMPARE(x.similarPairs.size(), y.similarPairs.size());
                        auto close = [](const std::vector<float>& p, const std::vector<float>& q) {
                            if (p.size() != q.size()) return false;
                            for (size_t i = 0; i < p.size(); ++i)
                                if (!(std::isnan(p[i]) && std::isnan(q[i])) && std::abs(p[i] - q[i]) > 1e-5f * std::max(1.0f, std::abs(q[i])))
                                    return false;
                            return true;
                        };
                        QVERIFY2(close(x.importance, y.importance) && close(x.matchCosine, y.matchCosine) &&
                                     close(x.mergedFraction, y.mergedFraction),
                                 qPrintable(name));
                    }
                }
            }
    }

    void generationAfterReducedPrefill() {
        std::vector<int64_t> prompt = {3, 7, 1, 9, 4, 4, 2, 8, 5, 6};
        TokenReductionHook hook(schedule(ReductionMethod::Utr, {{0, 0.5}}));
        SamplingOptions o;
        o.maxNewTokens = 5;
        std::vector<int64_t> out = generate(model_, prompt, o, {}, &hook);
        QCOMPARE(out.size(), size_t(5));
        QCOMPARE(hook.survivorPositions(0).size(), size_t(5));
        // The first new token is the argmax of the reduced prefill's last position.
        TokenReductionHook again(schedule(ReductionMethod::Utr, {{0, 0.5}}));
        ForwardOptions f;
        f.hook = &again;
        f.logitsAt = LogitsAt::LastPosition;
        at::Tensor last = model_.forward(at::tensor(prompt).view({1, -1}), f).logits[0];
        QVERIFY(testing::decidedArgmax(last, out[0]) >= 0);  // generate's prefill may round a near-tie otherwise
    }

    // runReduction's dense cache (the app's slider moves): same figures as without it, the dense pass skipped
    // for the same ids only; the last-row-only mode gives the same last row.
    void runReductionReusesTheDensePassOfTheSamePrompt() {
        const at::Tensor idsTensor = testing::randomIds(1, 24, config_.vocabSize, 5);
        const std::vector<int64_t> ids(idsTensor.data_ptr<int64_t>(), idsTensor.data_ptr<int64_t>() + 24);
        const ReductionSchedule s = schedule(ReductionMethod::Utr, {{0, 0.7}, {1, 0.8}});
        const ReductionRunResult plain = runReduction(model_, ids, s, nullptr);
        DenseRunCache cache;
        ReductionRunOptions o;
        o.cache = &cache;
        o.allReducedLogits = false;
        const ReductionRunResult first = runReduction(model_, ids, s, nullptr, o);
        QVERIFY(!first.denseFromCache);
        const ReductionRunResult second = runReduction(model_, ids, s, nullptr, o);
        QVERIFY(second.denseFromCache);
        for (const ReductionRunResult* r : {&first, &second}) {
            // The last-row-only head is a GEMV, the full head a GEMM: other kernels, other rounding of the
            // logits (within 1e-6, checked below), so the KL agrees to that order, not bit for bit.
            QVERIFY2(testing::nearlyEqual(r->trace.klDivergence, plain.trace.klDivergence, 1e-4, 1e-7),
                     qPrintable(QString("KL %1 vs %2").arg(r->trace.klDivergence, 0, 'g', 15)
                                    .arg(plain.trace.klDivergence, 0, 'g', 15)));
            QCOMPARE(r->trace.denseTopK.front().id, plain.trace.denseTopK.front().id);
            QCOMPARE(r->reducedLogits.size(0), 1);
            QVERIFY(at::allclose(r->reducedLogits[0], plain.reducedLogits[-1], 1e-6, 1e-6));
        }
        std::vector<int64_t> other = ids;
        other.back() = (other.back() + 1) % config_.vocabSize;
        const ReductionRunResult changed = runReduction(model_, other, s, nullptr, o);
        QVERIFY(!changed.denseFromCache);
        QCOMPARE(cache.ids, other);
    }
};

QTEST_APPLESS_MAIN(TestTokenReductionHook)
#include "test_token_reduction_hook.moc"
