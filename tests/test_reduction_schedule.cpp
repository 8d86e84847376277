// Schedules: exact JSON round trip, validation messages, presets; the FLOPs model's token counts.
#include <QtTest/QtTest>

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/Error.h"
#include "core/reduction/FlopsModel.h"
#include "core/reduction/ReductionSchedule.h"

using namespace ssmlens;

namespace {
std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}
}  // namespace

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
        QVERIFY(!errorOf([&] { paperSchedule64().save(tmp_.filePath("no/such/dir/s.json").toStdString()); }).empty());
        QVERIFY(ReductionSchedule::load(path) == paperSchedule64());
    }

    void flopsFollowTheSchedule() {
        Mamba2Config c = namedMamba2Config("2.7b");
        FlopsReport dense = scheduleFlops(c, ReductionSchedule{}, 1000);
        QCOMPARE(dense.tokenReductionPercent, 0.0);
        QCOMPARE(dense.reducedTotal, dense.denseTotal);
        FlopsReport r = scheduleFlops(c, paperSchedule64(), 1000);
        QCOMPARE(r.tokensEntering[12], int64_t(1000));
        QCOMPARE(r.tokensEntering[13], int64_t(905));
        QCOMPARE(r.tokensEntering[18], int64_t(820));  // ceil(0.905 * 905) = 820
        QCOMPARE(r.tokensEntering[63], r.tokensEntering[43]);
        QVERIFY(r.flopsReductionPercent > 10 && r.flopsReductionPercent < 40);
        // Per-token layer FLOPs: in_proj dominates; 2.7b: D 2560, Di 5120, H 80, N 128, P 64
        const double D = 2560, Di = 5120, N = 128, H = 80, P = 64;
        const double expected = 2 * D * (2 * Di + 2 * N + H) + 2 * 4 * (Di + 2 * N) + 256 * (N + H * P) +
                                4 * H * P * N + 5 * Di + 2 * Di * D;
        QCOMPARE(mamba2LayerFlopsPerToken(c), expected);
        QCOMPARE(tokensAfterAnchor(10, 0.1, ReductionMethod::Utr), int64_t(5));  // at most half per anchor
        QCOMPARE(tokensAfterAnchor(10, 0.1, ReductionMethod::Evit), int64_t(1));
    }
};

QTEST_GUILESS_MAIN(TestReductionSchedule)
#include "test_reduction_schedule.moc"
