// The mixer's causal depthwise conv + SiLU: the hand-written CPU loop and ATen's conv1d against the definition,
// on the in-projection's strided slice, with and without bias, lengths shorter than the kernel included.
#include <QtTest/QtTest>

#include "AtenOperators.h"

#include "core/model/CausalConv.h"
#include "ModelTestSupport.h"

using namespace ssmlens;

namespace {

// silu(bias + sum_k w[c, k] * x[t - (K-1) + k]), built from shifted copies of x (zeros before t = 0).
at::Tensor definition(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias) {
    const int64_t L = x.size(1), C = x.size(2), K = weight.size(2);
    at::Tensor acc = bias.defined() ? bias.view({1, 1, C}).expand(x.sizes()).clone() : at::zeros(x.sizes());
    for (int64_t k = 0; k < K; ++k) {
        const int64_t shift = K - 1 - k;  // tap k reads shift positions back
        if (shift >= L) continue;
        at::Tensor shifted = at::zeros(x.sizes());
        shifted.narrow(1, shift, L - shift).copy_(x.narrow(1, 0, L - shift));
        acc += shifted * weight.select(2, k).view({1, 1, C});
    }
    return at::silu(acc);
}

// xBC as the mixer sees it: channels [offset, offset + C) of a wider in-projection output.
at::Tensor slice(int64_t B, int64_t L, int64_t C) { return at::randn({B, L, C + 40}).narrow(2, 17, C); }

}  // namespace

class TestCausalConv : public QObject {
    Q_OBJECT

private slots:
    void matchesDefinition_data() {
        QTest::addColumn<qint64>("B");
        QTest::addColumn<qint64>("L");
        QTest::addColumn<qint64>("C");
        QTest::addColumn<qint64>("K");
        QTest::addColumn<bool>("withBias");
        QTest::newRow("one token, shorter than the kernel") << qint64(1) << qint64(1) << qint64(12) << qint64(4) << true;
        QTest::newRow("three tokens") << qint64(2) << qint64(3) << qint64(12) << qint64(4) << true;
        QTest::newRow("long, batch 2") << qint64(2) << qint64(300) << qint64(70) << qint64(4) << true;
        QTest::newRow("no bias") << qint64(2) << qint64(37) << qint64(33) << qint64(4) << false;
        QTest::newRow("kernel 2") << qint64(1) << qint64(20) << qint64(16) << qint64(2) << true;
    }
    void matchesDefinition() {
        QFETCH(qint64, B);
        QFETCH(qint64, L);
        QFETCH(qint64, C);
        QFETCH(qint64, K);
        QFETCH(bool, withBias);
        at::manual_seed(7 + L);
        at::Tensor x = slice(B, L, C);
        at::Tensor weight = at::randn({C, 1, K}), bias = withBias ? at::randn({C}) : at::Tensor();
        at::Tensor want = definition(x, weight, bias);
        at::Tensor fast = causalConvSilu(x, weight, bias);
        QVERIFY(fast.is_contiguous());
        QCOMPARE(fast.sizes().vec(), want.sizes().vec());
        QVERIFY2(testing::relativeError(fast, want) < 1e-6, "hand-written loop differs from the definition");
        QVERIFY2(testing::relativeError(causalConvSiluAten(x, weight, bias), want) < 1e-6, "ATen path differs");
    }

    void otherDtypesGoThroughAten() {
        // bf16 on the CPU: not the loop's case; the result is fp32 and equals ATen's path exactly.
        at::manual_seed(3);
        at::Tensor x = slice(1, 9, 8).to(at::kBFloat16);
        at::Tensor weight = at::randn({8, 1, 4}).to(at::kBFloat16), bias = at::randn({8}).to(at::kBFloat16);
        at::Tensor got = causalConvSilu(x, weight, bias);
        QCOMPARE(got.scalar_type(), at::kFloat);
        QVERIFY(at::equal(got, causalConvSiluAten(x, weight, bias)));
    }

    // A decode step's conv of the newest position equals the prefill's conv1d at that position, in bf16 too: both
    // sum in fp32 and round once (elements apart at all: a sum in another order flips a rounding, rarely). Rounding
    // each product to bf16 first, as the step did before, moved a third of them (258 of 768 here).
    void stepEqualsThePrefillAtItsPosition() {
        at::manual_seed(11);
        const int64_t B = 2, L = 9, C = 64, K = 4;
        const at::Tensor x = slice(B, L, C).to(at::kBFloat16);
        const at::Tensor weight = at::randn({C, 1, K}).to(at::kBFloat16), bias = at::randn({C}).to(at::kBFloat16);
        const at::Tensor prefill = causalConvSiluAten(x, weight, bias);  // [B, L, C] fp32 of bf16 values
        int64_t apart = 0, total = 0;
        for (int64_t t = K - 1; t < L; ++t) {
            const at::Tensor window = x.narrow(1, t - K + 1, K).transpose(1, 2);  // [B, C, K], oldest first
            const at::Tensor step = causalConvSiluStep(window, weight, bias);
            QCOMPARE(step.scalar_type(), at::kBFloat16);
            const at::Tensor want = prefill.select(1, t);
            QVERIFY(testing::relativeError(step, want) <= 1.0 / 128);  // at most one bf16 rounding apart
            apart += (step.to(at::kFloat) != want).sum().item<int64_t>();
            total += want.numel();
        }
        QVERIFY2(apart * 100 <= total, qPrintable(QString("%1 of %2 apart").arg(apart).arg(total)));
    }

    void gradientsFlowUnderAutograd() {
        // The trainer runs the mixer under autograd: the loop has no backward, so ATen's conv1d must run.
        at::manual_seed(5);
        at::Tensor x = slice(1, 6, 8);
        at::Tensor weight = at::randn({8, 1, 4}).requires_grad_(true), bias = at::randn({8});
        at::Tensor out = causalConvSilu(x, weight, bias);
        QVERIFY(out.requires_grad());
        out.sum().backward();
        QVERIFY(weight.grad().defined());
        QVERIFY(weight.grad().abs().sum().item<float>() > 0);
    }
};

QTEST_APPLESS_MAIN(TestCausalConv)
#include "test_causal_conv.moc"
