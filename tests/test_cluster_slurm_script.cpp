// The sbatch script of a sharded run and the reading of Slurm's answers: the script runs the plan's command
// with the task's index (and is valid bash, checked with bash -n and by running it as a fake array task),
// keeps the shard count when a smaller array resubmits some tasks, passes the user's options through,
// refuses what cannot go into an #SBATCH line; squeue / sacct / sbatch output parsed as Slurm 22.05 prints it.
#include <QtTest/QtTest>

#include <fstream>

#include "core/Error.h"
#include "core/cluster/ChildProcess.h"
#include "core/cluster/SlurmArrayScript.h"
#include "core/cluster/SlurmQueue.h"

using namespace ssmlens;

namespace {

ShardPlan samplePlan(const std::string& dir) {
    ShardPlan p;
    p.name = "ssmlens-eval-piqa";
    p.dir = dir;
    p.workingDir = dir;
    p.shardCount = 4;
    // A worker that says which shard it is: the marker inside a longer argument, and an argument with a quote.
    p.command = {"/bin/sh", "-c", std::string("echo \"it's shard ") + kShardIndexMarker + "\" > " + dir + "/out-" +
                                      kShardIndexMarker + ".txt"};
    return p;
}

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

class TestClusterSlurmScript : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

private slots:
    void scriptHasTheArrayTheOptionsAndTheCommand() {
        const std::string dir = tmp_.path().toStdString();
        SlurmOptions o;
        o.partition = "gpu";
        o.gpusPerTask = 1;
        o.cpusPerTask = 8;
        o.timeLimit = "2:00:00";
        o.extraOptions = {"--account=abc", "--qos=high"};
        const std::string s = slurmArrayScript(samplePlan(dir), o, {"first comment line"});
        QVERIFY(s.rfind("#!/bin/bash\n# first comment line\n", 0) == 0);
        for (const std::string& line : std::vector<std::string>{
                 "#SBATCH --job-name=ssmlens-eval-piqa", "#SBATCH --array=0-3",
              "#SBATCH --output=" + dir + "/ssmlens-eval-piqa.shard-%a.log", "#SBATCH --open-mode=append",
              "#SBATCH --chdir=" + dir, "#SBATCH --partition=gpu", "#SBATCH --gres=gpu:1",
              "#SBATCH --cpus-per-task=8", "#SBATCH --time=2:00:00", "#SBATCH --account=abc", "#SBATCH --qos=high",
              std::string("shards=4")})
            QVERIFY2(s.find("\n" + line + "\n") != std::string::npos, line.c_str());
        // Every #SBATCH line comes before the first command (sbatch stops reading them there).
        QVERIFY(s.rfind("#SBATCH") < s.find("\nshards="));
        // Defaults write no line.
        const std::string plain = slurmArrayScript(samplePlan(dir), SlurmOptions{}, {});
        for (const char* absent : {"--partition", "--gres", "--cpus-per-task", "--time"})
            QVERIFY2(plain.find(absent) == std::string::npos, absent);
    }

    void scriptIsValidBashAndRunsTheShardOfItsTask() {
        const std::string dir = tmp_.path().toStdString();
        const std::string path = dir + "/job.sbatch";
        std::ofstream(path) << slurmArrayScript(samplePlan(dir), SlurmOptions{}, {"a comment"});
        CommandOutput r = runCommand({"bash", "-n", path}, 30);
        QVERIFY2(r.status.success(), r.err.c_str());
        // As array task 2 of a resubmitted array of one task: still shard 2 of 4.
        setenv("SLURM_ARRAY_TASK_ID", "2", 1);
        setenv("SLURM_ARRAY_TASK_COUNT", "1", 1);
        setenv("SLURM_ARRAY_JOB_ID", "77", 1);
        r = runCommand({"bash", path}, 30);
        QVERIFY2(r.status.success(), r.err.c_str());
        QCOMPARE(readAll(dir + "/out-2.txt"), std::string("it's shard 2\n"));
        // Its exit code is kept for the runner (squeue says FAILED whether it was killed or reported an error).
        QCOMPARE(readAll(dir + "/ssmlens-eval-piqa.shard-2.exit"), std::string("0\n"));
        QVERIFY(r.out.find("ssmlens: shard 2/4, job 77_2") != std::string::npos);
        // A task index beyond the shards, or no array at all: refused, nothing run.
        setenv("SLURM_ARRAY_TASK_ID", "4", 1);
        r = runCommand({"bash", path}, 30);
        QCOMPARE(r.status.code, 2);
        QVERIFY(!QFile::exists(QString::fromStdString(dir + "/out-4.txt")));
        unsetenv("SLURM_ARRAY_TASK_ID");
        r = runCommand({"bash", path}, 30);
        QCOMPARE(r.status.code, 2);
        QVERIFY(r.err.find("submit this script with sbatch") != std::string::npos);
        unsetenv("SLURM_ARRAY_TASK_COUNT");
        unsetenv("SLURM_ARRAY_JOB_ID");
    }

    void percentInTheFolderIsEscapedForSlurm() {
        ShardPlan p = samplePlan("/scratch/run%1");
        const std::string s = slurmArrayScript(p, SlurmOptions{}, {});
        QVERIFY(s.find("#SBATCH --output=/scratch/run%%1/ssmlens-eval-piqa.shard-%a.log") != std::string::npos);
    }

    void badOptionsAreRefusedByName() {
        auto refused = [](SlurmOptions o, const char* expected) {
            try {
                validateSlurmOptions(o);
            } catch (const Error& e) {
                return std::string(e.what()).find(expected) != std::string::npos;
            }
            return false;
        };
        SlurmOptions o;
        o.partition = "gpu\n#SBATCH --x";
        QVERIFY(refused(o, "--slurm-partition"));
        o = {};
        o.timeLimit = "two hours";
        QVERIFY(refused(o, "--slurm-time"));
        o = {};
        o.extraOptions = {"account=abc"};
        QVERIFY(refused(o, "not an sbatch option"));
        o.extraOptions = {"--array=0-9"};
        QVERIFY(refused(o, "is set by ssmlens-cli"));
        o = {};
        o.gpusPerTask = -1;
        QVERIFY(refused(o, "--slurm-gpus-per-task"));
        ShardPlan p = samplePlan("/my runs/a");
        QVERIFY_EXCEPTION_THROWN(slurmArrayScript(p, SlurmOptions{}, {}), Error);
    }

    void shellWordsAndQuoting() {
        QCOMPARE(splitShellWords("--account=abc  --comment='two words' --x=\"a'b\""),
                 (std::vector<std::string>{"--account=abc", "--comment=two words", "--x=a'b"}));
        QCOMPARE(splitShellWords("  "), std::vector<std::string>{});
        QVERIFY_EXCEPTION_THROWN(splitShellWords("--comment='open"), Error);
        QCOMPARE(shellQuote("/opt/ssm/bin/ssmlens-cli"), std::string("/opt/ssm/bin/ssmlens-cli"));
        QCOMPARE(shellQuote("it's"), std::string("'it'\\''s'"));
        QCOMPARE(shellQuote(""), std::string("''"));
        QCOMPARE(shellQuote("$HOME"), std::string("'$HOME'"));
    }

    void squeueLinesAreParsed() {
        // As squeue --noheader --array --states=all --format=%i|%T|%r|%N prints them (Slurm 22.05).
        const std::string text = "1_2|PENDING|Resources|\n"
                                 "1_1|RUNNING|None|node07\n"
                                 "1_0|CANCELLED|None|node07\n"
                                 "12|RUNNING|None|node01\n"            // not an array task: skipped
                                 "13_[4-7]|PENDING|Priority|\n"        // not expanded: skipped
                                 "garbage\n";
        const std::vector<SlurmTaskState> t = parseSqueueTasks(text);
        QCOMPARE(t.size(), size_t(3));
        QCOMPARE(t[0].jobId, std::string("1"));
        QCOMPARE(t[0].taskId, int64_t(2));
        QCOMPARE(t[0].state, std::string("PENDING"));
        QCOMPARE(t[0].detail, std::string("Resources"));
        QCOMPARE(t[1].node, std::string("node07"));
        QCOMPARE(t[2].state, std::string("CANCELLED"));
    }

    void sacctLinesAreParsed() {
        // sacct --noheader --parsable2 --allocations --format=JobID,State,ExitCode,NodeList
        const std::vector<SlurmTaskState> t =
            parseSacctTasks("40_3|CANCELLED by 1000|0:15|gpu2\n40_1|PREEMPTED|0:0|gpu3\n41|COMPLETED|0:0|gpu1\n");
        QCOMPARE(t.size(), size_t(2));
        QCOMPARE(t[0].state, std::string("CANCELLED"));
        QCOMPARE(t[0].detail, std::string("0:15"));
        QCOMPARE(t[1].taskId, int64_t(1));
        QCOMPARE(t[1].node, std::string("gpu3"));
    }

    void statesAreClassified() {
        for (const char* s : {"PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED", "SUSPENDED", "RESIZING"})
            QVERIFY2(classifySlurmState(s) == SlurmStateKind::Active, s);
        QVERIFY(classifySlurmState("COMPLETED") == SlurmStateKind::Completed);
        for (const char* s : {"FAILED", "CANCELLED", "TIMEOUT", "PREEMPTED", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL"})
            QVERIFY2(classifySlurmState(s) == SlurmStateKind::Failed, s);
    }

    void sbatchJobIdIsParsed() {
        QCOMPARE(parseSbatchJobId("1234\n"), std::string("1234"));
        QCOMPARE(parseSbatchJobId("1234;cluster2\n"), std::string("1234"));
        QVERIFY_EXCEPTION_THROWN(parseSbatchJobId("Submitted batch job 12"), Error);
    }

    void planFilesAndMarkers() {
        ShardPlan p = samplePlan("/runs/a");
        QCOMPARE(p.resultFile(3), std::string("/runs/a/ssmlens-eval-piqa.shard-3.json"));
        QCOMPARE(p.progressFile(0), std::string("/runs/a/ssmlens-eval-piqa.shard-0.progress"));
        QCOMPARE(p.logFile(1), std::string("/runs/a/ssmlens-eval-piqa.shard-1.log"));
        QCOMPARE(p.commandFor(2).back(), std::string("echo \"it's shard 2\" > /runs/a/out-2.txt"));
        QCOMPARE(replaceShardMarker(std::string("--shard ") + kShardIndexMarker + "/" + kShardIndexMarker, "x"),
                 std::string("--shard x/x"));
    }
};

QTEST_APPLESS_MAIN(TestClusterSlurmScript)
#include "test_cluster_slurm_script.moc"
