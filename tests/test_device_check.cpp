// The device check (ssmlens-cli check-device) on the CPU: the hand-written causal conv loop against ATen's conv1d
// inside whole forward passes, and the forward and reduce groups of the CPU against itself, all passing with the
// tolerances the check states; an unknown group is an error. On a GPU the same code runs as the CTest test
// gpu_check_device (tests/GpuChecks.cmake).
#include <QtTest/QtTest>

#include "core/bench/DeviceCheck.h"
#include "ErrorCapture.h"

using namespace ssmlens;

class TestDeviceCheck : public QObject {
    Q_OBJECT

private slots:
    void everyCpuCasePasses() {
        DeviceCheckSettings s;
        const std::vector<DeviceCheckResult> results = runDeviceCheck(s);
        int kernels = 0, forward = 0, reduce = 0;
        for (const DeviceCheckResult& r : results) {
            QVERIFY2(r.passed, qPrintable(QString::fromStdString(r.group + " " + r.name + ": " + r.note)));
            QVERIFY2(r.difference <= r.tolerance, r.name.c_str());
            kernels += r.group == "kernels";
            forward += r.group == "forward";
            reduce += r.group == "reduce";
        }
        QCOMPARE(kernels, 5);  // the RMSNorm, and prefill and decode of two models (fp32 on the CPU)
        QCOMPARE(forward, 4);
        QCOMPARE(reduce, 9);   // every method
        // The loop and conv1d round differently: the kernels cases compare two computations, not one twice.
        bool someDifference = false;
        for (const DeviceCheckResult& r : results) someDifference = someDifference || (r.group == "kernels" && r.difference > 0);
        QVERIFY(someDifference);
        const std::string table = deviceCheckTable(results, s);
        QVERIFY(table.find("18 of 18 cases pass") != std::string::npos);
    }

    void unknownGroupIsAnError() {
        DeviceCheckSettings s;
        s.groups = {"kernel"};
        QCOMPARE(testing::errorOf([&] { runDeviceCheck(s); }),
                 std::string("unknown check group \"kernel\" (kernels, forward or reduce)"));
    }
};

QTEST_GUILESS_MAIN(TestDeviceCheck)
#include "test_device_check.moc"
