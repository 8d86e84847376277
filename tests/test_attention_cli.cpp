// ssmlens-cli attention and activations end to end on a tiny checkpoint the test writes: the .npy files against
// the in-process engine (shapes, values, NaN where the reduced pass has no token), hook points by name, and bad
// input answered with a message that names the option, never a crash.
#include <QtTest/QtTest>

#include <cmath>
#include <fstream>

#include "AtenOperators.h"
#include <nlohmann/json.hpp>

#include "core/attention/AttentionRollout.h"
#include "core/attention/PassKernels.h"
#include "core/io/NpyFile.h"
#include "core/model/Checkpoint.h"
#include "core/reduction/ReductionRun.h"
#include "ModelTestSupport.h"
#include "NumericTolerance.h"

using namespace ssmlens;

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

at::Tensor npy(const QString& path) { return readNpy(path.toStdString()); }

}  // namespace

class TestAttentionCli : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    Mamba2Config config_ = [] {
        Mamba2Config c = testing::tinyConfig(2, 4);
        c.nLayer = 4;
        return c;
    }();
    Mamba2Weights weights_ = randomMamba2Weights(config_, 61);
    QString dir_;
    std::vector<int64_t> ids_ = {3, 14, 15, 9, 26, 5, 35, 8, 9, 7, 9, 32, 3, 8};
    QString idsText_;

    QString file(const char* name) const { return tmp_.filePath(name); }

private slots:
    void initTestCase() {
        dir_ = tmp_.filePath("model");
        saveCheckpoint(dir_.toStdString(), config_, weights_, SaveFormat::HuggingFaceSafetensors);
        QStringList list;
        for (int64_t id : ids_) list << QString::number(id);
        idsText_ = list.join(",");
    }

    void denseMatrixHeadsAndAggregates() {
        const int64_t T = static_cast<int64_t>(ids_.size());
        Mamba2Model model(config_, weights_);
        PassKernels k = recordDensePass(model, ids_);
        Run r = cli({"attention", "--model", dir_, "--ids", idsText_, "--layer", "2", "--out", file("all.npy")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        at::Tensor all = npy(file("all.npy"));
        QCOMPARE(all.scalar_type(), at::kFloat);
        QCOMPARE(all.sizes().vec(), (std::vector<int64_t>{config_.nHeads(), T, T}));
        QVERIFY(testing::relativeError(all, implicitAttention(k.layers[2])) < 1e-6);

        r = cli({"attention", "--model", dir_, "--ids", idsText_, "--layer", "2", "--head", "3", "--out", file("h.npy")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(npy(file("h.npy")).sizes().vec(), (std::vector<int64_t>{T, T}));
        QVERIFY(testing::relativeError(npy(file("h.npy")), all[3]) < 1e-6);

        r = cli({"attention", "--model", dir_, "--ids", idsText_, "--layer", "2", "--aggregate", "max",
                 "--normalize-rows", "--out", file("max.npy")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        at::Tensor normalized = all.abs() / all.abs().sum(-1, true);
        QVERIFY(testing::relativeError(npy(file("max.npy")), normalized.amax(0)) < 1e-6);
    }

    void reducedPassInPromptCoordinates() {
        const int64_t T = static_cast<int64_t>(ids_.size());
        Run r = cli({"attention", "--model", dir_, "--ids", idsText_, "--layer", "3", "--aggregate", "mean",
                     "--keep-ratio", "0.6", "--out", file("red.npy"), "--dense-out", file("dense.npy"), "--received",
                     file("recv.npy"), "--rollout", file("roll.npy")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("reduced pass"), qPrintable(r.out));
        // The same run in process.
        Mamba2Model model(config_, weights_);
        ReductionSchedule schedule = depthScaledSchedule(config_.nLayer, 0.6);
        ActivationRecorder rec(ssmKernelHookPoints(config_.nLayer), {false, true});
        ReductionRunOptions o;
        o.reducedProbe = &rec;
        ReductionRunResult run = runReduction(model, ids_, schedule, nullptr, o);
        PassKernels reduced = passKernelsFrom(rec, config_.nLayer, T, &run.trace);
        const std::vector<int64_t>& present = reduced.positions[3];
        QVERIFY2(static_cast<int64_t>(present.size()) < T, "the schedule must remove tokens before layer 3");

        at::Tensor red = npy(file("red.npy")), dense = npy(file("dense.npy"));
        QCOMPARE(red.sizes().vec(), (std::vector<int64_t>{T, T}));
        QCOMPARE(dense.sizes().vec(), (std::vector<int64_t>{T, T}));
        QVERIFY(!dense.isnan().any().item<bool>());
        for (int64_t p = 0; p < T; ++p) {
            const bool there = std::binary_search(present.begin(), present.end(), p);
            QCOMPARE(std::isnan(red[p][p].item<float>()), !there);
        }
        at::Tensor expected = reduced.promptAttention(3, {-1, HeadAggregate::Mean});
        QVERIFY(at::allclose(red, expected, 1e-6, 0, /*equal_nan=*/true));

        at::Tensor recv = npy(file("recv.npy")), roll = npy(file("roll.npy"));
        QCOMPARE(recv.sizes().vec(), (std::vector<int64_t>{config_.nLayer, T}));
        QCOMPARE(roll.sizes().vec(), (std::vector<int64_t>{config_.nLayer, T}));
        // Received at layer 3: the column sums of the normalised mean; they add up to the tokens that read.
        at::Tensor n3 = reduced.promptAttention(3, {-1, HeadAggregate::Mean, true});
        QVERIFY(at::allclose(recv[3], attentionReceived(n3), 1e-5, 0, true));
        QVERIFY(testing::nearlyEqual(at::nansum(recv[3]).item<double>(), static_cast<double>(present.size()), 1e-5));
        // The rollout's last row is a distribution over the prompt.
        QVERIFY(testing::nearlyEqual(roll[config_.nLayer - 1].sum().item<double>(), 1.0, 1e-5));
        QVERIFY(r.out.contains("next-token attribution"));
    }

    void reduceTraceCarriesTheAttention() {
        const int64_t T = static_cast<int64_t>(ids_.size());
        const QString trace = file("trace.json");
        Run r = cli({"reduce", "--model", dir_, "--ids", idsText_, "--keep-ratio", "0.6", "--attention", "--trace", trace});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        std::ifstream in(trace.toStdString());
        const nlohmann::json j = nlohmann::json::parse(in);
        // The same numbers as `attention --received` and `--rollout` of the same schedule.
        Run a = cli({"attention", "--model", dir_, "--ids", idsText_, "--keep-ratio", "0.6", "--received",
                     file("recv2.npy"), "--rollout", file("roll2.npy")});
        QVERIFY2(a.code == 0, qPrintable(a.err));
        const at::Tensor recv = npy(file("recv2.npy")), roll = npy(file("roll2.npy"));
        QCOMPARE(j["layers"].size(), size_t(config_.nLayer));
        for (int64_t l = 0; l < config_.nLayer; ++l) {
            const auto& received = j["layers"][l]["attention_received"];
            QCOMPARE(int64_t(received.size()), T);
            for (int64_t p = 0; p < T; ++p) {
                const float expected = recv[l][p].item<float>();
                if (std::isnan(expected)) QVERIFY(received[p].is_null());
                else QVERIFY(testing::nearlyEqual(received[p].get<double>(), expected, 1e-5, 1e-7));
            }
        }
        double dense = 0, reduced = 0;
        for (int64_t p = 0; p < T; ++p) {
            dense += j["attribution_dense"][p].get<double>();
            reduced += j["attribution_reduced"][p].get<double>();
            QVERIFY(testing::nearlyEqual(j["attribution_reduced"][p].get<double>(),
                                         roll[config_.nLayer - 1][p].item<double>(), 1e-5, 1e-7));
        }
        QVERIFY(testing::nearlyEqual(dense, 1.0, 1e-5));
        QVERIFY(testing::nearlyEqual(reduced, 1.0, 1e-5));
        // Without --attention the trace has none of it (it costs every layer's matrix).
        QVERIFY(cli({"reduce", "--model", dir_, "--ids", idsText_, "--trace", trace}).code == 0);
        std::ifstream plain(trace.toStdString());
        const nlohmann::json k = nlohmann::json::parse(plain);
        QVERIFY(!k.contains("attribution_dense") && !k["layers"][0].contains("attention_received"));
    }

    void activationsByHookPointName() {
        const int64_t T = static_cast<int64_t>(ids_.size());
        Run list = cli({"activations", "--model", dir_, "--list"});
        QVERIFY2(list.code == 0, qPrintable(list.err));
        for (const char* h : {"hook_resid_pre", "hook_B", "hook_delta", "hook_ssm_output", "hook_pattern"})
            QVERIFY2(list.out.contains(h), h);
        const QString out = tmp_.filePath("acts");
        Run r = cli({"activations", "--model", dir_, "--ids", idsText_, "--hooks",
                     "blocks.1.hook_B,blocks.1.hook_delta,blocks.0.hook_resid_pre,blocks.1.hook_pattern", "--out-dir", out});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(npy(out + "/blocks.1.hook_B.npy").sizes().vec(),
                 (std::vector<int64_t>{1, T, config_.ngroups, config_.dState}));
        QCOMPARE(npy(out + "/blocks.1.hook_delta.npy").sizes().vec(), (std::vector<int64_t>{1, T, config_.nHeads()}));
        // The residual entering block 0 is the embedding.
        at::Tensor emb = weights_.embedding.index_select(0, at::tensor(ids_, at::kLong));
        QVERIFY(testing::relativeError(npy(out + "/blocks.0.hook_resid_pre.npy")[0], emb) < 1e-7);
        Mamba2Model model(config_, weights_);
        QVERIFY(testing::relativeError(npy(out + "/blocks.1.hook_pattern.npy"),
                                       implicitAttention(recordDensePass(model, ids_).layers[1])) < 1e-6);

        // Reduced pass: shorter sequences after the anchors, with their positions.
        Run red = cli({"activations", "--model", dir_, "--ids", idsText_, "--keep-ratio", "0.6", "--hooks",
                       "blocks.3.hook_ssm_input", "--out-dir", out});
        QVERIFY2(red.code == 0, qPrintable(red.err));
        at::Tensor positions = npy(out + "/blocks.3.positions.npy");
        QVERIFY(positions.size(0) < T);
        QCOMPARE(npy(out + "/blocks.3.hook_ssm_input.npy").size(1), positions.size(0));
    }

    void badInputNamesTheProblem() {
        struct Case {
            QStringList args;
            const char* message;
        };
        const QString out = file("x.npy");
        const std::vector<Case> cases = {
            {{"attention", "--model", dir_, "--ids", idsText_, "--layer", "4", "--out", out}, "--layer 4"},
            {{"attention", "--model", dir_, "--ids", idsText_, "--out", out}, "--layer"},
            {{"attention", "--model", dir_, "--ids", idsText_, "--layer", "1", "--head", "99", "--out", out}, "head 99"},
            {{"attention", "--model", dir_, "--ids", idsText_, "--layer", "1", "--aggregate", "median", "--out", out},
             "median"},
            {{"attention", "--model", dir_, "--ids", idsText_, "--layer", "1", "--head", "1", "--aggregate", "mean",
              "--out", out},
             "not both"},
            {{"attention", "--model", dir_, "--ids", idsText_, "--layer", "1", "--dense-out", out, "--out", out},
             "schedule"},
            {{"attention", "--model", dir_, "--ids", idsText_}, "nothing to write"},
            {{"activations", "--model", dir_, "--ids", idsText_, "--hooks", "blocks.9.hook_B", "--out-dir", out},
             "layer 9 does not exist"},
            {{"activations", "--model", dir_, "--ids", idsText_, "--hooks", "blocks.1.hook_Q", "--out-dir", out},
             "unknown hook"},
            {{"activations", "--model", dir_, "--ids", idsText_, "--hooks", "layers.1.hook_B", "--out-dir", out},
             "blocks."},
        };
        for (const Case& c : cases) {
            Run r = cli(c.args);
            QVERIFY2(!r.crashed, qPrintable(c.args.join(" ")));
            QVERIFY2(r.code != 0, qPrintable(c.args.join(" ")));
            QVERIFY2(r.err.contains(c.message), qPrintable(c.args.join(" ") + "\n" + r.err));
        }
    }
};

QTEST_GUILESS_MAIN(TestAttentionCli)
#include "test_attention_cli.moc"
