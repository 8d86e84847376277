// Prefill graphs on a machine without a GPU: they report themselves unavailable and refuse with a message; the
// host-to-device uploads the graphs rely on keep the CPU path as it was (the tensor itself, the same padding
// mask); bench-reduce's graph table does its arithmetic right. (The graphs themselves, on a GPU:
// `ssmlens-cli check-prefill-graph`, CTest gpu_check_prefill_graph.)
#include <QtTest/QtTest>

#include "AtenOperators.h"

#include "core/Error.h"
#include "core/bench/ReductionBenchmark.h"
#include "core/model/Mamba2Mixer.h"
#include "core/model/PrefillGraph.h"
#include "core/runtime/DeviceUpload.h"
#include "ModelTestSupport.h"

using namespace ssmlens;

class TestPrefillGraph : public QObject {
    Q_OBJECT
private slots:
    void unavailableOnTheCpuWithAMessage() {
        const Mamba2Config c = testing::tinyConfig();
        Mamba2Model model(c, randomMamba2Weights(c, 3));
        QVERIFY(!prefillGraphAvailable(model));
        QString message;
        try {
            PrefillGraph graph(model, 1, 8, depthScaledSchedule(c.nLayer));
        } catch (const Error& e) {
            message = QString::fromStdString(e.what());
        }
        QVERIFY2(message.contains("CUDA device"), qPrintable(message));
    }

    void uploadOnTheCpuIsTheTensor() {
        const at::Tensor t = at::arange(7, at::kLong);
        const at::Tensor u = uploadWithoutWaiting(t, at::kCPU);
        QVERIFY(u.device().is_cpu());
        QVERIFY(u.equal(t));
    }

    void paddingMaskOnTheCpu() {
        const at::Tensor mask = paddingMask(at::tensor({int64_t(3), int64_t(5)}), 5, at::kCPU);
        QCOMPARE(mask.scalar_type(), at::kFloat);
        QVERIFY(mask.equal(at::tensor({1.f, 1.f, 1.f, 0.f, 0.f, 1.f, 1.f, 1.f, 1.f, 1.f}).view({2, 5})));
        QVERIFY(!paddingMask(at::tensor({int64_t(5), int64_t(5)}), 5, at::kCPU).defined());  // no padding
    }

    void graphTableArithmetic() {
        ReductionBenchReport report;
        ReductionBenchRow r;
        r.length = 2048;
        r.denseMs = 3.6;
        r.reducedMs = 4.8;
        r.denseGraphMs = 2.0;
        r.reducedGraphMs = 1.5;
        r.denseCaptureMs = 10;
        r.reducedCaptureMs = 20;
        r.productsMs = 1.2;
        r.stepsGraphMs = 0.05;  // 2.5 % of the dense graph
        r.flopsSavingPercent = 28.4;  // ideal 1 / 0.716 = 1.397
        report.rows.push_back(r);
        ReductionBenchRow none = r;  // no graphs: dashes, and the eager dense pass against the products
        none.length = 8192;
        none.denseGraphMs = none.reducedGraphMs = 0;
        none.graphNote = "CUDA graphs: not available here";
        report.rows.push_back(none);
        const QString table = QString::fromStdString(report.table());
        // speedups 0.75x eager, 1.33x graphs; 1.33 / 1.40 = 95 % of ideal; dense graph / products = 2.0 / 1.2.
        QVERIFY2(table.contains("| 2048 | 3.60 | 2.00 | 4.80 | 1.50 | 0.75x | 1.33x | 1.40x | 95% | 0.050 | 2.5% | "
                                "10.0 / 20.0 | 1.20 | 1.67x |"),
                 qPrintable(table));
        QVERIFY2(table.contains("| 8192 | 3.60 | - | 4.80 | - | 0.75x | - | 1.40x | - | - | - | - | 1.20 | 3.00x |"),
                 qPrintable(table));
        QVERIFY(table.contains("CUDA graphs: not available here"));
    }
};

QTEST_GUILESS_MAIN(TestPrefillGraph)
#include "test_prefill_graph.moc"
