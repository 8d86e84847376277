// The tuner's rounds through a ShardRunner (ShardedEvaluator), with a small shell worker the test writes in
// place of `ssmlens-cli tune-round` (the real worker is tested end to end in test_tune_cli and, on Slurm, in
// test_slurm_cluster.sh): the round file holds the schedules and racing bounds; every share's scores reach
// the tuner exactly as the worker wrote them and in round order, whichever worker finishes first; a share
// that lacks a candidate, was scored on other calibration data, or whose worker keeps failing is an error
// naming the shard and the file (the scores that did arrive are handed over first); a killed worker runs
// again; stop() ends the round at once. Also the files' format (TuneRoundFile) and how a round is shared.
#include <QtTest/QtTest>

#include <chrono>
#include <fstream>

#include "core/Error.h"
#include "core/cluster/LocalShardRunner.h"
#include "core/cluster/ShardedEvaluator.h"
#include "core/tune/TuneRoundFile.h"

using namespace ssmlens;

namespace {

constexpr const char* kFingerprint = "0123456789abcdef";

ReductionSchedule schedule(int64_t layer, double q) {
    ReductionSchedule s;
    s.anchors = {{layer, q}};
    return s;
}

std::vector<ReductionSchedule> fourSchedules() {
    return {schedule(1, 0.9), schedule(2, 0.8), schedule(3, 0.7), schedule(4, 0.6)};
}

// The worker: sh -c SCRIPT worker --round F --shard K/N --result R --progress-file P. It scores candidate i
// of its share as objective i + 0.25 (checkpoint i + 0.125). `setup` runs first and may change FP (the
// fingerprint it reports), DROP (a candidate it leaves out), or exit / sleep / kill itself.
std::vector<std::string> shellWorker(const std::string& setup) {
    const std::string script =
        "ROUND=$2; K=${4%/*}; N=${4#*/}; RESULT=$6; PROGRESS=$8; FP=" + std::string(kFingerprint) + "; DROP=-1\n"
        "R=$(sed -n 's/^ \"round\": \\([0-9]*\\).*/\\1/p' \"$ROUND\")\n"
        "COUNT=$(grep -c '\"reject_above\"' \"$ROUND\")\n" + setup + "\n"
        "base=$((COUNT / N)); extra=$((COUNT % N)); first=$((K * base + (K < extra ? K : extra)))\n"
        "end=$((first + base + (K < extra ? 1 : 0))); scores=''; i=$first\n"
        "while [ $i -lt $end ]; do\n"
        "  if [ $i != $DROP ]; then\n"
        "    [ -n \"$scores\" ] && scores=\"$scores,\"\n"
        "    scores=\"$scores{\\\"candidate\\\":$i,\\\"objective_kl\\\":$i.25,\\\"nll\\\":1.5,\\\"scored_positions\\\":10,"
        "\\\"lost_positions\\\":0,\\\"seconds\\\":0.1,\\\"checkpoints_kl\\\":[$i.125],\\\"evaluated_fraction\\\":1}\"\n"
        "  fi; i=$((i + 1))\n"
        "done\n"
        "printf '{\"format\":\"ssmlens-tune-round-result\",\"version\":1,\"round\":%s,\"shard\":%s,\"shards\":%s,"
        "\"calibration_fingerprint\":\"%s\",\"evaluator\":\"sh\",\"host\":\"here\",\"dense_nll\":2.5,\"dense_seconds\":0.5,"
        "\"scores\":[%s]}\\n' \"$R\" \"$K\" \"$N\" \"$FP\" \"$scores\" > \"$RESULT.tmp\" && mv \"$RESULT.tmp\" \"$RESULT\"\n";
    return {"/bin/sh", "-c", script, "worker"};
}

ShardedEvaluatorOptions options(const std::string& dir, const std::string& setup, int64_t shards) {
    ShardedEvaluatorOptions o;
    o.name = "test-tune";
    o.dir = dir;
    o.workingDir = dir;
    o.workerCommand = shellWorker(setup);
    o.maxShards = shards;
    o.calibrationFingerprint = kFingerprint;
    o.description = "shell workers";
    o.run.retries = 1;
    o.run.reportedErrorExitCode = 1;
    return o;
}

std::vector<WorkerSlot> workerSlots(int n) {
    std::vector<WorkerSlot> s;
    for (int i = 0; i < n; ++i) s.push_back({"slot-" + std::to_string(i), {}, {}});
    return s;
}

struct Received {
    std::vector<size_t> order;
    std::vector<CandidateScore> scores;
};

}  // namespace

class TestClusterShardedEvaluator : public QObject {
    Q_OBJECT

private slots:
    void roundSharesAreContiguousAndCoverTheRound() {
        QCOMPARE(roundShareOf(10, 0, 3), (std::pair<size_t, size_t>{0, 4}));
        QCOMPARE(roundShareOf(10, 1, 3), (std::pair<size_t, size_t>{4, 7}));
        QCOMPARE(roundShareOf(10, 2, 3), (std::pair<size_t, size_t>{7, 10}));
        QCOMPARE(roundShareOf(2, 1, 2), (std::pair<size_t, size_t>{1, 2}));
        QVERIFY_THROWS_EXCEPTION(Error, roundShareOf(4, 2, 2));
    }

    void scoresReachTheTunerAsWrittenInRoundOrder() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        // The first share's worker is the slow one: the second share arrives first and must wait for it.
        LocalShardRunner runner(workerSlots(2));
        ShardedEvaluator ev(runner, options(dir, "[ $K = 0 ] && sleep 1", 3));
        const std::vector<std::vector<double>> bounds = {{}, {0.5, 0.25}, {}, {1.0 / 3.0}};
        Received got;
        ev.evaluate(fourSchedules(), bounds, [&](size_t i, const CandidateScore& s) {
            got.order.push_back(i);
            got.scores.push_back(s);
        }, {});
        QCOMPARE(got.order, (std::vector<size_t>{0, 1, 2, 3}));
        for (size_t i = 0; i < 4; ++i) {
            QCOMPARE(got.scores[i].objective, double(i) + 0.25);
            QCOMPARE(got.scores[i].checkpoints, std::vector<double>{double(i) + 0.125});
            QCOMPARE(got.scores[i].scoredPositions, int64_t(10));
        }
        QCOMPARE(ev.denseNll(), 2.5);
        QVERIFY(ev.description().find("shell workers; each: sh") != std::string::npos);
        // The round file: the schedules and the bounds exactly (1/3 survives the trip through JSON).
        const TuneRound round = TuneRound::load(ev.roundFile(0));
        QCOMPARE(round.round, int64_t(0));
        QCOMPARE(round.calibrationFingerprint, std::string(kFingerprint));
        QVERIFY(round.schedules == fourSchedules());
        QCOMPARE(round.rejectAbove, bounds);
        // A second round is round 1, in files of its own; a round of one candidate runs one worker.
        got = {};
        ev.evaluate({schedule(5, 0.5)}, {{}}, [&](size_t i, const CandidateScore& s) {
            got.order.push_back(i);
            got.scores.push_back(s);
        }, {});
        QCOMPARE(got.order, std::vector<size_t>{0});
        QCOMPARE(ev.rounds(), int64_t(2));
        QVERIFY(QFile::exists(QString::fromStdString(dir + "/test-tune-round-1.shard-0.json")));
        QVERIFY(!QFile::exists(QString::fromStdString(dir + "/test-tune-round-1.shard-1.json")));
    }

    void aShareWithoutACandidateIsAnErrorNamingIt() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        LocalShardRunner runner(workerSlots(2));
        ShardedEvaluator ev(runner, options(dir, "[ $K = 1 ] && DROP=3", 2));
        std::vector<size_t> order;
        try {
            ev.evaluate(fourSchedules(), {}, [&](size_t i, const CandidateScore&) { order.push_back(i); }, {});
            QFAIL("a share without a candidate was taken");
        } catch (const Error& e) {
            const std::string m = e.what();
            QVERIFY2(m.find("tune round 0") != std::string::npos && m.find("test-tune-round-0.shard-1.json") != std::string::npos &&
                         m.find("no score for candidate 3") != std::string::npos && m.find("4:0.600") != std::string::npos,
                     m.c_str());
        }
        QCOMPARE(order, (std::vector<size_t>{0, 1}));  // the good share's scores were handed over
    }

    void otherCalibrationDataIsRefused() {
        QTemporaryDir tmp;
        LocalShardRunner runner(workerSlots(1));
        ShardedEvaluator ev(runner, options(tmp.path().toStdString(), "FP=ffff", 1));
        try {
            ev.evaluate(fourSchedules(), {}, [](size_t, const CandidateScore&) { QFAIL("a score of other data was taken"); }, {});
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("scored other calibration data (fingerprint ffff") != std::string::npos, e.what());
        }
    }

    void aWorkerThatKeepsFailingIsNamedWithItsLog() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        LocalShardRunner runner(workerSlots(2));
        ShardedEvaluator ev(runner, options(dir, "[ $K = 1 ] && { echo 'no GPU here' >&2; exit 3; }", 2));
        std::vector<size_t> order;
        try {
            ev.evaluate(fourSchedules(), {}, [&](size_t i, const CandidateScore&) { order.push_back(i); }, {});
            QFAIL("no error");
        } catch (const Error& e) {
            const std::string m = e.what();
            QVERIFY2(m.find("tune round 0: shard 1/2 failed 2 times") != std::string::npos &&
                         m.find("test-tune-round-0.shard-1.log") != std::string::npos && m.find("no GPU here") != std::string::npos,
                     m.c_str());
        }
        QCOMPARE(order, (std::vector<size_t>{0, 1}));
    }

    void aKilledWorkerRunsAgain() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        LocalShardRunner runner(workerSlots(2));
        ShardedEvaluator ev(runner, options(dir, "[ $K = 0 ] && [ ! -e " + dir + "/killed ] && { touch " + dir +
                                                     "/killed; kill -9 $$; }", 2));
        std::vector<size_t> order;
        ev.evaluate(fourSchedules(), {}, [&](size_t i, const CandidateScore&) { order.push_back(i); }, {});
        QCOMPARE(order, (std::vector<size_t>{0, 1, 2, 3}));
        QVERIFY(QFile::exists(tmp.filePath("killed")));
    }

    void stopEndsTheRoundAtOnce() {
        QTemporaryDir tmp;
        LocalShardRunner runner(workerSlots(2));
        ShardedEvaluator ev(runner, options(tmp.path().toStdString(), "sleep 60", 2));
        const auto t0 = std::chrono::steady_clock::now();
        auto stop = [t0] { return std::chrono::steady_clock::now() - t0 > std::chrono::milliseconds(300); };
        ev.evaluate(fourSchedules(), {}, [](size_t, const CandidateScore&) { QFAIL("a stopped round gave a score"); }, stop);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        QVERIFY2(seconds < 10, qPrintable(QString::number(seconds)));  // SIGTERM to sleeping sh: at once
    }

    void badFilesAreMessagesNamingThem() {
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("r.json").toStdString();
        std::ofstream(path) << "{\"format\": \"ssmlens-tune-round\", \"version\": 1, \"round\": 0}";
        try {
            TuneRound::load(path);
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find(path + ": malformed round") == 0, e.what());
        }
        std::ofstream(path) << "not json";
        QVERIFY_THROWS_EXCEPTION(Error, TuneRoundResult::load(path));
        QVERIFY_THROWS_EXCEPTION(Error, TuneRoundResult::load(tmp.filePath("missing.json").toStdString()));
    }
};

QTEST_GUILESS_MAIN(TestClusterShardedEvaluator)
#include "test_cluster_sharded_evaluator.moc"
