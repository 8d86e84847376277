// The training loop: autograd gradients through the Mamba-2 forward match finite differences, AdamW and the
// learning-rate schedule do the arithmetic they should, batches depend only on (seed, step), a tiny model
// learns a repeating sequence, a resumed run equals an uninterrupted one bit for bit, and the exported model
// loads.
#include <QtTest/QtTest>

#include "AtenOperators.h"
#include <ATen/core/grad_mode.h>

#include <cmath>
#include <fstream>

#include "core/Error.h"
#include "core/io/SafetensorsFile.h"
#include "core/model/Mamba2Model.h"
#include "core/train/AdamW.h"
#include "core/train/LearningRateSchedule.h"
#include "core/train/TokenStream.h"
#include "core/train/Trainer.h"
#include "core/train/TrainingWeights.h"
#include "ModelTestSupport.h"

using namespace ssmlens;

namespace {

double lossOf(const Mamba2Config& c, const Mamba2Weights& w, const at::Tensor& windows) {
    Mamba2Model model(c, w);
    const int64_t L = windows.size(1) - 1;
    at::Tensor logits = model.forward(windows.narrow(1, 0, L)).logits;
    return at::cross_entropy_loss(logits.reshape({-1, c.vocabSize}), windows.narrow(1, 1, L).reshape(-1))
        .item<double>();
}

TokenStream repeatingStream(int64_t period, int64_t length) {
    return TokenStream(at::arange(length, at::kLong).remainder(period).to(at::kShort));
}

TrainOptions tinyOptions(const QString& dir, int64_t steps) {
    TrainOptions o;
    o.outDir = dir.toStdString();
    o.batchSize = 4;
    o.seqLen = 16;
    o.learningRate = {1e-2, 1e-3, 5, steps};
    o.evalEvery = 10;
    o.evalWindows = 4;
    o.checkpointEvery = 0;
    o.logEvery = 1;
    o.exportDtype = at::kFloat;
    return o;
}

std::vector<std::string> lines(const QString& path) {
    std::ifstream in(path.toStdString());
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

}  // namespace

class TestTraining : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void gradientsMatchFiniteDifferences() {
        Mamba2Config c = testing::tinyConfig();
        Mamba2Weights w = initialMamba2Weights(c, 3);
        std::vector<Parameter> params = trainableParameters(w);
        at::Tensor windows = testing::randomIds(2, 9, c.vocabSize, 5);
        {
            Mamba2Model model(c, computeWeights(w, at::kFloat));
            at::Tensor logits = model.forward(windows.narrow(1, 0, 8)).logits;
            at::cross_entropy_loss(logits.reshape({-1, c.vocabSize}), windows.narrow(1, 1, 8).reshape(-1)).backward();
        }
        int checked = 0;
        for (const auto& p : params) {
            QVERIFY2(p.value.grad().defined(), p.name.c_str());
            // The largest gradient entry of each tensor, against a central difference.
            at::Tensor g = p.value.grad().reshape(-1);
            const int64_t i = g.abs().argmax().item<int64_t>();
            const double analytic = g[i].item<double>();
            if (std::abs(analytic) < 1e-3) continue;
            const double h = 1e-2;
            at::NoGradGuard noGrad;
            at::Tensor flat = p.value.view(-1);
            const double x = flat[i].item<double>();
            flat[i].fill_(x + h);
            const double up = lossOf(c, w, windows);
            flat[i].fill_(x - h);
            const double down = lossOf(c, w, windows);
            flat[i].fill_(x);
            const double numeric = (up - down) / (2 * h);
            QVERIFY2(std::abs(numeric - analytic) <= 0.03 * std::abs(analytic) + 2e-4,
                     (p.name + ": autograd " + std::to_string(analytic) + ", finite difference " +
                      std::to_string(numeric)).c_str());
            ++checked;
        }
        QVERIFY(checked >= 10);
    }

    void adamwStepMatchesHandArithmetic() {
        at::Tensor w = at::tensor({1.0f, -2.0f});
        w.set_requires_grad(true);
        AdamW opt({{"w", w, true}}, {0.9, 0.99, 1e-8, 0.1});
        w.mutable_grad() = at::tensor({0.5f, 0.0f});
        opt.step(0.01);
        // Step 1: m = 0.05, v = 0.0025; m^ = 0.5, v^ = 0.25; update = 0.5 / (0.5 + 1e-8) = 1.
        // Decay first: 1 * (1 - 0.001) = 0.999, then 0.999 - 0.01 = 0.989. Entry 2: -2 * 0.999.
        QVERIFY(std::abs(w[0].item<double>() - 0.989) < 1e-6);
        QVERIFY(std::abs(w[1].item<double>() + 1.998) < 1e-6);
        QVERIFY(!w.grad().defined());
        QCOMPARE(opt.steps(), int64_t(1));
        QVERIFY(std::abs(opt.state().at("exp_avg.w")[0].item<double>() - 0.05) < 1e-7);
    }

    void clippingScalesToTheLimit() {
        at::Tensor a = at::zeros({2}), b = at::zeros({1});
        a.set_requires_grad(true);
        b.set_requires_grad(true);
        a.mutable_grad() = at::tensor({3.0f, 0.0f});
        b.mutable_grad() = at::tensor({4.0f});
        const double norm = clipGradientNorm({{"a", a, true}, {"b", b, true}}, 1.0);
        QVERIFY(std::abs(norm - 5.0) < 1e-6);
        QVERIFY(std::abs(a.grad()[0].item<double>() - 0.6) < 1e-5);
        QVERIFY(std::abs(b.grad()[0].item<double>() - 0.8) < 1e-5);
    }

    void learningRateWarmsUpThenFollowsTheCosine() {
        LearningRateSchedule s{1.0, 0.1, 10, 110};
        QVERIFY(std::abs(s.at(0) - 0.1) < 1e-12);
        QVERIFY(std::abs(s.at(9) - 1.0) < 1e-12);
        QVERIFY(std::abs(s.at(10) - 1.0) < 1e-12);
        QVERIFY(std::abs(s.at(60) - 0.55) < 1e-12);  // half way: floor + (peak - floor) / 2
        QVERIFY(std::abs(s.at(110) - 0.1) < 1e-12);
        QVERIFY(std::abs(s.at(500) - 0.1) < 1e-12);
    }

    void batchesDependOnlyOnSeedAndStep() {
        TokenStream s(at::arange(1000, at::kLong).to(at::kShort));
        at::Tensor a = s.batch(7, 3, 10, 1), b = s.batch(7, 3, 10, 1), c = s.batch(8, 3, 10, 1);
        QVERIFY(at::equal(a, b));
        QVERIFY(!at::equal(a, c));
        QCOMPARE(a.sizes().vec(), (std::vector<int64_t>{3, 11}));
        QCOMPARE(a.scalar_type(), at::kLong);
        // Each window is a contiguous run of the stream.
        QVERIFY(at::equal(a.select(1, 10) - a.select(1, 0), at::full({3}, 10, at::kLong)));
        at::Tensor wins = s.windows(1, 2, 10);
        QCOMPARE(wins[0][0].item<int64_t>(), int64_t(10));
        QCOMPARE(wins[1][10].item<int64_t>(), int64_t(30));
        QCOMPARE(s.windowCount(10), int64_t(99));
    }

    void aTinyModelLearnsARepeatingSequence() {
        QTemporaryDir dir;
        Mamba2Config c = testing::tinyConfig();
        TokenStream stream = repeatingStream(c.vocabSize, 2000);
        TrainOptions o = tinyOptions(dir.path(), 60);
        TrainResult r = trainMamba2(c, stream, stream, o);
        QVERIFY(r.finished);
        QCOMPARE(r.steps, int64_t(60));
        // ln(37) = 3.6 at the start; the sequence is fully predictable after one token.
        QVERIFY2(r.heldoutLoss < 0.5, std::to_string(r.heldoutLoss).c_str());
        auto csv = lines(dir.path() + "/loss.csv");
        QCOMPARE(csv.size(), size_t(61));
        QVERIFY(csv[0].rfind("step,tokens,learning_rate,train_loss", 0) == 0);
        // The exported model loads and gives the loss the trainer reported.
        Mamba2Model exported = Mamba2Model::load((dir.path() + "/model").toStdString());
        const double reloaded = meanWindowLoss(exported, stream, o.seqLen, o.evalWindows, o.batchSize);
        QVERIFY(std::abs(reloaded - r.heldoutLoss) < 1e-5);
    }

    void aResumedRunEqualsAnUninterruptedOne() {
        Mamba2Config c = testing::tinyConfig();
        c.tieEmbeddings = true;
        TokenStream stream = repeatingStream(c.vocabSize, 500);
        QTemporaryDir straight, interrupted;
        trainMamba2(c, stream, stream, tinyOptions(straight.path(), 12));

        TrainOptions first = tinyOptions(interrupted.path(), 12);
        first.timeLimitSeconds = 1e-9;  // stops (and checkpoints) after the first update
        TrainResult r1 = trainMamba2(c, stream, stream, first);
        QCOMPARE(r1.steps, int64_t(1));
        QVERIFY(!r1.finished);
        TrainResult r2 = trainMamba2(c, stream, stream, tinyOptions(interrupted.path(), 12));
        QVERIFY(r2.resumed && r2.finished);
        QCOMPARE(r2.steps, int64_t(12));

        SafetensorsFile a((straight.path() + "/checkpoint/model.safetensors").toStdString());
        SafetensorsFile b((interrupted.path() + "/checkpoint/model.safetensors").toStdString());
        QCOMPARE(a.names(), b.names());
        for (const auto& name : a.names()) QVERIFY2(at::equal(a.tensor(name), b.tensor(name)), name.c_str());
        // The loss curve has one row per step, the interrupted run's included once.
        auto csvA = lines(straight.path() + "/loss.csv"), csvB = lines(interrupted.path() + "/loss.csv");
        QCOMPARE(csvB.size(), csvA.size());
        for (size_t i = 0; i < csvA.size(); ++i)
            QCOMPARE(csvB[i].substr(0, csvB[i].find(",", csvB[i].find(",", csvB[i].find(",") + 1) + 1)),
                     csvA[i].substr(0, csvA[i].find(",", csvA[i].find(",", csvA[i].find(",") + 1) + 1)));
    }

    void aCheckpointOfAnotherShapeIsRefused() {
        QTemporaryDir dir;
        Mamba2Config c = testing::tinyConfig();
        TokenStream stream = repeatingStream(c.vocabSize, 500);
        TrainOptions o = tinyOptions(dir.path(), 2);
        trainMamba2(c, stream, stream, o);
        c.nLayer = 2;
        try {
            trainMamba2(c, stream, stream, o);
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("different model shape"), e.what());
        }
    }

    void idsBeyondTheVocabularyAreRefused() {
        QTemporaryDir dir;
        Mamba2Config c = testing::tinyConfig();
        TokenStream stream = repeatingStream(c.vocabSize + 3, 500);
        QVERIFY_EXCEPTION_THROWN(trainMamba2(c, stream, stream, tinyOptions(dir.path(), 2)), Error);
    }
};

QTEST_GUILESS_MAIN(TestTraining)
#include "test_training.moc"
