// Schedules: exact JSON round trip, validation messages, presets; the FLOPs model's token counts.
#include <QtTest/QtTest>

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/Error.h"
#include "core/reduction/FlopsModel.h"
#include "core/reduction/ReductionSchedule.h"
#include "core/model/Mamba2Weights.h"
#include "ErrorCapture.h"
#include "ModelTestSupport.h"
#include "NumericTolerance.h"

using namespace ssmlens;
using testing::errorOf;

class TestReductionSchedule : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

private slots:
    void roundTripIsExact() {
        ReductionSchedule s = paperSchedule64();
        s.method = ReductionMethod::UtrToken;
        s.options.metric = ImportanceMetric::L2;
        s.options.residual = ResidualStrategy::Prune;
        s.options.protectScoringSpan = false;
        s.anchors[2].keepRatio = 0.1 + 0.2;  // not exactly representable in decimal
        const std::string path = tmp_.filePath("s.json").toStdString();
        s.save(path);
        ReductionSchedule back = ReductionSchedule::load(path);
        QVERIFY(back == s);
        QCOMPARE(back.anchors[2].keepRatio, 0.1 + 0.2);
        QCOMPARE(back.toJson().dump(), s.toJson().dump());
    }

    void paperPresetAndDepthScaling() {
        ReductionSchedule p = paperSchedule64();
        QCOMPARE(p.anchors.size(), size_t(7));
        QCOMPARE(p.anchors.front().layer, int64_t(12));
        QCOMPARE(p.anchors.back().layer, int64_t(42));
        QCOMPARE(p.anchors[0].keepRatio, 0.905);
        QVERIFY(p.method == ReductionMethod::Utr && p.options.hidden == HiddenStrategy::Hybrid &&
                p.options.residual == ResidualStrategy::Merge && p.options.metric == ImportanceMetric::Clip);
        QVERIFY(depthScaledSchedule(64) == p);
        ReductionSchedule s48 = depthScaledSchedule(48);
        QCOMPARE(s48.anchors.size(), size_t(7));
        QCOMPARE(s48.anchors.front().layer, int64_t(9));
        QCOMPARE(s48.anchors.back().layer, int64_t(32));
        ReductionSchedule s24 = depthScaledSchedule(24, 0.8);
        QVERIFY(s24.anchors.front().layer >= 4 && s24.anchors.back().layer <= 16);
        QCOMPARE(s24.anchors[1].keepRatio, 0.8);
        s24.validate(24);
    }

    void validationNamesTheProblem() {
        ReductionSchedule s;
        s.anchors = {{30, 0.9}};
        QVERIFY(errorOf([&] { s.validate(24, "my.json"); }).find("my.json: anchor layer 30 is out of range") == 0);
        s.anchors = {{3, 1.5}};
        QVERIFY(errorOf([&] { s.validate(24); }).find("outside (0, 1]") != std::string::npos);
        s.anchors = {{3, 0.0}};
        QVERIFY(errorOf([&] { s.validate(24); }).find("outside (0, 1]") != std::string::npos);
        s.anchors = {{3, 0.5}, {3, 0.6}};
        QVERIFY(errorOf([&] { s.validate(24); }).find("appears twice") != std::string::npos);
        nlohmann::json j = paperSchedule64().toJson();
        j["method"] = "magic";
        QVERIFY(errorOf([&] { ReductionSchedule::fromJson(j, "x.json"); }).find("unknown reduction method \"magic\"") !=
                std::string::npos);
        j = paperSchedule64().toJson();
        j["version"] = 7;
        QVERIFY(errorOf([&] { ReductionSchedule::fromJson(j, "x.json"); }).find("version 7") != std::string::npos);
        const std::string bad = tmp_.filePath("bad.json").toStdString();
        std::ofstream(bad) << "{\"format\": ";
        QVERIFY(errorOf([&] { ReductionSchedule::load(bad); }).find("not valid JSON") != std::string::npos);
    }

    void failedSaveKeepsTheOldFile() {
        const std::string path = tmp_.filePath("keep.json").toStdString();
        paperSchedule64().save(path);
        const std::string unwritable = tmp_.filePath("no/such/dir/s.json").toStdString();
        QVERIFY(errorOf([&] { paperSchedule64().save(unwritable); }).find(unwritable + ": cannot write") == 0);
        QVERIFY(ReductionSchedule::load(path) == paperSchedule64());
    }

    void flopsFollowTheSchedule() {
        // Worked out by hand for the 2.7b shape (D 2560, Di 5120, G 1, N 128, H 80, P 64, K 4, chunk Q 256,
        // vocabulary 50288, 64 layers), per token and layer:
        //   in_proj  2 * 2560 * (2 * 5120 + 2 * 128 + 80)  = 54,149,120
        //   conv     2 * 4 * (5120 + 2 * 128)               =     43,008
        //   SSD      256 * (128 + 80 * 64) + 4 * 80 * 64 * 128 = 1,343,488 + 2,621,440 = 3,964,928
        //   norm     5 * 5120                                =     25,600
        //   out_proj 2 * 5120 * 2560                         = 26,214,400
        //   sum                                              = 84,397,056
        const Mamba2Config c = namedMamba2Config("2.7b");
        QCOMPARE(mamba2LayerFlopsPerToken(c), 84397056.0);

        // Dense at 1000 tokens: 64 layers * 1000 * 84,397,056 + head 2 * 2560 * 50288 (one scored position).
        FlopsReport dense = scheduleFlops(c, ReductionSchedule{}, 1000);
        QCOMPARE(dense.denseTotal, 5401669058560.0);
        QCOMPARE(dense.reducedTotal, dense.denseTotal);
        QCOMPARE(dense.tokenReductionPercent, 0.0);
        QCOMPARE(dense.flopsReductionPercent, 0.0);

        // The paper's schedule: each anchor keeps ceil(0.905 n) of n tokens (never below half):
        // 1000 -> 905 -> 820 -> 743 -> 673 -> 610 -> 553 -> 501 after layers 12, 17, ..., 42. Tokens over the
        // layers: 13 * 1000 + 5 * (905 + 820 + 743 + 673 + 610 + 553) + 21 * 501 = 45,041 of 64,000.
        FlopsReport r = scheduleFlops(c, paperSchedule64(), 1000);
        const std::vector<int64_t> entering = {1000, 905, 820, 743, 673, 610, 553, 501};
        for (size_t i = 0; i < entering.size(); ++i) {
            const int64_t firstLayer = i == 0 ? 0 : 12 + 5 * int64_t(i - 1) + 1;
            const int64_t lastLayer = i + 1 < entering.size() ? 12 + 5 * int64_t(i) : 63;
            for (int64_t l = firstLayer; l <= lastLayer; ++l) QCOMPARE(r.tokensEntering[l], entering[i]);
        }
        QCOMPARE(r.reducedTotal, 45041 * 84397056.0 + 257474560.0);  // 3,801,585,273,856
        QVERIFY(testing::nearlyEqual(r.tokenReductionPercent, 100.0 * 18959 / 64000, 1e-12));  // 29.62 %
        QVERIFY(testing::nearlyEqual(r.flopsReductionPercent, 100.0 * (1.0 - 3801585273856.0 / 5401669058560.0), 1e-12));

        // Two groups (G = 2), the tests' tiny shape: D 24, Di 48, N 6, H 6, P 8, K 4, Q 4. Per token and layer:
        //   in_proj 2 * 24 * (96 + 24 + 6) = 6048; conv 2 * 4 * (48 + 24) = 576;
        //   SSD 4 * (2 * 6 + 6 * 8) + 4 * 6 * 8 * 6 = 1392; norm 5 * 48 = 240; out_proj 2 * 48 * 24 = 2304
        const Mamba2Config tiny = testing::tinyConfig(2);
        QCOMPARE(mamba2LayerFlopsPerToken(tiny), 10560.0);
        // The two projections are 2 FLOPs per weight per token: the weights a model of that shape really has.
        const Mamba2Weights w = randomMamba2Weights(tiny, 3);
        QCOMPARE(2 * w.layers[0].inProj.numel(), int64_t(6048));
        QCOMPARE(2 * w.layers[0].outProj.numel(), int64_t(2304));

        QCOMPARE(tokensAfterAnchor(10, 0.1, ReductionMethod::Utr), int64_t(5));  // at most half per anchor
        QCOMPARE(tokensAfterAnchor(10, 0.1, ReductionMethod::Evit), int64_t(1));
    }
};

QTEST_GUILESS_MAIN(TestReductionSchedule)
#include "test_reduction_schedule.moc"
