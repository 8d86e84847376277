// The memory a prefill needs, estimated before it allocates (core/runtime/MemoryBudget): the estimate is
// checked against the peak resident memory the CLI actually reaches (the calibration docs/reliability.md
// records), and a shape beyond the free memory is refused with the sizes in the message.
#include <QtTest/QtTest>

#include <sys/resource.h>

#include "AtenOperators.h"

#include "core/Error.h"
#include "core/io/NpyFile.h"
#include "core/model/ModelConfig.h"
#include "core/runtime/DemoModel.h"
#include "core/runtime/MemoryBudget.h"

using namespace ssmlens;

namespace {

// Peak resident memory (bytes) of `ssmlens-cli logits` over `length` tokens of the demo model, all positions.
qint64 peakOfLogitsRun(const QString& dir, int64_t length) {
    writeNpy((dir + "/ids.npy").toStdString(), at::zeros({length}, at::kLong));
    QProcess p;
    p.setProgram("/usr/bin/env");
    p.setArguments({"OMP_NUM_THREADS=2", QString(SSMLENS_BIN_DIR) + "/ssmlens-cli", "logits", "--ids", dir + "/ids.npy",
                    "--out", dir + "/logits.npy"});
    p.start();
    if (!p.waitForFinished(300000) || p.exitCode() != 0) return -1;
    rusage usage {};
    ::getrusage(RUSAGE_CHILDREN, &usage);  // the largest child so far: runs go from short to long
    return qint64(usage.ru_maxrss) * 1024;
}

}  // namespace

class TestRuntimeMemoryBudget : public QObject {
    Q_OBJECT

private slots:
    void estimateGrowsWithWhatIsAskedFor() {
        const Mamba2Config c = namedMamba2Config("130m");
        PrefillShape s;
        s.length = 2048;
        const PrefillFootprint all = estimatePrefill(c, s, at::kFloat, at::kCPU);
        // Logits of every position: 2048 x 50288 x (4 + 4) bytes.
        QCOMPARE(all.logits, uint64_t(2048) * 50288 * 8);
        s.allPositionLogits = false;
        QCOMPARE(estimatePrefill(c, s, at::kFloat, at::kCPU).logits, uint64_t(50288) * 8);
        QCOMPARE(estimatePrefill(c, s, at::kFloat, at::kCPU).similarity, uint64_t(0));
        s.tokenReduction = true;
        QCOMPARE(estimatePrefill(c, s, at::kFloat, at::kCPU).similarity, uint64_t(1024) * 1024 * 8);
        s.keepsGradients = true;  // training keeps every layer's activations
        QCOMPARE(estimatePrefill(c, s, at::kFloat, at::kCPU).activations, all.activations * 24);
        // Absurd shapes saturate instead of wrapping around.
        s.batch = int64_t(1) << 40;
        s.length = int64_t(1) << 40;
        QCOMPARE(estimatePrefill(c, s, at::kFloat, at::kCPU).total(), std::numeric_limits<uint64_t>::max());
    }

    void beyondTheFreeMemoryIsRefusedWithTheSizes() {
        const Mamba2Config c = namedMamba2Config("130m");
        PrefillShape s;
        s.length = 100000;
        try {
            requirePrefillFits(c, s, at::kFloat, at::kCPU, uint64_t(8) << 30);
            QFAIL("not refused");
        } catch (const Error& e) {
            const QString m = e.what();
            QVERIFY2(m.startsWith("the prompt has 100000 tokens: running it needs about ") &&
                         m.contains("logits of every position 37.5 GiB") && m.contains("but 8.0 GiB are free on cpu") &&
                         m.contains("last position's logits only"),
                     qPrintable(m));
        }
        s.length = 2048;
        requirePrefillFits(c, s, at::kFloat, at::kCPU, uint64_t(8) << 30);  // fits: no exception
        QVERIFY(availableMemory(at::kCPU) > (uint64_t(64) << 20));       // this machine has some memory free
    }

    // The estimate against what the CLI really uses: the growth of peak resident memory from 16 to 4096
    // tokens of the demo model (logits of every position, fp32, CPU) must be neither underestimated (a prompt
    // that does not fit would be let through) nor overestimated by much (one that fits would be refused).
    void estimateMatchesTheMeasuredPeak() {
#ifdef SSMLENS_SANITIZED
        QSKIP("AddressSanitizer's allocator (redzones, quarantine) changes the peak this calibrates against");
#endif
        const std::string demo = defaultModelDir();
        if (demo.empty()) QSKIP("no demo model");
        const Mamba2Config c = loadMamba2Config(demo + "/config.json");
        QTemporaryDir dir;
        const qint64 base = peakOfLogitsRun(dir.path(), 16);
        const qint64 peak = peakOfLogitsRun(dir.path(), 4096);
        QVERIFY(base > 0 && peak > base);
        PrefillShape small, large;
        small.length = 16;
        large.length = 4096;
        const double estimated = double(estimatePrefill(c, large, at::kFloat, at::kCPU).total()) -
                                 double(estimatePrefill(c, small, at::kFloat, at::kCPU).total());
        const double measured = double(peak - base);
        qInfo("4096 tokens: estimated %.0f MiB, measured peak growth %.0f MiB (ratio %.2f)", estimated / (1 << 20),
              measured / (1 << 20), estimated / measured);
        QVERIFY2(estimated >= 0.9 * measured && estimated <= 2.5 * measured,
                 qPrintable(QString("estimate %1 MiB against %2 MiB measured").arg(estimated / (1 << 20)).arg(measured / (1 << 20))));
    }
};

QTEST_GUILESS_MAIN(TestRuntimeMemoryBudget)
#include "test_runtime_memory_budget.moc"
