// ssmlens-cli eval / sweep / merge-results end to end on a tiny checkpoint and tokenizer the test writes:
// the table, the JSON details, shards merged into the unsharded result, the sweep's CSV, sweep shards
// merged by merge-results, --devices cpu,cpu (two worker processes) giving the single-process files byte
// for byte, --slurm-dry-run's script, both scoring modes and the comparison table, and bad input reported
// with its name (exit code 1, no crash).
#include <QtTest/QtTest>

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/model/Checkpoint.h"
#include "core/reduction/ReductionMethod.h"
#include "test_eval_support.h"

using namespace ssmlens;

namespace {

struct Run {
    int code = -1;
    QString out, err;
};

Run cli(const QStringList& args, const QString& workingDir = QString()) {
    QProcess p;
    if (!workingDir.isEmpty()) p.setWorkingDirectory(workingDir);
    p.start(QString(SSMLENS_BIN_DIR) + "/ssmlens-cli", args);
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::CrashExit ? -1 : p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

nlohmann::json readJson(const QString& path) {
    std::ifstream in(path.toStdString());
    return nlohmann::json::parse(in);
}

QByteArray bytesOf(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("(cannot read " + path.toUtf8() + ")");
}

}  // namespace

class TestEvalCli : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString model_;
    const QString samples_ = SSMLENS_SOURCE_DIR "/resources/eval-samples";

private slots:
    void initTestCase() {
        model_ = tmp_.filePath("model");
        const Mamba2Config c = testing::evalConfig();
        saveCheckpoint(model_.toStdString(), c, randomMamba2Weights(c, 5), SaveFormat::HuggingFaceSafetensors);
        std::ofstream(model_.toStdString() + "/tokenizer.json") << testing::tinyEvalTokenizerJson();
    }

    void evalPrintsTheTableAndWritesDetails() {
        const QString json = tmp_.filePath("piqa.json");
        Run r = cli({"eval", "--model", model_, "--task", "piqa", "--data", samples_, "--keep-ratio", "0.6",
                     "--json", json});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("task") && r.out.contains("reduction %"));
        QVERIFY(r.out.contains(QRegularExpression("piqa\\s+acc_norm\\s+[0-9.]+\\s+[0-9.]+")));
        const nlohmann::json j = readJson(json);
        QCOMPARE(j["task"].get<std::string>(), std::string("piqa"));
        QCOMPARE(j["examples"].size(), size_t(12));
        QCOMPARE(j["examples"][0]["choices"].size(), size_t(2));
        QVERIFY(j["examples"][0]["choices"][0]["reduced"]["scorable"].get<bool>());
        // Dense only without schedule options.
        r = cli({"eval", "--model", model_, "--task", "lambada_openai", "--data", samples_, "--limit", "3"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("examples 3 of 12"));
    }

    void shardsMergeToTheWholeRun() {
        const QStringList common = {"eval", "--model", model_, "--task", "lambada_openai", "--data", samples_,
                                    "--limit", "8", "--seed", "2", "--keep-ratio", "0.7", "--batch-size", "1"};
        QVERIFY(cli(common + QStringList{"--json", tmp_.filePath("whole.json")}).code == 0);
        QStringList merge = {"merge-results"};
        for (int i = 0; i < 2; ++i) {
            const QString out = tmp_.filePath(QString("s%1.json").arg(i));
            Run r = cli(common + QStringList{"--shard", QString("%1/2").arg(i), "--json", out});
            QVERIFY2(r.code == 0, qPrintable(r.err));
            merge << out;
        }
        Run m = cli(merge + QStringList{"--json", tmp_.filePath("merged.json")});
        QVERIFY2(m.code == 0, qPrintable(m.err));
        QCOMPARE(readJson(tmp_.filePath("merged.json")).dump(), readJson(tmp_.filePath("whole.json")).dump());
        Run missing = cli({"merge-results", merge[1]});
        QCOMPARE(missing.code, 1);
        QVERIFY(missing.err.contains("shard 1/2 is missing"));
    }

    void sweepWritesTheGrid() {
        const QString csv = tmp_.filePath("sweep.csv"), json = tmp_.filePath("sweep.json");
        Run r = cli({"sweep", "--model", model_, "--tasks", "piqa,lambada_openai", "--data-dir", samples_,
                     "--keep-ratios", "1,0.7", "--methods", "utr,tome", "--limit", "4", "--out-csv", csv,
                     "--out-json", json});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(f.readAll()).trimmed().split('\n');
        QCOMPARE(lines.size(), 1 + 2 * 2 * 2 * 2);  // tasks x methods x ratios x 2 metrics
        QCOMPARE(readJson(json)["points"].size(), size_t(8));
    }

    void devicesRunsWorkerProcessesAndEqualsOneProcess() {
        // Two CPU workers; --threads 1 in both runs, so each forward pass sums in the same order.
        const QStringList eval = {"eval", "--model", model_, "--task", "piqa", "--data", samples_, "--keep-ratio",
                                  "0.6", "--batch-size", "1", "--threads", "1"};
        Run one = cli(eval + QStringList{"--json", tmp_.filePath("one.json")});
        QVERIFY2(one.code == 0, qPrintable(one.err));
        Run two = cli(eval + QStringList{"--devices", "cpu,cpu", "--shards", "3", "--json", tmp_.filePath("two.json")});
        QVERIFY2(two.code == 0, qPrintable(two.err));
        QCOMPARE(bytesOf(tmp_.filePath("two.json")), bytesOf(tmp_.filePath("one.json")));
        QCOMPARE(two.out, one.out);
        QVERIFY(two.err.contains("shard 2/3 done on cpu"));
        // Each worker started once per shard: 3 processes on 2 slots.
        QCOMPARE(two.err.count(" started on cpu"), 3);

        const QStringList sweep = {"sweep", "--model", model_, "--tasks", "piqa,lambada_openai", "--data-dir", samples_,
                                   "--keep-ratios", "1,0.7", "--methods", "utr,tome", "--limit", "5", "--batch-size", "1",
                                   "--threads", "1"};
        one = cli(sweep + QStringList{"--out-csv", tmp_.filePath("one.csv"), "--out-json", tmp_.filePath("one-grid.json"),
                                      "--details", tmp_.filePath("one-details.json")});
        QVERIFY2(one.code == 0, qPrintable(one.err));
        two = cli(sweep + QStringList{"--devices", "cpu,cpu", "--out-csv", tmp_.filePath("two.csv"), "--out-json",
                                      tmp_.filePath("two-grid.json"), "--details", tmp_.filePath("two-details.json")});
        QVERIFY2(two.code == 0, qPrintable(two.err));
        for (const char* f : {"csv", "-grid.json", "-details.json"}) {
            const QString suffix = QString(f).startsWith('-') ? QString(f) : "." + QString(f);
            QCOMPARE(bytesOf(tmp_.filePath("two" + suffix)), bytesOf(tmp_.filePath("one" + suffix)));
        }
        QCOMPARE(two.out, one.out);
    }

    void sweepShardsMergeWithMergeResults() {
        const QStringList sweep = {"sweep", "--model", model_, "--tasks", "lambada_openai", "--data-dir", samples_,
                                   "--keep-ratios", "0.7", "--limit", "6", "--batch-size", "1"};
        QVERIFY(cli(sweep + QStringList{"--out-csv", tmp_.filePath("w.csv")}).code == 0);
        QStringList merge = {"merge-results"};
        for (int i = 0; i < 2; ++i) {
            const QString out = tmp_.filePath(QString("sd%1.json").arg(i));
            Run r = cli(sweep + QStringList{"--shard", QString("%1/2").arg(i), "--details", out});
            QVERIFY2(r.code == 0, qPrintable(r.err));
            merge << out;
        }
        Run m = cli(merge + QStringList{"--out-csv", tmp_.filePath("m.csv")});
        QVERIFY2(m.code == 0, qPrintable(m.err));
        QCOMPARE(bytesOf(tmp_.filePath("m.csv")), bytesOf(tmp_.filePath("w.csv")));
        QVERIFY(m.out.contains("lambada_openai  perplexity"));
        // A shard of a sweep alone is not a mergeable grid.
        Run r = cli(sweep + QStringList{"--shard", "0/2"});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains("--shard without --details"));
        // Eval results and sweep details do not mix.
        r = cli({"merge-results", merge[1], tmp_.filePath("whole.json")});
        QCOMPARE(r.code, 1);
    }

    void slurmDryRunWritesTheScriptOnly() {
        const QString dir = tmp_.filePath("slurm-run");
        Run r = cli({"eval", "--model", model_, "--task", "piqa", "--data", samples_, "--preset", "depth", "--keep-ratio",
                     "0.8", "--json", "merged.json", "--slurm", "--shards", "6", "--slurm-dir", dir, "--slurm-dry-run",
                     "--slurm-partition", "gpu", "--slurm-time", "1:30:00", "--sbatch-options", "--account=abc --qos=low",
                     "--device", "cuda"},
                    tmp_.path());
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QString script = dir + "/ssmlens-eval-piqa.sbatch";
        QVERIFY(r.out.contains("submit it: sbatch " + script));
        const QString text = QString::fromUtf8(bytesOf(script));
        for (const QString& line : {QString("#SBATCH --array=0-5"), QString("#SBATCH --partition=gpu"),
                                    QString("#SBATCH --gres=gpu:1"), QString("#SBATCH --time=1:30:00"),
                                    QString("#SBATCH --account=abc"), QString("#SBATCH --qos=low"),
                                    "#SBATCH --chdir=" + tmp_.path(), QString("--keep-ratio 0.8"), QString("--device cuda"),
                                    QString("--shard \"$SLURM_ARRAY_TASK_ID\"/6")})
            QVERIFY2(text.contains(line), qPrintable(line));
        // The merged run's output and the dispatch options are not the workers'.
        const QString command = text.mid(text.indexOf("\n" SSMLENS_BIN_DIR "/ssmlens-cli eval"));
        QVERIFY(command.contains("--device cuda"));
        for (const char* absent : {"merged.json", "--slurm", "--shards", "--sbatch-options"})
            QVERIFY2(!command.contains(absent), absent);
        QVERIFY(text.contains("merge-results " + dir + "/ssmlens-eval-piqa.shard-*.json"));
        // Nothing else was written: no shard files, no lock.
        QCOMPARE(QDir(dir).entryList(QDir::Files), QStringList{"ssmlens-eval-piqa.sbatch"});
    }

    void shardDispatchMistakesAreReported() {
        const QStringList eval = {"eval", "--model", model_, "--task", "piqa", "--data", samples_};
        struct Case {
            QStringList extra;
            QString error;
        };
        const std::vector<Case> cases = {
            {{"--slurm"}, "--slurm needs --shards N"},
            {{"--slurm", "--shards", "0"}, "--shards expects a whole number from 1 to 100000, got \"0\""},
            {{"--devices", "cpu", "--slurm", "--shards", "2"}, "give --slurm or --devices, not both"},
            {{"--devices", "cpu", "--device", "cpu"}, "give --device or --devices, not both"},
            {{"--devices", "gpu0"}, "--devices: \"gpu0\" is not cpu, cuda or cuda:N"},
            {{"--devices", "cpu", "--shard", "0/2"}, "--shard is chosen for each worker"},
            {{"--devices", "cpu", "--slurm-partition", "gpu"}, "--slurm-partition needs --slurm"},
            {{"--shards", "2"}, "need --slurm (or --devices)"},
            {{"--slurm", "--shards", "2", "--slurm-dry-run", "--slurm-time", "soon"}, "--slurm-time \"soon\""},
            {{"--slurm", "--shards", "2", "--slurm-dry-run", "--sbatch-options", "--array=0-9"}, "is set by ssmlens-cli"},
            {{"--slurm", "--shards", "2", "--slurm-dry-run", "--keep-ratio", "7"}, "keep"},
        };
        for (const Case& c : cases) {
            Run r = cli(eval + c.extra, tmp_.path());
            QVERIFY2(r.code == 1, qPrintable(c.extra.join(' ') + ": exit " + QString::number(r.code)));
            QVERIFY2(r.err.contains(c.error), qPrintable(c.extra.join(' ') + ": " + r.err));
        }
        // A model folder that is not there is reported before any worker starts.
        Run r = cli({"eval", "--model", tmp_.filePath("no-such-model"), "--task", "piqa", "--data", samples_,
                     "--devices", "cpu"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("no-such-model"), qPrintable(r.err));
    }

    // Both scoring modes and every method in one sweep, the Markdown table of docs/findings.md; eval
    // --scoring paper records the mode and says what it read; a bad mode is named.
    void sweepInBothScoringModesWritesTheTable() {
        const QString md = tmp_.filePath("findings.md"), csv = tmp_.filePath("modes.csv");
        Run r = cli({"sweep", "--model", model_, "--tasks", "piqa", "--data-dir", samples_, "--keep-ratios", "1,0.7",
                     "--methods", "all", "--scoring", "correct,paper", "--limit", "4", "--out-md", md, "--out-csv", csv});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile f(md);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString table = QString::fromUtf8(f.readAll());
        QVERIFY2(table.contains("| acc | acc (paper) | acc_norm | acc_norm (paper) | unscorable | misread (paper) |"),
                 qPrintable(table));
        for (const std::string& m : methodNames())
            QVERIFY2(table.contains(QString("| %1 | 0.7 |").arg(QString::fromStdString(m))), m.c_str());
        QFile c(csv);
        QVERIFY(c.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(c.readAll()).trimmed().split('\n');
        QCOMPARE(lines.size(), 1 + int(methodNames().size()) * 2 * 2 * 2);  // methods x ratios x modes x 2 metrics
        QVERIFY(r.out.contains("paper"));
        // The details keep the mode of every point, and merge-results rebuilds the same table from them.
        const QString details = tmp_.filePath("modes-details.json"), md2 = tmp_.filePath("findings2.md");
        r = cli({"sweep", "--model", model_, "--tasks", "piqa", "--data-dir", samples_, "--keep-ratios", "0.7",
                 "--methods", "positional,utr", "--scoring", "correct,paper", "--limit", "4", "--details", details,
                 "--out-md", md});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const nlohmann::json d = readJson(details);
        QCOMPARE(d["scorings"], nlohmann::json({"correct", "paper"}));
        QCOMPARE(d["tasks"][0]["points"].size(), size_t(4));
        QCOMPARE(d["tasks"][0]["points"][1]["scoring"].get<std::string>(), std::string("paper"));
        r = cli({"merge-results", details, "--out-md", md2});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(bytesOf(md2), bytesOf(md));
        // Paper scoring depends on the batches of the whole run: shards are refused, not silently different.
        r = cli({"sweep", "--model", model_, "--tasks", "piqa", "--data-dir", samples_, "--keep-ratios", "0.7",
                 "--scoring", "paper", "--shard", "0/2", "--details", details});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("--scoring paper runs in one process"), qPrintable(r.err));
        r = cli({"eval", "--model", model_, "--task", "piqa", "--data", samples_, "--keep-ratio", "0.6", "--scoring",
                 "paper", "--devices", "cpu,cpu"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("--scoring paper runs in one process"), qPrintable(r.err));

        const QString json = tmp_.filePath("paper.json");
        r = cli({"eval", "--model", model_, "--task", "lambada_openai", "--data", samples_, "--method", "utr-reference",
                 "--keep-ratio", "0.6", "--scoring", "paper", "--json", json});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("scored as the paper's evaluation read it (batch size 96)"), qPrintable(r.out));
        const nlohmann::json j = readJson(json);
        QCOMPARE(j["scoring"].get<std::string>(), std::string("paper"));
        QCOMPARE(j["batch_size"].get<int64_t>(), int64_t(96));
        QVERIFY(j["summary"].contains("misread_requests"));
        r = cli({"eval", "--model", model_, "--task", "piqa", "--data", samples_, "--keep-ratio", "0.6", "--scoring", "lm-eval"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("--scoring expects one or more of correct, paper, got \"lm-eval\""), qPrintable(r.err));
        // The help lists every method with what it is.
        r = cli({"eval", "--help"});
        QVERIFY(r.out.contains("positional") && r.out.contains("as released") && r.out.contains("as described in the paper"));
    }

    void badInputIsReportedNotCrashed() {
        const std::string bad = tmp_.filePath("bad/valid.jsonl").toStdString();
        QDir().mkpath(tmp_.filePath("bad"));
        std::ofstream(bad) << "{\"goal\": \"a\", \"sol1\": \"b\", \"sol2\": \"c\"}\n{\"goal\": \"a\"\n";
        std::ofstream(tmp_.filePath("bad/valid-labels.lst").toStdString()) << "0\n1\n";
        Run r = cli({"eval", "--model", model_, "--task", "piqa", "--data", tmp_.filePath("bad")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("valid.jsonl:2: not valid JSON"), qPrintable(r.err));
        r = cli({"eval", "--model", model_, "--task", "squad", "--data", samples_});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains("unknown task \"squad\""));
        r = cli({"eval", "--model", model_, "--task", "piqa", "--data", samples_, "--shard", "2/2"});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains("--shard \"2/2\""));
    }
};

QTEST_APPLESS_MAIN(TestEvalCli)
#include "test_eval_cli.moc"
