// ssmlens-cli eval / sweep / merge-results end to end on a tiny checkpoint and tokenizer the test writes:
// the table, the JSON details, shards merged into the unsharded result, the sweep's CSV, and a bad file
// reported with its name and line (exit code 1, no crash).
#include <QtTest/QtTest>

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/model/Checkpoint.h"
#include "test_eval_support.h"

using namespace ssmlens;

namespace {

struct Run {
    int code = -1;
    QString out, err;
};

Run cli(const QStringList& args) {
    QProcess p;
    p.start(QString(SSMLENS_BIN_DIR) + "/ssmlens-cli", args);
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::CrashExit ? -1 : p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

nlohmann::json readJson(const QString& path) {
    std::ifstream in(path.toStdString());
    return nlohmann::json::parse(in);
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
