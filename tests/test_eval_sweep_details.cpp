// Sweep details (every example's scores at every point): the sweep's rows computed from them equal the
// points assembled directly; the JSON round trip keeps every number; the details of sweep shards merge
// into exactly the details and rows of the unsharded sweep (batch size 1); shards of different sweeps, a
// missing shard or a shard given twice are refused by name; a details file that does not add up is
// reported with its name; points read in the paper's scoring mode keep what they read, and a file written
// before scoring modes existed reads as correct scoring.
#include <QtTest/QtTest>

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/eval/EvalResultJson.h"
#include "core/eval/EvalRun.h"
#include "core/eval/SweepDetails.h"
#include "core/eval/TaskReaders.h"
#include "test_eval_support.h"

using namespace ssmlens;

namespace {

// Every number of the rows, compared exactly (the merge promises equality, not closeness).
std::string rowsOf(const std::vector<SweepPoint>& points) { return sweepToCsv(points); }

}  // namespace

class TestEvalSweepDetails : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<Tokenizer> tok_;
    Mamba2Config config_ = testing::evalConfig();
    Mamba2Model model_{config_, randomMamba2Weights(config_, 23)};
    std::vector<EvalTaskData> tasks_;
    SweepSettings settings_;

private slots:
    void initTestCase() {
        tok_ = testing::tinyEvalTokenizer(dir_);
        tasks_ = {loadEvalTask("piqa", SSMLENS_SOURCE_DIR "/resources/eval-samples"),
                  loadEvalTask("lambada_openai", SSMLENS_SOURCE_DIR "/resources/eval-samples")};
        settings_.methods = {ReductionMethod::Utr, ReductionMethod::Tome};
        settings_.keepRatios = {1.0, 0.6};
        settings_.selection.limit = 9;
        settings_.selection.seed = 4;
        settings_.scoring.batchSize = 1;
        settings_.modelName = "tiny";
    }

    void rowsComeFromTheDetailsAsAssembled() {
        SweepDetails d;
        const std::vector<SweepPoint> points = runSweep(model_, *tok_, tasks_, settings_, &d);
        QCOMPARE(d.tasks.size(), size_t(2));
        QCOMPARE(d.tasks[0].points.size(), size_t(4));
        QVERIFY(!d.tasks[0].dense.reduced);
        QCOMPARE(d.tasks[1].dense.model, std::string("tiny"));
        // Each point rebuilt from the details equals an eval run of the same schedule on the same examples.
        EvalSettings e;
        e.selection = settings_.selection;
        e.scoring = settings_.scoring;
        e.schedule = d.tasks[1].points[3].schedule;
        e.modelName = "tiny";
        const EvalResult direct = runEvaluation(model_, *tok_, tasks_[1], e);
        const EvalResult rebuilt = sweepPointResult(d.tasks[1], 3);
        QCOMPARE(evalResultToJson(rebuilt).dump(), evalResultToJson(direct).dump());
        QCOMPARE(rowsOf(sweepPointsOf(d)), rowsOf(points));
    }

    void jsonRoundTripKeepsEveryNumber() {
        SweepDetails d;
        runSweep(model_, *tok_, tasks_, settings_, &d);
        const std::string path = dir_.filePath("details.json").toStdString();
        saveSweepDetails(d, path);
        const SweepDetails back = loadSweepDetails(path);
        QCOMPARE(sweepDetailsToJson(back).dump(), sweepDetailsToJson(d).dump());
        QCOMPARE(rowsOf(sweepPointsOf(back)), rowsOf(sweepPointsOf(d)));
        QCOMPARE(back.selection, d.selection);
        QCOMPARE(back.methods, d.methods);
    }

    void shardsMergeIntoTheWholeSweep() {
        SweepDetails whole;
        const std::vector<SweepPoint> wholeRows = runSweep(model_, *tok_, tasks_, settings_, &whole);
        std::vector<SweepDetails> shards(3);
        for (int i = 0; i < 3; ++i) {
            SweepSettings s = settings_;
            s.selection.shardIndex = i;
            s.selection.shardCount = 3;
            runSweep(model_, *tok_, tasks_, s, &shards[size_t(i)]);
        }
        // In any order.
        const SweepDetails merged = mergeSweepShards({shards[2], shards[0], shards[1]}, {"c", "a", "b"});
        QCOMPARE(sweepDetailsToJson(merged).dump(), sweepDetailsToJson(whole).dump());
        QCOMPARE(rowsOf(sweepPointsOf(merged)), rowsOf(wholeRows));
    }

    void mismatchedShardsAreRefused() {
        std::vector<SweepDetails> shards(2);
        for (int i = 0; i < 2; ++i) {
            SweepSettings s = settings_;
            s.keepRatios = {0.6};
            s.methods = {ReductionMethod::Utr};
            s.selection.shardIndex = i;
            s.selection.shardCount = 2;
            runSweep(model_, *tok_, {tasks_[0]}, s, &shards[size_t(i)]);
        }
        std::string e = testing::errorOf([&] { mergeSweepShards({shards[0]}, {"s0.json"}); });
        QVERIFY2(e.find("shard 1/2 is missing") != std::string::npos, e.c_str());
        e = testing::errorOf([&] { mergeSweepShards({shards[0], shards[0]}, {"s0.json", "again.json"}); });
        QVERIFY2(e.find("again.json: shard 0/2 is also in s0.json") != std::string::npos, e.c_str());
        SweepDetails other = shards[1];
        other.keepRatios = {0.7};
        e = testing::errorOf([&] { mergeSweepShards({shards[0], other}, {"s0.json", "other.json"}); });
        QVERIFY2(e.find("other.json: its methods or keep ratios differ") != std::string::npos, e.c_str());
        other = shards[1];
        other.tasks[0].points[0].schedule.anchors[0].keepRatio = 0.5;
        e = testing::errorOf([&] { mergeSweepShards({shards[0], other}, {"s0.json", "other.json"}); });
        QVERIFY2(e.find("other.json: its schedule differs") != std::string::npos, e.c_str());
    }

    void paperScoringPointsKeepWhatTheyRead() {
        // One task: the sweep's pooled paper batches are then the eval run's batches.
        SweepSettings s = settings_;
        s.keepRatios = {0.6};
        s.methods = {ReductionMethod::UtrReference};
        s.scorings = {ScoringMode::Correct, ScoringMode::Paper};
        s.scoring.batchSize = 4;
        SweepDetails d;
        const std::vector<SweepPoint> points = runSweep(model_, *tok_, {tasks_[1]}, s, &d);
        QCOMPARE(points.size(), size_t(2));
        QCOMPARE(points[1].scoring, ScoringMode::Paper);
        QCOMPARE(d.tasks[0].points[1].scoring, ScoringMode::Paper);
        QVERIFY2(points[1].summary.misreadRequests > 0, "the reference's reading misreads some request here");
        QCOMPARE(points[0].summary.misreadRequests, int64_t(0));
        EvalSettings e;
        e.selection = s.selection;
        e.scoring = s.scoring;
        e.scoring.mode = ScoringMode::Paper;
        e.schedule = d.tasks[0].points[1].schedule;
        e.modelName = "tiny";
        const EvalResult direct = runEvaluation(model_, *tok_, tasks_[1], e);
        QCOMPARE(evalResultToJson(sweepPointResult(d.tasks[0], 1)).dump(), evalResultToJson(direct).dump());
        const std::string path = dir_.filePath("paper-details.json").toStdString();
        saveSweepDetails(d, path);
        const SweepDetails back = loadSweepDetails(path);
        QCOMPARE(sweepDetailsToJson(back).dump(), sweepDetailsToJson(d).dump());
        QCOMPARE(rowsOf(sweepPointsOf(back)), rowsOf(points));
        // Without the scoring columns (an older file), a point was scored correctly: all it scored was read.
        nlohmann::json j = sweepDetailsToJson(d);
        j.erase("scorings");
        j["tasks"][0]["points"].erase(1);
        j["tasks"][0]["points"][0].erase("scoring");
        j["tasks"][0]["points"][0]["reduced"].erase("tokens_read");
        j["tasks"][0]["points"][0]["reduced"].erase("misread");
        const SweepDetails old = sweepDetailsFromJson(j, "old.json");
        QCOMPARE(old.scorings, std::vector<ScoringMode>{ScoringMode::Correct});
        QCOMPARE(rowsOf(sweepPointsOf(old)), rowsOf({points[0]}));
    }

    void aDetailsFileThatDoesNotAddUpIsNamed() {
        SweepSettings s = settings_;
        s.keepRatios = {0.6};
        s.methods = {ReductionMethod::Utr};
        SweepDetails d;
        runSweep(model_, *tok_, {tasks_[0]}, s, &d);
        nlohmann::json j = sweepDetailsToJson(d);
        j["tasks"][0]["points"][0]["reduced"]["ll"].erase(0);
        std::string e = testing::errorOf([&] { sweepDetailsFromJson(j, "cut.json"); });
        QVERIFY2(e.find("cut.json: point utr at keep ratio 0.6 (correct scoring): \"ll\" has 17 entries for 18 choices") != std::string::npos,
                 e.c_str());
        e = testing::errorOf([&] { sweepDetailsFromJson(evalResultToJson(d.tasks[0].dense), "eval.json"); });
        QVERIFY2(e.find("eval.json: not SSM Lens sweep details") != std::string::npos, e.c_str());
        j = sweepDetailsToJson(d);
        j.erase("keep_ratios");
        e = testing::errorOf([&] { sweepDetailsFromJson(j, "old.json"); });
        QVERIFY2(e.find("old.json: malformed sweep details") != std::string::npos, e.c_str());
    }
};

QTEST_APPLESS_MAIN(TestEvalSweepDetails)
#include "test_eval_sweep_details.moc"
