// ssmlens-cli end to end: each command on a tiny checkpoint the test writes, the .npy output against the
// in-process model, the machine-readable outputs against their documentation (docs/cli-output.md,
// docs/trace-format.md: every documented name is written, nothing undocumented is), and bad input: a message
// naming the file or argument, exit code non-zero, no crash.
#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>

#include "AtenOperators.h"
#include <nlohmann/json.hpp>

#include "core/io/NpyFile.h"
#include "core/model/Checkpoint.h"
#include "core/model/Mamba2Model.h"
#include "core/reduction/ReductionRun.h"
#include "core/text/Tokenizer.h"
#include "DocumentedNames.h"
#include "ModelTestSupport.h"
#include "NumericTolerance.h"
#include "test_eval_support.h"

using namespace ssmlens;
namespace fs = std::filesystem;

namespace {

struct Run {
    int code = -1;
    QString out, err;
    bool crashed = false;
};

std::set<std::string> keysOf(const nlohmann::json& j) {
    std::set<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it) keys.insert(it.key());
    return keys;
}

// "key<TAB>value" lines (perplexity, train) as a map.
std::map<std::string, std::string> keyValueLines(const QString& out) {
    std::map<std::string, std::string> values;
    for (const QString& line : out.split('\n', Qt::SkipEmptyParts)) {
        const qsizetype tab = line.indexOf('\t');
        if (tab > 0) values[line.left(tab).toStdString()] = line.mid(tab + 1).toStdString();
    }
    return values;
}

std::set<std::string> keysOf(const std::map<std::string, std::string>& m) {
    std::set<std::string> keys;
    for (const auto& kv : m) keys.insert(kv.first);
    return keys;
}

QString idList(const at::Tensor& ids) {
    QStringList list;
    for (int64_t i = 0; i < ids.numel(); ++i) list << QString::number(ids[i].item<int64_t>());
    return list.join(",");
}

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
        for (const char* c : {"info", "tokenize", "logits", "generate", "score", "bench", "random-model", "check-device"}) {
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

    void tokenizeJsonIsTheDocumentedFormat() {
        const QString tok = QString::fromStdString(testing::writeText(tmp_, "tok/tokenizer.json", testing::tinyEvalTokenizerJson()));
        const QString text = QString::fromUtf8("the café sat on the mat");  // é: 2 bytes, 1 code point
        Run r = cli({"tokenize", "--tokenizer", tok, "--text", text, "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QVERIFY(keysOf(j) == testing::documentedNames("cli-output.md", "tokenize", "key"));
        const Encoding ref = loadTokenizer(tok.toStdString())->encode(text.toStdString());
        QVERIFY(j["ids"].get<std::vector<int64_t>>() == ref.ids);
        QVERIFY(j["pieces"].get<std::vector<std::string>>() == ref.pieces);
        // Offsets in code points: in order, the last ending at 23 (the text's code points; it has 24 bytes), and
        // each token's span is its text (the leading space of a word trimmed, as HF's trim_offsets does).
        int64_t previousStart = 0, end = 0;
        for (size_t i = 0; i < ref.ids.size(); ++i) {
            const int64_t start = j["offsets"][i][0].get<int64_t>();
            end = j["offsets"][i][1].get<int64_t>();
            QVERIFY(start >= previousStart && end >= start);
            previousStart = start;
            const bool byte = ref.pieces[i].rfind("<0x", 0) == 0;  // part of "é": <0xC3>, <0xA9>, spanning it
            if (byte) QCOMPARE(text.mid(start, end - start), QString::fromUtf8("é"));
            else QCOMPARE(text.mid(start, end - start), QString::fromStdString(ref.pieces[i]).trimmed());
        }
        QCOMPARE(end, int64_t(23));
        Run plain = cli({"tokenize", "--tokenizer", tok, "--text", text});
        QVERIFY(plain.out.endsWith(QString("%1 tokens\n").arg(ref.ids.size())));
        QCOMPARE(plain.out.count('\n'), qsizetype(ref.ids.size() + 1));
    }

    void scheduleWritesTheDocumentedSchedule() {
        const QString out = tmp_.filePath("evit.json");
        Run r = cli({"schedule", "--layers", "24", "--preset", "depth", "--keep-ratio", "0.8", "--method", "evit",
                     "--length", "1000", "--out", out});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        std::ifstream in(out.toStdString());
        const auto j = nlohmann::json::parse(in);
        QVERIFY(keysOf(j) == testing::documentedNames("cli-output.md", "schedule", "key"));
        QCOMPARE(j["format"].get<std::string>(), std::string("ssmlens-reduction-schedule"));
        QCOMPARE(j["method"].get<std::string>(), std::string("evit"));
        // Worked out by hand: the depth preset on 24 layers puts anchors at round(4.5 + 11.25 i / 6), i = 0..6,
        // that is 5, 6, 8, 10, 12, 14, 16; EViT keeps ceil(0.8 n): 1000 800 640 512 410 328 263 211.
        std::vector<int64_t> layers;
        for (const auto& a : j["anchors"]) {
            layers.push_back(a["layer"].get<int64_t>());
            QCOMPARE(a["keep_ratio"].get<double>(), 0.8);
        }
        QVERIFY(layers == (std::vector<int64_t>{5, 6, 8, 10, 12, 14, 16}));
        QVERIFY2(r.out.contains("tokens entering each layer (L = 1000): 1000 1000 1000 1000 1000 1000 800 640 640 512 "
                                "512 410 410 328 328 263 263 211 211 211 211 211 211 211\n"),
                 qPrintable(r.out));
        // Mean of the counts over 24 layers: 12583 / 24000, so 47.6% fewer tokens.
        QVERIFY2(r.out.contains("token reduction 47.6%"), qPrintable(r.out));
        // The printed schedule is the file's.
        QVERIFY(r.out.startsWith(QString::fromStdString(j.dump(2))));
    }

    void reduceWritesTheDocumentedTraceAndLogits() {
        const at::Tensor ids = testing::randomIds(1, 23, config_.vocabSize, 4)[0];
        const QString trace = tmp_.filePath("t.json"), logits = tmp_.filePath("reduced.npy");
        Run r = cli({"reduce", "--model", hf_, "--ids", idList(ids), "--keep-ratio", "0.7", "--trace", trace, "--out", logits});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        std::ifstream in(trace.toStdString());
        const auto j = nlohmann::json::parse(in);
        // Every documented key (prompt_pieces only with a tokenizer, which this model has not).
        // (The --attention fields only with --attention: the test of that option checks them.)
        const testing::TraceFormatNames doc = testing::traceFormatNames();
        std::set<std::string> documented = doc.top;
        QVERIFY(documented.count("prompt_ids") && documented.count("prompt_pieces") && documented.count("schedule"));
        documented.erase("prompt_pieces");
        for (const std::string& k : doc.optionalTop) documented.erase(k);
        QVERIFY(keysOf(j) == documented);
        QVERIFY(j["prompt_ids"].get<std::vector<int64_t>>() ==
                std::vector<int64_t>(ids.data_ptr<int64_t>(), ids.data_ptr<int64_t>() + 23));
        const ReductionSchedule schedule = depthScaledSchedule(config_.nLayer, 0.7);
        QVERIFY(ReductionSchedule::fromJson(j["schedule"], "trace") == schedule);
        // The logits of the survivors, row i for survivor_positions[i], as the library computes them.
        const auto survivors = j["survivor_positions"].get<std::vector<int64_t>>();
        const at::Tensor got = readNpy(logits.toStdString());
        QCOMPARE(got.sizes().vec(), (std::vector<int64_t>{int64_t(survivors.size()), config_.vocabSize}));
        const ReductionRunResult ref = runReduction(Mamba2Model(config_, weights_),
                                                    std::vector<int64_t>(ids.data_ptr<int64_t>(), ids.data_ptr<int64_t>() + 23),
                                                    schedule, nullptr);
        QVERIFY(ref.trace.survivorPositions == survivors);
        QVERIFY(testing::relativeError(got, ref.reducedLogits) <= testing::kReorderedFp32Relative);
        // The printed summary: the header, and one row per anchor with the trace's counts.
        QVERIFY2(r.out.startsWith(QString("method utr, %1 anchors, prompt 23 tokens -> %2 after the last anchor\n")
                                      .arg(schedule.anchors.size())
                                      .arg(survivors.size())),
                 qPrintable(r.out));
        // utr chooses by content: the choices column says so at every anchor.
        for (const auto& layer : j["layers"]) {
            if (!layer["anchor"].get<bool>()) continue;
            QVERIFY(!layer["content_independent"].get<bool>());
            const QString row = QString::asprintf("%6lld %8.3f %10lld %10lld  by content\n", layer["layer"].get<long long>(),
                                                  layer["keep_ratio"].get<double>(), layer["tokens_in"].get<long long>(),
                                                  layer["tokens_out"].get<long long>());
            QVERIFY2(r.out.contains(row), qPrintable(row));
        }
        QVERIFY(r.out.contains(QString::asprintf("KL(dense || reduced) at the last position: %.6f", j["kl_divergence"].get<double>())));
        // The positional baseline chooses by position alone: the trace and the table say so at every anchor.
        const QString positional = tmp_.filePath("positional.json");
        r = cli({"reduce", "--model", hf_, "--ids", idList(ids), "--keep-ratio", "0.7", "--method", "positional",
                 "--trace", positional});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        std::ifstream pin(positional.toStdString());
        const auto p = nlohmann::json::parse(pin);
        int anchors = 0;
        for (const auto& layer : p["layers"]) {
            if (!layer["anchor"].get<bool>()) continue;
            ++anchors;
            QVERIFY(layer["content_independent"].get<bool>());
        }
        QVERIFY(anchors > 0);
        QCOMPARE(int(r.out.count("by position alone (content ignored)\n")), anchors);
        QVERIFY(!r.out.contains("by content"));
    }

    void perplexityIsTheMeanLossOfTheWindows() {
        const at::Tensor stream = testing::randomIds(1, 30, config_.vocabSize, 6)[0];
        const QString data = tmp_.filePath("stream.npy");
        writeNpy(data.toStdString(), stream);
        Run r = cli({"perplexity", "--model", hf_, "--data", data, "--seq-len", "8", "--windows", "3", "--batch", "2"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto values = keyValueLines(r.out);
        QVERIFY(keysOf(values) == testing::documentedNames("cli-output.md", "perplexity", "key"));
        QCOMPARE(values.at("windows"), std::string("3"));
        QCOMPARE(values.at("tokens_predicted"), std::string("24"));
        // By hand: window w reads ids[8w .. 8w + 7] and predicts ids[8w + 1 .. 8w + 8]; the mean over the 24.
        Mamba2Model m(config_, weights_);
        double nats = 0;
        for (int64_t w = 0; w < 3; ++w) {
            const at::Tensor logp = at::log_softmax(m.forward(stream.narrow(0, 8 * w, 8).view({1, 8})).logits[0], -1);
            for (int64_t t = 0; t < 8; ++t) nats -= logp[t][stream[8 * w + t + 1].item<int64_t>()].item<double>();
        }
        const double loss = std::stod(values.at("mean_loss_nats"));
        QVERIFY2(testing::nearlyEqual(loss, nats / 24, 1e-5, 1e-6), values.at("mean_loss_nats").c_str());
        QVERIFY(testing::nearlyEqual(std::stod(values.at("perplexity")), std::exp(loss), 1e-4));
    }

    void trainWritesTheDocumentedRunAndResumes() {
        const QString run = tmp_.filePath("run"), train = tmp_.filePath("train.npy"), heldout = tmp_.filePath("heldout.npy");
        writeNpy(train.toStdString(), testing::randomIds(1, 200, 37, 7)[0]);
        writeNpy(heldout.toStdString(), testing::randomIds(1, 40, 37, 8)[0]);
        const QString tok = QString::fromStdString(testing::writeText(tmp_, "train/tokenizer.json", "{}"));
        const QStringList common = {"train", "--train", train, "--heldout", heldout, "--tokenizer", tok, "--vocab", "37",
                                    "--eos", "0", "--d-model", "16", "--layers", "2", "--d-state", "16", "--headdim",
                                    "8", "--chunk-size", "8", "--batch", "2", "--seq-len", "8", "--warmup", "1",
                                    "--eval-every", "2", "--eval-windows", "2", "--export-dtype", "fp32", "--out", run};
        Run r = cli(common + QStringList{"--steps", "3"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        auto values = keyValueLines(r.out);
        QVERIFY(keysOf(values) == testing::documentedNames("cli-output.md", "train", "key"));
        QCOMPARE(values.at("steps"), std::string("3"));
        QCOMPARE(values.at("tokens"), std::string("48"));  // 3 updates x 2 sequences x 8 tokens
        QCOMPARE(values.at("resumed"), std::string("no"));
        QCOMPARE(values.at("finished"), std::string("yes"));
        QCOMPARE(values.at("model"), (run + "/model").toStdString());
        for (const char* f : {"/model/config.json", "/model/model.safetensors", "/model/tokenizer.json"})
            QVERIFY2(QFile::exists(run + f), f);
        // The exported model's held-out loss is what `perplexity` finds for it over the same windows.
        Run ppl = cli({"perplexity", "--model", run + "/model", "--data", heldout, "--seq-len", "8", "--windows", "2"});
        QVERIFY2(ppl.code == 0, qPrintable(ppl.err));
        QVERIFY(testing::nearlyEqual(std::stod(keyValueLines(ppl.out).at("mean_loss_nats")),
                                     std::stod(values.at("heldout_loss")), 1e-4, 1e-6));
        // loss.csv: the documented columns; rows for update 1, 2 (evaluated) and 3 (the last, evaluated).
        QFile csv(run + "/loss.csv");
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList rows = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
        std::set<std::string> columns;
        for (const QString& c : rows[0].split(',')) columns.insert(c.toStdString());
        QVERIFY(columns == testing::documentedNames("cli-output.md", "train", "column"));
        QCOMPARE(rows.size(), qsizetype(4));
        QVERIFY(rows[1].startsWith("1,16,") && rows[1].contains(",,,"));  // no held-out figures at update 1
        QVERIFY(rows[3].startsWith("3,48,") && !rows[3].contains(",,"));
        // Run again with more updates: it resumes from the checkpoint.
        r = cli(common + QStringList{"--steps", "4"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        values = keyValueLines(r.out);
        QCOMPARE(values.at("resumed"), std::string("yes"));
        QCOMPARE(values.at("steps"), std::string("4"));
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
        // The CPU has the aten decode path only: one row, named, with the greedy loop timed too.
        QCOMPARE(j["decode"].size(), size_t(1));
        QCOMPARE(j["decode"][0]["path"].get<std::string>(), std::string("aten"));
        QVERIFY(j["decode"][0]["greedy_tokens_per_s"].get<double>() > 0);
        QVERIFY2(r.out.contains("| fp32 | 1 | aten | "), qPrintable(r.out));
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
        QTest::newRow("unknown decode path") << QStringList{"bench", "--decode-paths", "aten,graphs"}
                                             << "unknown decode path \"graphs\"";
        QTest::newRow("graph decode on the CPU")
            << QStringList{"bench", "--lengths", "8", "--batches", "1", "--dtypes", "fp32", "--decode-paths", "graph"}
            << "decode path graph is not available";
        QTest::newRow("generate on a path the CPU lacks")
            << QStringList{"generate", "--model", hf_, "--ids", "1,2", "--decode-path", "fused"}
            << "the fused decode path needs the model on a CUDA device";
        QTest::newRow("check-decode on the CPU") << QStringList{"check-decode", "--device", "cpu"}
                                                 << "the fused decode path is not available";
        QTest::newRow("check-prefill-graph on the CPU") << QStringList{"check-prefill-graph", "--device", "cpu"}
                                                        << "prefill graphs are not available on";
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
