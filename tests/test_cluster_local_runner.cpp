// Shards in worker processes on this machine (LocalShardRunner), with small shell workers the test writes:
// every shard runs once on some slot with that slot's arguments and environment, no more at once than
// there are slots; a killed worker runs again; one that keeps failing is given up after its retries with
// its log in the error, once the others are done; a stop request stops the workers. Also the pieces it
// stands on: running commands without a shell (ChildProcess) and the progress file (ShardProgress).
#include <QtTest/QtTest>

#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <set>

#include "core/Error.h"
#include "core/cluster/ChildProcess.h"
#include "core/cluster/LocalShardRunner.h"
#include "core/cluster/ShardProgress.h"

using namespace ssmlens;

namespace {

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A plan whose worker is `script` run by sh; in it $SHARD is the shard, $RESULT and $PROGRESS its files,
// $1 $2 ... the slot's extra arguments.
ShardPlan shellPlan(const std::string& dir, int64_t shards, const std::string& script) {
    ShardPlan p;
    p.name = "test";
    p.dir = dir;
    p.workingDir = dir;
    p.shardCount = shards;
    const std::string m = kShardIndexMarker;
    p.command = {"/bin/sh", "-c",
                 "SHARD=" + m + "; RESULT=" + dir + "/test.shard-" + m + ".json; PROGRESS=" + dir + "/test.shard-" + m +
                     ".progress; " + script,
                 "worker"};
    return p;
}

std::vector<WorkerSlot> twoSlots() {
    return {{"slot-a", {"--device", "a"}, {{"SLOT_ENV", "A"}}}, {"slot-b", {"--device", "b"}, {{"SLOT_ENV", "B"}}}};
}

}  // namespace

class TestClusterLocalRunner : public QObject {
    Q_OBJECT

private slots:
    void everyShardRunsOnceOnASlot() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        // Each worker notes when it starts and ends, so the test can count how many ran at once.
        const ShardPlan plan = shellPlan(dir, 5,
                                         "echo start >> " + dir + "/events; echo '{\"done\": 1, \"total\": 2}' > $PROGRESS; "
                                         "sleep 0.3; echo end >> " + dir + "/events; echo \"$SHARD $2 $SLOT_ENV\" > $RESULT");
        std::vector<std::string> events;
        std::multiset<int64_t> done;
        ShardRunOptions o;
        o.report = [&](const std::vector<ShardStatus>& s, const std::string& e) {
            QCOMPARE(s.size(), size_t(5));
            if (!e.empty()) events.push_back(e);
        };
        o.shardDone = [&](int64_t shard) {
            QVERIFY(QFile::exists(QString::fromStdString(plan.resultFile(shard))));
            done.insert(shard);
        };
        LocalShardRunner(twoSlots()).run(plan, o);
        QCOMPARE(done, (std::multiset<int64_t>{0, 1, 2, 3, 4}));
        std::set<std::string> slotsUsed;
        for (int64_t i = 0; i < 5; ++i) {
            const std::string r = readAll(plan.resultFile(i));
            QVERIFY2(r == std::to_string(i) + " a A\n" || r == std::to_string(i) + " b B\n", r.c_str());
            slotsUsed.insert(r.substr(2, 1));
            QVERIFY(readAll(plan.logFile(i)).find("attempt 1, on slot-") != std::string::npos);
        }
        QCOMPARE(slotsUsed.size(), size_t(2));
        int running = 0, most = 0;
        std::ifstream in(dir + "/events");
        for (std::string line; std::getline(in, line);) most = std::max(most, running += line == "start" ? 1 : -1);
        QCOMPARE(most, 2);
        QCOMPARE(std::count_if(events.begin(), events.end(), [](const std::string& e) { return e.find(" done on ") != std::string::npos; }), 5L);
    }

    void aKilledWorkerRunsAgain() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        const ShardPlan plan = shellPlan(dir, 3,
                                         "if [ $SHARD = 1 ] && [ ! -e " + dir + "/killed ]; then touch " + dir +
                                             "/killed; kill -9 $$; fi; echo ok > $RESULT");
        std::vector<std::string> events;
        ShardRunOptions o;
        o.retries = 1;
        o.report = [&](const std::vector<ShardStatus>& s, const std::string& e) {
            if (!e.empty()) events.push_back(e);
            if (s[1].state == ShardState::Done) QCOMPARE(s[1].attempts, 2);
        };
        LocalShardRunner(twoSlots()).run(plan, o);
        for (int64_t i = 0; i < 3; ++i) QCOMPARE(readAll(plan.resultFile(i)), std::string("ok\n"));
        bool retried = false;
        for (const std::string& e : events)
            retried = retried || (e.find("shard 1/3 failed") != std::string::npos &&
                                  e.find("killed by signal 9") != std::string::npos && e.find("attempt 2 of 2") != std::string::npos);
        QVERIFY(retried);
        QVERIFY(readAll(plan.logFile(1)).find("attempt 2") != std::string::npos);
    }

    void aShardThatKeepsFailingIsReportedWithItsLog() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        const ShardPlan plan = shellPlan(dir, 3,
                                         "if [ $SHARD = 2 ]; then echo 'boom: the data is gone' >&2; exit 3; fi; "
                                         "sleep 0.2; echo ok > $RESULT");
        ShardRunOptions o;
        o.retries = 1;
        try {
            LocalShardRunner({twoSlots()[0]}).run(plan, o);
            QFAIL("no error");
        } catch (const Error& e) {
            const std::string m = e.what();
            QVERIFY2(m.find("shard 2/3 failed 2 times (last: exit code 3)") != std::string::npos, m.c_str());
            QVERIFY2(m.find(plan.logFile(2)) != std::string::npos, m.c_str());
            QVERIFY2(m.find("boom: the data is gone") != std::string::npos, m.c_str());
        }
        // The others finished before the error.
        QCOMPARE(readAll(plan.resultFile(0)), std::string("ok\n"));
        QCOMPARE(readAll(plan.resultFile(1)), std::string("ok\n"));
    }

    void aReportedErrorIsNotRetried() {
        QTemporaryDir tmp;
        const ShardPlan plan = shellPlan(tmp.path().toStdString(), 2,
                                         "if [ $SHARD = 1 ]; then echo 'error: no such file' >&2; exit 7; fi; echo ok > $RESULT");
        ShardRunOptions o;
        o.retries = 2;
        o.reportedErrorExitCode = 7;
        try {
            LocalShardRunner(twoSlots()).run(plan, o);
            QFAIL("no error");
        } catch (const Error& e) {
            const std::string m = e.what();
            QVERIFY2(m.find("shard 1/2 failed once (last: reported an error, exit code 7, not retried)") != std::string::npos,
                     m.c_str());
            QVERIFY2(m.find("error: no such file") != std::string::npos, m.c_str());
        }
        QCOMPARE(readAll(plan.resultFile(0)), std::string("ok\n"));
    }

    void aWorkerThatWritesNoResultFails() {
        QTemporaryDir tmp;
        const ShardPlan plan = shellPlan(tmp.path().toStdString(), 1, "true");
        ShardRunOptions o;
        o.retries = 0;
        try {
            LocalShardRunner(twoSlots()).run(plan, o);
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("ended without writing its result") != std::string::npos, e.what());
        }
    }

    void stoppingStopsTheWorkers() {
        QTemporaryDir tmp;
        const ShardPlan plan = shellPlan(tmp.path().toStdString(), 2,
                                         "echo '{\"done\": 0, \"total\": 9, \"pid\": '$$'}' > $PROGRESS; exec sleep 60");
        std::atomic<bool> stop{false};
        std::vector<int64_t> pids;
        ShardRunOptions o;
        o.stop = [&] { return stop.load(); };
        o.report = [&](const std::vector<ShardStatus>& s, const std::string&) {
            pids.clear();
            for (const ShardStatus& st : s)
                if (st.progress.pid > 0) pids.push_back(st.progress.pid);
            if (pids.size() == 2) stop = true;
        };
        const auto t0 = std::chrono::steady_clock::now();
        QVERIFY_EXCEPTION_THROWN(LocalShardRunner(twoSlots()).run(plan, o), ShardRunInterrupted);
        QVERIFY(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(20));
        QCOMPARE(pids.size(), size_t(2));
        for (int64_t pid : pids) QVERIFY2(kill(static_cast<pid_t>(pid), 0) != 0, "a worker is still running");
    }

    void aProgramThatCannotStartIsNamed() {
        QTemporaryDir tmp;
        ShardPlan plan = shellPlan(tmp.path().toStdString(), 1, "true");
        plan.command = {"/nonexistent/ssmlens-cli", "eval"};
        try {
            LocalShardRunner(twoSlots()).run(plan, {});
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("/nonexistent/ssmlens-cli: cannot start") != std::string::npos, e.what());
        }
    }

    void commandsRunWithoutAShell() {
        CommandOutput r = runCommand({"printf", "%s|%s", "a b", "$HOME;x"}, 10);
        QVERIFY(r.status.success());
        QCOMPARE(r.out, std::string("a b|$HOME;x"));
        r = runCommand({"sh", "-c", "echo err >&2; exit 4"}, 10);
        QCOMPARE(r.status.code, 4);
        QCOMPARE(r.err, std::string("err\n"));
        QCOMPARE(r.status.describe(), std::string("exit code 4"));
        const auto t0 = std::chrono::steady_clock::now();
        r = runCommand({"sleep", "30"}, 0.3);
        QVERIFY(r.timedOut);
        QCOMPARE(r.status.signal, SIGKILL);
        QVERIFY(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
        QVERIFY_EXCEPTION_THROWN(runCommand({"ssmlens-no-such-program"}, 10), Error);
    }

    void progressFilesRoundTripAndBadOnesAreIgnored() {
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("p.progress").toStdString();
        QVERIFY(!readShardProgress(path));
        writeShardProgress(path, {12, 40, "gpu17", 4242});
        const auto p = readShardProgress(path);
        QVERIFY(p);
        QCOMPARE(p->done, int64_t(12));
        QCOMPARE(p->total, int64_t(40));
        QCOMPARE(p->host, std::string("gpu17"));
        QCOMPARE(p->pid, int64_t(4242));
        for (const char* bad : {"", "{\"done\": 1", "[1, 2]", "{\"done\": -1, \"total\": 2}", "{\"total\": 2}"}) {
            std::ofstream(path) << bad;
            QVERIFY2(!readShardProgress(path), bad);
        }
        // The writer: the first call and the last (done == total) always land, calls in between are thinned.
        ShardProgressWriter w(path, std::chrono::hours(1));
        w.update(0, 10);
        QCOMPARE(readShardProgress(path)->done, int64_t(0));
        QCOMPARE(readShardProgress(path)->pid, int64_t(getpid()));
        w.update(5, 10);
        QCOMPARE(readShardProgress(path)->done, int64_t(0));
        w.update(10, 10);
        QCOMPARE(readShardProgress(path)->done, int64_t(10));
    }
};

QTEST_APPLESS_MAIN(TestClusterLocalRunner)
#include "test_cluster_local_runner.moc"
