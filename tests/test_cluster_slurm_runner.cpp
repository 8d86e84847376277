// The Slurm runner's following and resubmitting, against stand-ins for sbatch, squeue, sacct and scancel
// (tests/data/fake-slurm: array tasks run as local processes, states kept in files) so every path runs
// without a cluster: all tasks done; a preempted task resubmitted as a smaller array that still runs its
// shard; a task that keeps timing out given up after its retries with the resubmit command in the error;
// squeue failing for a while; an interrupt cancelling what is left; one run per folder. The real Slurm
// daemons are exercised by tests/test_slurm_cluster.sh (label slurm).
#include <QtTest/QtTest>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <set>

#include "core/Error.h"
#include "core/cluster/SlurmShardRunner.h"

using namespace ssmlens;

namespace {

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

ShardPlan shellPlan(const std::string& dir, int64_t shards, const std::string& script) {
    ShardPlan p;
    p.name = "fake";
    p.dir = dir + "/run";
    p.workingDir = dir;
    p.shardCount = shards;
    const std::string m = kShardIndexMarker;
    p.command = {"/bin/sh", "-c", "SHARD=" + m + "; RESULT=" + p.dir + "/fake.shard-" + m + ".json; " + script};
    return p;
}

SlurmOptions fastPolling() {
    SlurmOptions o;
    o.pollSeconds = 0.2;
    return o;
}

}  // namespace

class TestClusterSlurmRunner : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::string state_;

private slots:
    void initTestCase() {
        const std::string path = std::string(SSMLENS_SOURCE_DIR "/tests/data/fake-slurm:") + std::getenv("PATH");
        setenv("PATH", path.c_str(), 1);
    }

    void init() {
        // A fresh state folder per test function, so job ids and injected failures do not carry over.
        state_ = tmp_.filePath(QTest::currentTestFunction()).toStdString();
        QDir().mkpath(QString::fromStdString(state_));
        setenv("FAKE_SLURM_STATE", state_.c_str(), 1);
    }

    void everyTaskRunsAndIsFollowedToItsResult() {
        const ShardPlan plan = shellPlan(state_, 3, "sleep 0.3; echo \"shard $SHARD\" > $RESULT");
        std::vector<std::string> events;
        std::multiset<int64_t> done;
        ShardRunOptions o;
        o.report = [&](const std::vector<ShardStatus>&, const std::string& e) {
            if (!e.empty()) events.push_back(e);
        };
        o.shardDone = [&](int64_t shard) { done.insert(shard); };
        SlurmShardRunner(fastPolling(), {"a comment"}).run(plan, o);
        QCOMPARE(done, (std::multiset<int64_t>{0, 1, 2}));
        for (int64_t i = 0; i < 3; ++i) QCOMPARE(readAll(plan.resultFile(i)), "shard " + std::to_string(i) + "\n");
        QVERIFY(events.at(0).find("submitted " + plan.dir + "/fake.sbatch: job array 100, tasks 0-2") == 0);
        QVERIFY(readAll(plan.logFile(1)).find("ssmlens: shard 1/3, job 100_1") != std::string::npos);
        QVERIFY(!QFile::exists(QString::fromStdString(plan.dir + "/fake.lock")));
    }

    void aPreemptedTaskIsResubmittedAndStillRunsItsShard() {
        std::ofstream(state_ + "/fail-1") << "PREEMPTED 1";
        const ShardPlan plan = shellPlan(state_, 3, "echo \"shard $SHARD\" > $RESULT");
        std::vector<std::string> events;
        std::vector<ShardStatus> last;
        ShardRunOptions o;
        o.report = [&](const std::vector<ShardStatus>& s, const std::string& e) {
            last = s;
            if (!e.empty()) events.push_back(e);
        };
        SlurmShardRunner(fastPolling(), {}).run(plan, o);
        // The resubmission is an array of one task: the script still runs shard 1 of 3.
        QCOMPARE(readAll(plan.resultFile(1)), std::string("shard 1\n"));
        QCOMPARE(last.at(1).attempts, 2);
        QCOMPARE(last.at(0).attempts, 1);
        bool failureSeen = false, resubmitSeen = false;
        for (const std::string& e : events) {
            failureSeen = failureSeen || e == "shard 1/3: job 100_1 ended PREEMPTED (attempt 1 of 3)";
            resubmitSeen = resubmitSeen || e == "resubmitted shard 1 as job array 101 (sbatch --array=1)";
        }
        QVERIFY(failureSeen);
        QVERIFY(resubmitSeen);
    }

    void aTaskThatKeepsFailingIsGivenUpWithTheWayToResubmit() {
        std::ofstream(state_ + "/fail-2") << "TIMEOUT 9";
        const ShardPlan plan = shellPlan(state_, 3, "echo ok > $RESULT");
        ShardRunOptions o;
        o.retries = 1;
        try {
            SlurmShardRunner(fastPolling(), {}).run(plan, o);
            QFAIL("no error");
        } catch (const Error& e) {
            const std::string m = e.what();
            QVERIFY2(m.find("shard 2/3 failed 2 times (last: job 101_2 ended TIMEOUT)") != std::string::npos, m.c_str());
            QVERIFY2(m.find("sbatch --array=2 " + plan.dir + "/fake.sbatch") != std::string::npos, m.c_str());
        }
        QCOMPARE(readAll(plan.resultFile(0)), std::string("ok\n"));
        QCOMPARE(readAll(plan.resultFile(1)), std::string("ok\n"));
    }

    void aReportedErrorIsNotResubmitted() {
        const ShardPlan plan = shellPlan(state_, 2, "if [ $SHARD = 0 ]; then echo 'error: cannot read' >&2; exit 1; fi; echo ok > $RESULT");
        ShardRunOptions o;
        o.reportedErrorExitCode = 1;
        try {
            SlurmShardRunner(fastPolling(), {}).run(plan, o);
            QFAIL("no error");
        } catch (const Error& e) {
            const std::string m = e.what();
            QVERIFY2(m.find("shard 0/2 failed once (last: job 100_0 ended FAILED: the program reported an error "
                            "(exit code 1), not retried)") != std::string::npos, m.c_str());
            QVERIFY2(m.find("error: cannot read") != std::string::npos, m.c_str());
        }
        QVERIFY(!QFile::exists(QString::fromStdString(state_ + "/101_0")));  // nothing resubmitted
        QCOMPARE(readAll(plan.resultFile(1)), std::string("ok\n"));
    }

    void squeueFailingForAWhileIsWaitedOut() {
        std::ofstream(state_ + "/squeue-fails") << "3";
        const ShardPlan plan = shellPlan(state_, 2, "sleep 3; echo ok > $RESULT");
        int warnings = 0;
        ShardRunOptions o;
        o.report = [&](const std::vector<ShardStatus>&, const std::string& e) {
            warnings += e.find("squeue failed: slurm_load_jobs error: Socket timed out") == 0 &&
                        e.find("; trying again") != std::string::npos;
        };
        SlurmShardRunner(fastPolling(), {}).run(plan, o);
        QCOMPARE(warnings, 3);
        QCOMPARE(readAll(plan.resultFile(1)), std::string("ok\n"));
    }

    void anInterruptCancelsTheUnfinishedTasks() {
        const ShardPlan plan = shellPlan(state_, 2, "if [ $SHARD = 0 ]; then echo ok > $RESULT; else sleep 2; fi");
        std::atomic<bool> stop{false};
        ShardRunOptions o;
        o.stop = [&] { return stop.load(); };
        o.report = [&](const std::vector<ShardStatus>& s, const std::string&) {
            if (s[0].state == ShardState::Done) stop = true;
        };
        try {
            SlurmShardRunner(fastPolling(), {}).run(plan, o);
            QFAIL("not interrupted");
        } catch (const ShardRunInterrupted& e) {
            QVERIFY2(std::string(e.what()).find("cancelled the unfinished tasks") != std::string::npos, e.what());
        }
        QCOMPARE(readAll(state_ + "/cancelled"), std::string("100_1\n"));
    }

    void oneRunPerFolder() {
        const ShardPlan plan = shellPlan(state_, 1, "echo ok > $RESULT");
        QDir().mkpath(QString::fromStdString(plan.dir));
        const int fd = open((plan.dir + "/fake.lock").c_str(), O_RDWR | O_CREAT, 0644);
        QVERIFY(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0);
        try {
            SlurmShardRunner(fastPolling(), {}).run(plan, {});
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("another ssmlens-cli run is using this folder") != std::string::npos, e.what());
        }
        close(fd);
        QVERIFY(!QFile::exists(QString::fromStdString(state_ + "/next-job")));  // nothing was submitted
    }
};

QTEST_APPLESS_MAIN(TestClusterSlurmRunner)
#include "test_cluster_slurm_runner.moc"
