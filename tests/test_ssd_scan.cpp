// The chunked SSD scan against the plain recurrence, including lengths that are not multiples of the chunk,
// several groups, an initial state, and the segment sum.
#include <QtTest/QtTest>

#include "AtenOperators.h"

#include "core/model/SsdScan.h"
#include "ModelTestSupport.h"

using namespace ssmlens;

class TestSsdScan : public QObject {
    Q_OBJECT

    SsdInputs randomInputs(int64_t b, int64_t L, int64_t H, int64_t P, int64_t G, int64_t N, bool withState) {
        at::manual_seed(1234 + L * 7 + G);
        SsdInputs in;
        in.x = at::randn({b, L, H, P});
        in.dt = at::softplus(at::randn({b, L, H}) - 1.0);
        in.A = -at::rand({H}) * 4 - 0.5;
        in.B = at::randn({b, L, G, N});
        in.C = at::randn({b, L, G, N});
        if (withState) in.initialState = at::randn({b, H, P, N});
        return in;
    }

private slots:
    void segmentSumMatchesDefinition() {
        at::Tensor x = at::tensor({1.0f, 2.0f, 3.0f, 4.0f});
        at::Tensor s = segmentSum(x);
        // s[i][j] = x[j+1] + ... + x[i]; s[2][0] = 2 + 3 = 5; diagonal 0; above -inf.
        QCOMPARE(s[2][0].item<float>(), 5.0f);
        QCOMPARE(s[3][1].item<float>(), 7.0f);
        QCOMPARE(s[1][1].item<float>(), 0.0f);
        QVERIFY(std::isinf(s[0][3].item<float>()) && s[0][3].item<float>() < 0);
    }

    void chunkedMatchesRecurrence_data() {
        QTest::addColumn<int>("length");
        QTest::addColumn<int>("chunk");
        QTest::addColumn<int>("groups");
        QTest::addColumn<bool>("initialState");
        QTest::newRow("multiple of chunk") << 16 << 4 << 1 << false;
        QTest::newRow("ragged tail") << 13 << 4 << 1 << false;
        QTest::newRow("shorter than a chunk") << 3 << 8 << 1 << false;
        QTest::newRow("ngroups 2") << 11 << 4 << 2 << false;
        QTest::newRow("ngroups 3, initial state") << 10 << 3 << 3 << true;
        QTest::newRow("one token") << 1 << 4 << 1 << true;
        QTest::newRow("many chunks, ngroups 2, initial state") << 100 << 8 << 2 << true;
    }
    void chunkedMatchesRecurrence() {
        QFETCH(int, length);
        QFETCH(int, chunk);
        QFETCH(int, groups);
        QFETCH(bool, initialState);
        SsdInputs in = randomInputs(2, length, 6, 5, groups, 7, initialState);
        SsdOutputs ref = ssdRecurrent(in);
        for (StatePassing passing : {StatePassing::Sequential, StatePassing::DecayMatrix}) {
            SsdOutputs got = ssdChunked(in, chunk, passing);
            QVERIFY2(testing::relativeError(got.y, ref.y) < 1e-5, "y differs");
            QVERIFY2(testing::relativeError(got.finalState, ref.finalState) < 1e-5, "final state differs");
        }
    }

    void cpuPrefillIgnoresTheModelsChunkSize() {
        // ssdPrefill on the CPU runs chunks of kCpuChunk whatever the model's chunk size: same result.
        SsdInputs in = randomInputs(2, 3 * kCpuChunk + 5, 4, 8, 2, 16, true);
        SsdOutputs ref = ssdRecurrent(in);
        for (int64_t modelChunk : {int64_t(16), kCpuChunk, int64_t(256)}) {
            SsdOutputs got = ssdPrefill(in, modelChunk, at::kFloat);
            QVERIFY2(testing::relativeError(got.y, ref.y) < 1e-5, "y differs");
            QVERIFY2(testing::relativeError(got.finalState, ref.finalState) < 1e-5, "final state differs");
        }
    }

    void zeroTimeStepKeepsState() {
        // Padding is handled by dt = 0: the state must pass through unchanged.
        SsdInputs in = randomInputs(1, 5, 2, 3, 1, 4, true);
        in.dt.zero_();
        SsdOutputs out = ssdChunked(in, 2);
        QVERIFY(testing::relativeError(out.finalState, in.initialState) < 1e-6);
    }

    void recurrenceByHand() {
        // One head, P = N = 1: state(t) = exp(dt A) state(t-1) + dt x B; y = state * C.
        SsdInputs in;
        in.x = at::tensor({1.0f, 2.0f}).view({1, 2, 1, 1});
        in.dt = at::tensor({0.5f, 1.0f}).view({1, 2, 1});
        in.A = at::tensor({-1.0f});
        in.B = at::tensor({2.0f, 3.0f}).view({1, 2, 1, 1});
        in.C = at::tensor({1.0f, 0.5f}).view({1, 2, 1, 1});
        const double s1 = 0.5 * 1 * 2;                        // 1
        const double s2 = std::exp(-1.0) * s1 + 1.0 * 2 * 3;  // e^-1 + 6
        SsdOutputs out = ssdChunked(in, 4);
        QVERIFY(std::abs(out.y[0][0][0][0].item<double>() - s1 * 1.0) < 1e-6);
        QVERIFY(std::abs(out.y[0][1][0][0].item<double>() - s2 * 0.5) < 1e-6);
    }
};

QTEST_APPLESS_MAIN(TestSsdScan)
#include "test_ssd_scan.moc"
