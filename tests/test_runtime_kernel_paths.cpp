// KernelPaths: the defaults, the environment's switches, and ScopedKernelPaths, which puts paths in effect on one
// thread and restores the ones before it (nested, on exceptions, and without touching other threads).
#include <QtTest/QtTest>

#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "core/Error.h"
#include "core/runtime/KernelPaths.h"
#include "ErrorCapture.h"

using namespace ssmlens;

namespace {

KernelPaths only(bool KernelPaths::*switchedOff) {
    KernelPaths p;
    p.*switchedOff = false;
    return p;
}

}  // namespace

class TestRuntimeKernelPaths : public QObject {
    Q_OBJECT

private slots:
    void defaultsAreEveryKernel() {
        const KernelPaths p;
        QVERIFY(p.cpuCausalConv && p.cudaKernels && p.tensorCoreScan && p.reductionKernels && p.overlappedStepLaunches &&
                p.overlappedLayerLaunches && p.stepNextNorm && p.convWithTimeSteps);
        QVERIFY(p.bestMatchProducts == BestMatchProducts::BySize);
        QVERIFY(kernelPaths() == p);  // nothing set in this process
        const KernelPaths aten = KernelPaths::atenOnly();
        QVERIFY(!aten.cpuCausalConv && !aten.cudaKernels && !aten.tensorCoreScan && !aten.reductionKernels);
    }

    void scopesNestAndRestoreThePreviousPaths() {
        const KernelPaths before = kernelPaths();
        {
            const ScopedKernelPaths outer(only(&KernelPaths::reductionKernels));
            QVERIFY(!kernelPaths().reductionKernels && kernelPaths().tensorCoreScan);
            {
                const ScopedKernelPaths inner(only(&KernelPaths::tensorCoreScan));
                QVERIFY(kernelPaths().reductionKernels && !kernelPaths().tensorCoreScan);
            }
            // The outer scope's paths, not the defaults.
            QVERIFY(!kernelPaths().reductionKernels && kernelPaths().tensorCoreScan);
        }
        QVERIFY(kernelPaths() == before);
    }

    void anExceptionRestoresThePaths() {
        const KernelPaths before = kernelPaths();
        try {
            const ScopedKernelPaths aten(KernelPaths::atenOnly());
            throw std::runtime_error("a benchmark failed half-way");
        } catch (const std::runtime_error&) {
        }
        QVERIFY(kernelPaths() == before);
    }

    void aScopeHoldsOnItsOwnThreadOnly() {
        const ScopedKernelPaths aten(KernelPaths::atenOnly());
        bool otherThreadSeesDefaults = false;
        std::thread other([&] { otherThreadSeesDefaults = kernelPaths() == KernelPaths(); });
        other.join();
        QVERIFY(otherThreadSeesDefaults);
        QVERIFY(kernelPaths() == KernelPaths::atenOnly());
    }

    void theProcessDefaultServesThreadsWithoutAScope() {
        setDefaultKernelPaths(only(&KernelPaths::cpuCausalConv));
        bool seen = false;
        std::thread other([&] { seen = !kernelPaths().cpuCausalConv; });
        other.join();
        QVERIFY(seen);
        {
            const ScopedKernelPaths all{KernelPaths()};
            QVERIFY(kernelPaths().cpuCausalConv);
        }
        QVERIFY(!kernelPaths().cpuCausalConv);
        setDefaultKernelPaths(KernelPaths());
    }

    void environmentSwitchesOneEach() {
        const char* names[] = {"SSMLENS_CPU_CONV", "SSMLENS_FUSED_CUDA", "SSMLENS_FUSED_SSD", "SSMLENS_FUSED_REDUCTION",
                               "SSMLENS_SSD_KERNEL", "SSMLENS_STEP_OVERLAP", "SSMLENS_LAYER_OVERLAP",
                               "SSMLENS_STEP_NEXT_NORM", "SSMLENS_CONV_TIME_STEPS"};
        for (const char* n : names) unsetenv(n);
        QVERIFY(kernelPathsFromEnvironment() == KernelPaths());
        setenv("SSMLENS_CPU_CONV", "aten", 1);
        QVERIFY(kernelPathsFromEnvironment() == only(&KernelPaths::cpuCausalConv));
        unsetenv("SSMLENS_CPU_CONV");
        setenv("SSMLENS_FUSED_CUDA", "0", 1);
        QVERIFY(kernelPathsFromEnvironment() == only(&KernelPaths::cudaKernels));
        unsetenv("SSMLENS_FUSED_CUDA");
        setenv("SSMLENS_FUSED_SSD", "0", 1);
        QVERIFY(kernelPathsFromEnvironment() == only(&KernelPaths::tensorCoreScan));
        unsetenv("SSMLENS_FUSED_SSD");
        setenv("SSMLENS_FUSED_REDUCTION", "0", 1);
        QVERIFY(kernelPathsFromEnvironment() == only(&KernelPaths::reductionKernels));
        setenv("SSMLENS_FUSED_REDUCTION", "1", 1);  // any other value: the default
        QVERIFY(kernelPathsFromEnvironment() == KernelPaths());
        unsetenv("SSMLENS_FUSED_REDUCTION");
        for (SsdScanKernel k : {SsdScanKernel::Parallel, SsdScanKernel::Serial}) {
            setenv("SSMLENS_SSD_KERNEL", ssdScanKernelName(k).c_str(), 1);
            QVERIFY(kernelPathsFromEnvironment().ssdScanKernel == k);
            KernelPaths rest = kernelPathsFromEnvironment();
            rest.ssdScanKernel = SsdScanKernel::Auto;
            QVERIFY(rest == KernelPaths());
        }
        setenv("SSMLENS_SSD_KERNEL", "fast", 1);  // any other value: the default
        QVERIFY(kernelPathsFromEnvironment() == KernelPaths());
        unsetenv("SSMLENS_SSD_KERNEL");
        setenv("SSMLENS_STEP_OVERLAP", "0", 1);
        QVERIFY(kernelPathsFromEnvironment() == only(&KernelPaths::overlappedStepLaunches));
        unsetenv("SSMLENS_STEP_OVERLAP");
        setenv("SSMLENS_LAYER_OVERLAP", "0", 1);
        QVERIFY(kernelPathsFromEnvironment() == only(&KernelPaths::overlappedLayerLaunches));
        unsetenv("SSMLENS_LAYER_OVERLAP");
        setenv("SSMLENS_STEP_NEXT_NORM", "0", 1);
        QVERIFY(kernelPathsFromEnvironment() == only(&KernelPaths::stepNextNorm));
        unsetenv("SSMLENS_STEP_NEXT_NORM");
        setenv("SSMLENS_CONV_TIME_STEPS", "0", 1);
        QVERIFY(kernelPathsFromEnvironment() == only(&KernelPaths::convWithTimeSteps));
        unsetenv("SSMLENS_CONV_TIME_STEPS");
    }

    void productPathNames() {
        for (BestMatchProducts p : {BestMatchProducts::BySize, BestMatchProducts::Cublas, BestMatchProducts::Kernels})
            QVERIFY(parseBestMatchProducts(bestMatchProductsName(p)) == p);
        QCOMPARE(bestMatchProductsName(BestMatchProducts::Cublas), std::string("cublas"));
        QCOMPARE(testing::errorOf([] { parseBestMatchProducts("gpu"); }),
                 std::string("unknown best-match products path \"gpu\" (use by-size, cublas or kernels)"));
    }

    void scanKernelNames() {
        for (SsdScanKernel k : {SsdScanKernel::Auto, SsdScanKernel::Parallel, SsdScanKernel::Serial})
            QVERIFY(parseSsdScanKernel(ssdScanKernelName(k)) == k);
        QCOMPARE(ssdScanKernelName(SsdScanKernel::Serial), std::string("serial"));
        QVERIFY(KernelPaths().ssdScanKernel == SsdScanKernel::Auto);
        KernelPaths serial;
        serial.ssdScanKernel = SsdScanKernel::Serial;
        QVERIFY(serial != KernelPaths());
        QCOMPARE(testing::errorOf([] { parseSsdScanKernel("chunked"); }),
                 std::string("unknown scan kernel \"chunked\" (use auto, parallel or serial)"));
    }
};

QTEST_GUILESS_MAIN(TestRuntimeKernelPaths)
#include "test_runtime_kernel_paths.moc"
