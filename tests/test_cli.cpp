// ssmlens-cli end to end: each command on a tiny checkpoint the test writes, the .npy output against the
// in-process model, and bad input: a message naming the file or argument, exit code non-zero, no crash.
#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "core/io/NpyFile.h"
#include "core/model/Checkpoint.h"
#include "core/model/Mamba2Model.h"
#include "ModelTestSupport.h"
#include "NumericTolerance.h"

using namespace ssmlens;
namespace fs = std::filesystem;

namespace {

struct Run {
    int code = -1;
    QString out, err;
    bool crashed = false;
};

Run cli(const QStringList& args) {
    QProcess p;
    p.start(QString(SSMLENS_BIN_DIR) + "/ssmlens-cli", args);
    p.waitForFinished(120000);
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError()),
            p.exitStatus() == QProcess::CrashExit};
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    Mamba2Config config_ = testing::tinyConfig(2);
    Mamba2Weights weights_ = randomMamba2Weights(config_, 31);
    QString hf_, ss_;

private slots:
    void initTestCase() {
        hf_ = tmp_.filePath("hf");
        ss_ = tmp_.filePath("ss");
        saveCheckpoint(hf_.toStdString(), config_, weights_, SaveFormat::HuggingFaceSafetensors);
        saveCheckpoint(ss_.toStdString(), config_, weights_, SaveFormat::StateSpacesBin);
    }

    void helpAndUnknownCommand() {
        Run r = cli({"--help"});
        QCOMPARE(r.code, 0);
        for (const char* c : {"info", "tokenize", "logits", "generate", "score", "bench"}) QVERIFY(r.out.contains(c));
        for (const char* c : {"info", "tokenize", "logits", "generate", "score", "bench", "random-model"}) {
            Run h = cli({c, "--help"});
            QCOMPARE(h.code, 0);
            QVERIFY2(h.out.contains("usage: ssmlens-cli"), c);
        }
        Run bad = cli({"frobnicate"});
        QVERIFY(bad.code != 0);
        QVERIFY(bad.err.contains("unknown command"));
    }

    void infoReportsTheConfig() {
        Run r = cli({"info", "--model", ss_, "--json"});
        QCOMPARE(r.code, 0);
        auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["d_model"].get<int64_t>(), config_.dModel);
        QCOMPARE(j["n_layer"].get<int64_t>(), config_.nLayer);
        QCOMPARE(j["ngroups"].get<int64_t>(), int64_t(2));
        QCOMPARE(j["layout"].get<std::string>(), std::string("state-spaces"));
        QCOMPARE(j["parameters"].get<int64_t>(), config_.parameterCount());
    }

    void logitsMatchTheModelForBothLayouts() {
        at::Tensor ids = testing::randomIds(1, 11, config_.vocabSize, 2);
        at::Tensor ref = Mamba2Model(config_, weights_).forward(ids).logits[0];
        QStringList idList;
        for (int64_t i = 0; i < ids.size(1); ++i) idList << QString::number(ids[0][i].item<int64_t>());
        for (const QString& dir : {hf_, ss_}) {
            const QString out = tmp_.filePath("logits.npy");
            Run r = cli({"logits", "--model", dir, "--ids", idList.join(","), "--out", out});
            QVERIFY2(r.code == 0, qPrintable(r.err));
            at::Tensor got = readNpy(out.toStdString());
            QCOMPARE(got.sizes().vec(), (std::vector<int64_t>{11, config_.vocabSize}));
            QVERIFY(testing::relativeError(got, ref) < 1e-6);
        }
        // ids from an .npy file
        const QString idsFile = tmp_.filePath("ids.npy");
        writeNpy(idsFile.toStdString(), ids[0]);
        Run r = cli({"logits", "--model", hf_, "--ids", idsFile, "--out", tmp_.filePath("b.npy")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(testing::relativeError(readNpy(tmp_.filePath("b.npy").toStdString()), ref) < 1e-6);
    }

    void generateIsGreedyAndDeterministic() {
        Run a = cli({"generate", "--model", hf_, "--ids", "1,2,3", "--max-new-tokens", "6", "--greedy", "--json"});
        QVERIFY2(a.code == 0, qPrintable(a.err));
        auto j = nlohmann::json::parse(a.out.toStdString());
        auto ids = j["ids"].get<std::vector<int64_t>>();
        QCOMPARE(ids.size(), size_t(9));
        // The greedy continuation equals argmax of a full prefill at each step.
        Mamba2Model m(config_, weights_);
        for (size_t t = 3; t < ids.size(); ++t) {
            at::Tensor prefix = at::tensor(std::vector<int64_t>(ids.begin(), ids.begin() + t)).view({1, -1});
            // generate decodes step by step, the check prefills: a near-tie may round either way.
            QVERIFY(testing::decidedArgmax(m.forward(prefix).logits[0][t - 1], ids[t]) >= 0);
        }
        Run s1 = cli({"generate", "--model", hf_, "--ids", "1,2", "--max-new-tokens", "8", "--temperature", "1.5",
                      "--seed", "7", "--json"});
        Run s2 = cli({"generate", "--model", hf_, "--ids", "1,2", "--max-new-tokens", "8", "--temperature", "1.5",
                      "--seed", "7", "--json"});
        QCOMPARE(s1.code, 0);
        QCOMPARE(s1.out, s2.out);
    }

    void scorePrintsPerplexity() {
        Run r = cli({"score", "--model", hf_, "--ids", "4,5,6,7", "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["tokens"].size(), size_t(3));
        at::Tensor logp = at::log_softmax(
            Mamba2Model(config_, weights_).forward(at::tensor(std::vector<int64_t>{4, 5, 6, 7}).view({1, 4})).logits[0], -1);
        const double lp = logp[0][5].item<double>();
        QVERIFY(std::abs(j["tokens"][0]["logprob"].get<double>() - lp) < 1e-5);
        QVERIFY(j["perplexity"].get<double>() > 1.0);
    }

    void benchRunsOnTheCpu() {
        Run r = cli({"bench", "--size", "130m", "--lengths", "8", "--batches", "1", "--dtypes", "fp32", "--repeats",
                     "1", "--warmup", "0", "--decode-tokens", "2", "--json", tmp_.filePath("bench.json")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("| fp32 | 1 | 8 |"));
        std::ifstream in(tmp_.filePath("bench.json").toStdString());
        auto j = nlohmann::json::parse(in);
        QVERIFY(j["prefill"][0]["ms"].get<double>() > 0);
        QVERIFY(j["decode"][0]["tokens_per_s"].get<double>() > 0);
    }

    void benchReduceRunsOnTheCpu() {
        Run r = cli({"bench-reduce", "--size", "130m", "--lengths", "32", "--dtype", "fp32", "--repeats", "1",
                     "--threads", "1", "--products", "cublas"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        // The columns that tell a host-bound reduced pass apart, and the steps' share of a prefill.
        for (const char* column :
             {"| step host ms |", "| layers queued ms, dense / reduced |", "| steps / dense prefill |"})
            QVERIFY2(r.out.contains(column), column);
        QVERIFY2(r.out.contains("| 32 | "), qPrintable(r.out));  // the row of the one length asked for
        QVERIFY2(r.out.contains("best-match products: cublas"), qPrintable(r.out));  // a path asked for is named
    }

    void badInputIsAClearError_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        const QString missing = tmp_.filePath("no-such-model");
        QTest::newRow("missing model") << QStringList{"info", "--model", missing} << missing;
        QTest::newRow("id out of range") << QStringList{"logits", "--model", hf_, "--ids", "1,99999", "--out",
                                                        tmp_.filePath("x.npy")}
                                         << "out of range";
        QTest::newRow("id not a number") << QStringList{"logits", "--model", hf_, "--ids", "1,abc", "--out", "x.npy"}
                                         << "\"abc\" is not an integer";
        QTest::newRow("unknown option") << QStringList{"info", "--modle", hf_} << "unknown option --modle";
        QTest::newRow("missing value") << QStringList{"logits", "--model"} << "needs a value";
        QTest::newRow("missing --out") << QStringList{"logits", "--model", hf_, "--ids", "1"} << "missing --out";
        QTest::newRow("bad dtype") << QStringList{"info", "--model", hf_, "--dtype", "fp8"} << "unknown dtype";
        QTest::newRow("unknown size") << QStringList{"bench", "--size", "9b"} << "unknown model size";
        QTest::newRow("unknown products path") << QStringList{"bench-reduce", "--products", "gpu"}
                                               << "unknown best-match products path \"gpu\"";
    }
    void badInputIsAClearError() {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        Run r = cli(args);
        QVERIFY(!r.crashed);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
        QVERIFY2(r.err.count('\n') <= 2, "the error should be a message, not a backtrace");
    }

    void truncatedCheckpointNamesTheFile() {
        const QString dir = tmp_.filePath("trunc");
        saveCheckpoint(dir.toStdString(), config_, weights_, SaveFormat::HuggingFaceSafetensors);
        fs::resize_file((dir + "/model.safetensors").toStdString(), 1000);
        Run r = cli({"info", "--model", dir});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("model.safetensors") && r.err.contains("truncated"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
