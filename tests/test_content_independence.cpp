// choicesIgnoreContent (core/reduction/ReductionMethod.h) declares which recipes choose the tokens that go,
// and where they go, from positions alone. This checks the declaration against the step itself: every
// method runs on unrelated random contents of the same length, and the removed positions and their
// destinations must agree every time when the recipe is declared content-independent, and differ at least
// once otherwise. The trace carries the flag on its anchors (and in its JSON).
#include <QtTest/QtTest>

#include "AtenOperators.h"
#include <nlohmann/json.hpp>

#include "core/model/Mamba2Model.h"
#include "core/reduction/TokenReducer.h"
#include "core/reduction/TokenReductionHook.h"
#include "ModelTestSupport.h"

using namespace ssmlens;

namespace {

struct Choice {
    std::vector<int64_t> kept, destination;
    bool operator==(const Choice& o) const { return kept == o.kept && destination == o.destination; }
};

std::vector<int64_t> toVector(const at::Tensor& t) {
    at::Tensor c = t.to(at::kLong).contiguous();
    return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}

// One step on random content of n tokens and d channels (the last token protected, as the hook does).
Choice choiceOnRandomContent(const ReductionRecipe& recipe, int64_t n, int64_t d, double q, uint64_t seed) {
    at::manual_seed(seed);
    ReductionStepInput in;
    in.hidden = at::randn({n, d});
    in.residual = at::randn({n, d});
    in.sizes = at::ones({n});
    in.protect = at::zeros({n}, at::kBool);
    in.protect[n - 1] = true;
    in.keepRatio = q;
    const ReductionStepResult r = reduceTokens(in, recipe);
    return {toVector(r.kept), toVector(r.destination)};
}

struct Case {
    const char* name;
    ReductionMethod method;
    ReductionOptions options;
};

std::vector<Case> cases() {
    std::vector<Case> out;
    for (ReductionMethod m : allMethods()) out.push_back({"", m, {}});
    ReductionOptions raw;
    raw.metric = ImportanceMetric::Raw;
    out.push_back({" raw", ReductionMethod::UtrReference, raw});
    out.push_back({" raw", ReductionMethod::Utr, raw});
    ReductionOptions l2;
    l2.metric = ImportanceMetric::L2;
    out.push_back({" l2", ReductionMethod::Positional, l2});
    return out;
}

}  // namespace

class TestContentIndependence : public QObject {
    Q_OBJECT
private slots:
    void declarationMatchesTheStep() {
        for (const Case& c : cases()) {
            const ReductionRecipe recipe = recipeFor(c.method, c.options);
            const bool declared = choicesIgnoreContent(recipe);
            const QString name = QString::fromStdString(methodName(c.method)) + c.name;
            bool allSame = true;
            for (int64_t n : {9, 32, 77})
                for (double q : {0.6, 0.8})
                    for (uint64_t trial = 0; trial < 3; ++trial) {
                        const Choice a = choiceOnRandomContent(recipe, n, 24, q, 100 + trial);
                        const Choice b = choiceOnRandomContent(recipe, n, 24, q, 200 + trial);
                        QVERIFY2(a.kept.size() < size_t(n), qPrintable(name + ": nothing removed"));
                        allSame = allSame && a == b;
                    }
            QVERIFY2(allSame == declared, qPrintable(name + (declared ? ": declared content-independent, but "
                                                                        "the choices changed with the content"
                                                                      : ": choices never changed, but not declared")));
        }
    }

    // The two content-independent rules, position by position (N = 9, q = 0.6: keep max(ceil(5.4), 5) = 6).
    void theRulesThemselves() {
        const Choice p = choiceOnRandomContent(recipeFor(ReductionMethod::Positional, {}), 9, 8, 0.6, 1);
        QCOMPARE(p.kept, (std::vector<int64_t>{0, 4, 5, 6, 7, 8}));                  // 1, 2, 3 went
        QCOMPARE(p.destination, (std::vector<int64_t>{-1, 0, 0, 0, -1, -1, -1, -1, -1}));  // into the first
        const Choice r = choiceOnRandomContent(recipeFor(ReductionMethod::UtrReference, {}), 9, 8, 0.6, 1);
        QCOMPARE(r.kept, (std::vector<int64_t>{1, 3, 5, 6, 7, 8}));                  // 0, 2, 4 went
        QCOMPARE(r.destination, (std::vector<int64_t>{1, -1, 1, -1, 1, -1, -1, -1, -1}));  // into position 1
    }

    // The hook records the declaration on every anchor and nowhere else; the JSON carries it.
    void traceCarriesTheFlag() {
        const Mamba2Config config = testing::tinyConfig(2);
        const Mamba2Model model(config, randomMamba2Weights(config, 5));
        const at::Tensor ids = testing::randomIds(1, 14, config.vocabSize, 3);
        for (ReductionMethod m : allMethods()) {
            ReductionSchedule s;
            s.method = m;
            s.anchors = {{0, 0.7}, {2, 0.8}};
            TokenReductionHook hook(s, {}, /*recordTrace=*/true);
            ForwardOptions o;
            o.hook = &hook;
            model.forward(ids, o);
            const TokenTrace t = hook.trace(0);
            const bool declared = choicesIgnoreContent(recipeFor(m, s.options));
            const nlohmann::json j = t.toJson();
            for (size_t l = 0; l < t.layers.size(); ++l) {
                const bool want = t.layers[l].anchor && declared;
                QVERIFY2(t.layers[l].contentIndependent == want, methodName(m).c_str());
                QVERIFY2(j["layers"][l]["content_independent"].get<bool>() == want, methodName(m).c_str());
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestContentIndependence)
#include "test_content_independence.moc"
