// ssmlens-cli tune end to end on a tiny checkpoint and tokenizer the test writes: the schedule within the
// budget, the report (candidates, front, held-out comparison, reference export), the CSV; the same seed gives
// the same candidates; a stopped search resumed gives what the uninterrupted one gives; bad input is a
// message naming the problem (exit code 1, no crash).
#include <QtTest/QtTest>

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/model/Checkpoint.h"
#include "core/reduction/ReductionSchedule.h"
#include "core/tune/TuneRoundFile.h"
#include "test_eval_support.h"

using namespace ssmlens;

namespace {

struct Run {
    int code = -1;
    QString out, err;
};

Run cli(const QStringList& args, const QString& tmpDir = {}) {
    QProcess p;
    if (!tmpDir.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("TMPDIR", tmpDir);
        p.setProcessEnvironment(env);
    }
    p.start(QString(SSMLENS_BIN_DIR) + "/ssmlens-cli", args);
    p.waitForFinished(300000);
    return {p.exitStatus() == QProcess::CrashExit ? -1 : p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

nlohmann::json readJson(const QString& path) {
    std::ifstream in(path.toStdString());
    return nlohmann::json::parse(in);
}

// The CSV without its timing column (seconds), which differs from run to run.
QStringList rowsWithoutTimes(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    QStringList rows;
    for (const QString& line : QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts)) {
        QStringList cells = line.split(',');
        if (cells.size() > 15) cells.removeAt(15);  // seconds
        rows << cells.join(',');
    }
    return rows;
}

}  // namespace

class TestTuneCli : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString model_, data_;

    QStringList tune(const QString& out, const QStringList& more) const {
        return QStringList{"tune", "--model", model_, "--calibration", data_, "--target-flops-reduction", "20",
                           "--out", tmp_.filePath(out), "--batch-size", "4"} + more;
    }

private slots:
    void initTestCase() {
        model_ = tmp_.filePath("model");
        Mamba2Config c = testing::evalConfig();
        c.nLayer = 6;
        saveCheckpoint(model_.toStdString(), c, randomMamba2Weights(c, 9), SaveFormat::HuggingFaceSafetensors);
        std::ofstream(model_.toStdString() + "/tokenizer.json") << testing::tinyEvalTokenizerJson();
        std::string text;
        for (int i = 0; i < 10; ++i)
            text += "note " + std::to_string(i) + ": the water ran past the mill at the end of the town, and the cat sat "
                    "in the sun on the stones that were warm\n";
        const std::string file = testing::writeText(tmp_, "notes.txt", text);
        data_ = QString::fromStdString("text:" + file + ",lambada_openai:" SSMLENS_SOURCE_DIR "/resources/eval-samples/lambada_openai");
    }

    void findsAScheduleWithinTheBudget() {
        Run r = cli(tune("a.json", {"--max-evals", "14", "--seed", "3"}));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const ReductionSchedule s = ReductionSchedule::load(tmp_.filePath("a.json").toStdString());
        QVERIFY(!s.anchors.empty());
        const nlohmann::json report = readJson(tmp_.filePath("a.tune.json"));
        QCOMPARE(report["candidates"].size(), size_t(14));
        const int64_t best = report["best"].get<int64_t>();
        const nlohmann::json& b = report["candidates"][best];
        QVERIFY(b["flops_reduction_pct"].get<double>() >= 20.0);
        QVERIFY(ReductionSchedule::fromJson(b["schedule"], "report") == s);
        for (const auto& c : report["candidates"])
            if (c["origin"] != "ladder") QVERIFY(c["flops_reduction_pct"].get<double>() >= 20.0);
        QVERIFY(!report["pareto_front"].empty());
        QVERIFY(report.contains("reference_export"));
        // Held out: the lambada sample's odd items scored as eval scores them, the text's odd paragraphs.
        QVERIFY(report.contains("heldout"));
        QString sources;
        for (const auto& row : report["heldout"]["rows"]) sources += QString::fromStdString(row["source"].get<std::string>()) + " ";
        QVERIFY2(sources.contains("lambada_openai (6)") && sources.contains("notes.txt"), qPrintable(sources));
        QCOMPARE(rowsWithoutTimes(tmp_.filePath("a.candidates.csv")).size(), 15);
        QVERIFY(r.out.contains("Best schedule") && r.out.contains("Pareto front") && r.out.contains("Held-out comparison") &&
                r.out.contains("Reference code"));
        QVERIFY(r.err.contains("dense pass") && r.err.contains("#13"));  // progress on stderr
    }

    void sameSeedSameCandidates() {
        QVERIFY(cli(tune("b.json", {"--max-evals", "14", "--seed", "3", "--no-heldout"})).code == 0);
        QCOMPARE(rowsWithoutTimes(tmp_.filePath("b.candidates.csv")), rowsWithoutTimes(tmp_.filePath("a.candidates.csv")));
        // Past the start (the paper's preset, the option probes, two structured shapes) the seed decides.
        QVERIFY(cli(tune("c.json", {"--max-evals", "30", "--seed", "3", "--no-heldout"})).code == 0);
        QVERIFY(cli(tune("c2.json", {"--max-evals", "30", "--seed", "3", "--no-heldout"})).code == 0);
        QCOMPARE(rowsWithoutTimes(tmp_.filePath("c2.candidates.csv")), rowsWithoutTimes(tmp_.filePath("c.candidates.csv")));
        QVERIFY(cli(tune("c3.json", {"--max-evals", "30", "--seed", "4", "--no-heldout"})).code == 0);
        QVERIFY(rowsWithoutTimes(tmp_.filePath("c3.candidates.csv")) != rowsWithoutTimes(tmp_.filePath("c.candidates.csv")));
    }

    void resumeGivesTheUninterruptedSearch() {
        const QString state = tmp_.filePath("resume-state.json");
        Run first = cli(tune("d.json", {"--max-evals", "5", "--seed", "3", "--no-heldout", "--state", state}));
        QVERIFY2(first.code == 0, qPrintable(first.err));
        Run second = cli(tune("d.json", {"--max-evals", "14", "--seed", "3", "--no-heldout", "--state", state, "--resume"}));
        QVERIFY2(second.code == 0, qPrintable(second.err));
        QVERIFY(second.err.contains("resuming") && second.err.contains("(recorded)"));
        QCOMPARE(rowsWithoutTimes(tmp_.filePath("d.candidates.csv")), rowsWithoutTimes(tmp_.filePath("a.candidates.csv")));
        // Another seed is another search: refused, naming what differs.
        Run other = cli(tune("d.json", {"--max-evals", "20", "--seed", "5", "--state", state, "--resume"}));
        QCOMPARE(other.code, 1);
        QVERIFY2(other.err.contains("not the same search") && other.err.contains("seed"), qPrintable(other.err));
    }

    void devicesGiveTheInProcessSearch() {
        // The same search in one process, with the workers' thread count: equal to the last bit needs the same
        // summation order, and a CPU kernel may split a sum by thread count (OpenBLAS's oldest kernels do: under
        // tools/test_cpu_variants.sh a 2-thread run and 1-thread workers differed in the 8th digit of an objective).
        const QStringList search = {"--max-evals", "14", "--seed", "3", "--no-heldout", "--threads", "1"};
        Run inProcess = cli(tune("a1.json", search));
        QVERIFY2(inProcess.code == 0, qPrintable(inProcess.err));
        QDir().mkpath(tmp_.filePath("workers-tmp"));
        Run r = cli(tune("w.json", search + QStringList{"--devices", "cpu,cpu"}), tmp_.filePath("workers-tmp"));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("evaluations: 2 worker processes (cpu, cpu)") && r.err.contains("tune round 1: shard 1/2 done on cpu"),
                 qPrintable(r.err));
        // Every candidate with the same objective, checkpoints, FLOPs, in the same order: the same search.
        QCOMPARE(rowsWithoutTimes(tmp_.filePath("w.candidates.csv")), rowsWithoutTimes(tmp_.filePath("a1.candidates.csv")));
        QVERIFY(ReductionSchedule::load(tmp_.filePath("w.json").toStdString()) ==
                ReductionSchedule::load(tmp_.filePath("a1.json").toStdString()));
        const nlohmann::json report = readJson(tmp_.filePath("w.tune.json")), one = readJson(tmp_.filePath("a1.tune.json"));
        QCOMPARE(report["dense_nll"].get<double>(), one["dense_nll"].get<double>());
        QVERIFY(QString::fromStdString(report["evaluator"].get<std::string>()).startsWith("2 worker processes (cpu, cpu); each: cpu"));
        // The workers' files went to a temporary folder, removed after the run.
        QCOMPARE(QDir(tmp_.filePath("workers-tmp")).entryList(QDir::NoDotAndDotDot | QDir::AllEntries), QStringList());
        // Racing bounds travel to the workers: some candidates were stopped early there too.
        QVERIFY(r.err.contains("stopped early"));
    }

    void terminatingStopsTheWorkersAndKeepsTheBestSoFar() {
        // TERM (as Ctrl-C) while a round's workers run: they are stopped, the search ends with what it has.
        QDir().mkpath(tmp_.filePath("stop-tmp"));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("TMPDIR", tmp_.filePath("stop-tmp"));
        p.setProcessEnvironment(env);
        p.start(QString(SSMLENS_BIN_DIR) + "/ssmlens-cli",
                tune("s.json", {"--max-evals", "400", "--seed", "3", "--no-heldout", "--devices", "cpu,cpu"}));
        QVERIFY(p.waitForStarted());
        QString err;
        QElapsedTimer clock;
        clock.start();
        while (!err.contains("tune round 2: shard 0/2 started") && clock.elapsed() < 120000 && p.state() == QProcess::Running) {
            p.waitForReadyRead(100);
            err += QString::fromUtf8(p.readAllStandardError());
        }
        QVERIFY2(err.contains("tune round 2: shard 0/2 started"), qPrintable(err));
        p.terminate();
        QVERIFY(p.waitForFinished(60000));
        err += QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 0 && err.contains("stopped: stopped after"), qPrintable(err));
        const nlohmann::json report = readJson(tmp_.filePath("s.tune.json"));
        QVERIFY(report["candidates"].size() < 400);
        QVERIFY(QFile::exists(tmp_.filePath("s.json")));
        QCOMPARE(QDir(tmp_.filePath("stop-tmp")).entryList(QDir::NoDotAndDotDot | QDir::AllEntries), QStringList());
    }

    void workerInputIsChecked() {
        // The worker refuses a round made for other calibration data, naming the round file.
        const QString round = tmp_.filePath("other.round.json");
        {
            TuneRound other;
            other.calibrationFingerprint = "ffff";
            other.schedules.resize(1);
            other.schedules[0].anchors = {{2, 0.8}};
            std::ofstream(round.toStdString()) << other.toJson().dump();
        }
        Run r = cli({"tune-round", "--model", model_, "--calibration", data_, "--target-flops-reduction", "20", "--round", round,
                     "--result", tmp_.filePath("other.result.json")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(round) && r.err.contains("fingerprint ffff"), qPrintable(r.err));
        QVERIFY(!QFile::exists(tmp_.filePath("other.result.json")));
        r = cli({"tune-round", "--model", model_, "--calibration", data_, "--target-flops-reduction", "20", "--round",
                 tmp_.filePath("missing.round.json"), "--result", tmp_.filePath("other.result.json")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("missing.round.json: no such file"), qPrintable(r.err));
        // Dispatch options that cannot go together, refused before anything runs.
        const QList<QPair<QStringList, QString>> bad = {
            {{"--devices", "cpu", "--device", "cpu"}, "give --device or --devices, not both"},
            {{"--devices", "cpu", "--slurm-partition", "gpu"}, "--slurm-partition needs --slurm"},
            {{"--slurm", "--slurm-dry-run"}, "one job array per round"},
            {{"--devices", "cpu", "--slurm"}, "give --slurm or --devices, not both"}};
        for (const auto& [more, message] : bad) {
            Run b = cli(tune("g.json", QStringList{"--max-evals", "3"} + more));
            QCOMPARE(b.code, 1);
            QVERIFY2(b.err.contains(message) && !b.err.contains("dense pass"), qPrintable(b.err));
        }
    }

    void oneRatioForTheReferenceCode() {
        // Into a folder that does not exist yet: made before the search.
        Run r = cli(tune("new/folder/e.json", {"--max-evals", "10", "--uniform-ratio", "--fixed-options", "--no-heldout"}));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const ReductionSchedule s = ReductionSchedule::load(tmp_.filePath("new/folder/e.json").toStdString());
        for (const auto& a : s.anchors) QCOMPARE(a.keepRatio, s.anchors.front().keepRatio);
        const nlohmann::json report = readJson(tmp_.filePath("new/folder/e.tune.json"));
        QVERIFY(report["reference_export"]["expressible"].get<bool>());
        QVERIFY(QString::fromStdString(report["reference_export"]["model_args"].get<std::string>()).contains("reduce_anchor="));
        QVERIFY(r.out.contains("python src/mamba_eval.py --model mamba --model_args"));
    }

    void badInputIsAMessage() {
        Run r = cli(tune("f.json", {"--max-evals", "3"}).replaceInStrings("--target-flops-reduction", "--x"));
        QCOMPARE(r.code, 1);
        r = cli({"tune", "--model", model_, "--calibration", data_, "--target-flops-reduction", "99", "--out",
                 tmp_.filePath("f.json")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("out of reach"), qPrintable(r.err));
        r = cli({"tune", "--model", model_, "--calibration", "text:" + tmp_.filePath("missing.txt"),
                 "--target-flops-reduction", "20", "--out", tmp_.filePath("f.json")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("missing.txt"), qPrintable(r.err));
        r = cli({"tune", "--model", model_, "--target-flops-reduction", "20", "--out", tmp_.filePath("f.json")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("--calibration"), qPrintable(r.err));
        r = cli({"tune", "--model", model_, "--calibration", data_, "--out", tmp_.filePath("f.json")});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains("target-flops-reduction"));
        // An output folder that cannot be made (a file stands in its place): refused before the search.
        r = cli(tune("notes.txt/f.json", {"--max-evals", "3"}));
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("cannot make the folder") && !r.err.contains("dense pass"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestTuneCli)
#include "test_tune_cli.moc"
