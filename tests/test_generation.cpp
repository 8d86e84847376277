// Token sampling: greedy, temperature, top-k and top-p keep exactly the tokens they should; seeds repeat.
#include <QtTest/QtTest>

#include "AtenOperators.h"
#include <ATen/CPUGeneratorImpl.h>

#include "core/model/Generation.h"
#include "ModelTestSupport.h"

using namespace ssmlens;

class TestGeneration : public QObject {
    Q_OBJECT

    std::set<int64_t> drawMany(const at::Tensor& logits, const SamplingOptions& o, int n = 400) {
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(o.seed);
        std::set<int64_t> seen;
        for (int i = 0; i < n; ++i) seen.insert(sampleToken(logits, o, gen));
        return seen;
    }

private slots:
    void greedyTakesArgmax() {
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(0);
        SamplingOptions o;
        QCOMPARE(sampleToken(at::tensor({0.1f, 3.0f, 2.0f}), o, gen), int64_t(1));
    }

    void topKKeepsOnlyTheKBest() {
        SamplingOptions o;
        o.greedy = false;
        o.topK = 2;
        // probabilities ~ [0.1, 0.4, 0.3, 0.2] -> tokens 1 and 2 only
        at::Tensor logits = at::log(at::tensor({0.1f, 0.4f, 0.3f, 0.2f}));
        QCOMPARE(drawMany(logits, o), (std::set<int64_t>{1, 2}));
    }

    void topPKeepsTheSmallestSetReachingP() {
        SamplingOptions o;
        o.greedy = false;
        at::Tensor logits = at::log(at::tensor({0.1f, 0.4f, 0.3f, 0.2f}));
        o.topP = 0.65;  // 0.4 < 0.65 <= 0.4 + 0.3 -> {1, 2}
        QCOMPARE(drawMany(logits, o), (std::set<int64_t>{1, 2}));
        o.topP = 0.3;  // the best token alone
        QCOMPARE(drawMany(logits, o), (std::set<int64_t>{1}));
        o.topP = 1.0;
        QCOMPARE(drawMany(logits, o).size(), size_t(4));
    }

    void sameSeedSameTokens() {
        Mamba2Config c = testing::tinyConfig();
        Mamba2Model m(c, randomMamba2Weights(c, 5));
        SamplingOptions o;
        o.greedy = false;
        o.temperature = 2.0;
        o.seed = 42;
        o.maxNewTokens = 10;
        auto a = generate(m, {1, 2, 3}, o);
        auto b = generate(m, {1, 2, 3}, o);
        QCOMPARE(a, b);
        QCOMPARE(a.size(), size_t(10));
        o.seed = 43;
        QVERIFY(generate(m, {1, 2, 3}, o) != a);
    }

    void streamingCanStopEarly() {
        Mamba2Config c = testing::tinyConfig();
        Mamba2Model m(c, randomMamba2Weights(c, 5));
        SamplingOptions o;
        o.maxNewTokens = 10;
        int seen = 0;
        auto out = generate(m, {1, 2}, o, [&](int64_t) { return ++seen < 3; });
        QCOMPARE(out.size(), size_t(3));
        o.eosId = out[0];
        QCOMPARE(generate(m, {1, 2}, o).size(), size_t(1));
    }
};

QTEST_APPLESS_MAIN(TestGeneration)
#include "test_generation.moc"
