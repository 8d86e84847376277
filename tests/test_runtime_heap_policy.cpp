// keepTensorMemoryInHeap: freed blocks of tensor size are reused without new page faults (glibc's default
// unmaps or trims them, and the next ones fault in every page again).
#include <QtTest/QtTest>

#include <sys/resource.h>

#include <cstdlib>
#include <cstring>

#include "core/runtime/HeapPolicy.h"

using namespace ssmlens;

namespace {

long minorFaults() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt;
}

// Page faults taken while allocating and touching four blocks of `bytes`, then freeing them (as the
// activations of one layer are).
long faultsOfOneLayer(size_t bytes) {
    const long before = minorFaults();
    void* blocks[4];
    for (void*& p : blocks) {
        p = std::malloc(bytes);
        std::memset(p, 1, bytes);
    }
    for (void* p : blocks) std::free(p);
    return minorFaults() - before;
}

}  // namespace

class TestRuntimeHeapPolicy : public QObject {
    Q_OBJECT
private slots:
    void freedTensorBlocksAreReused() {
#if !defined(__GLIBC__)
        QSKIP("glibc only");
#endif
        const size_t bytes = 24u << 20;  // a 2048 x 3072 fp32 activation
        const long pages = static_cast<long>(4 * bytes / 4096);
        // Without the policy the blocks are unmapped or trimmed on free: every page faults, every time.
        for (int round = 0; round < 3; ++round) QVERIFY(faultsOfOneLayer(bytes) > pages / 2);
        QVERIFY(keepTensorMemoryInHeap());
        (void)faultsOfOneLayer(bytes);  // the heap grows once
        const long again = faultsOfOneLayer(bytes);
        QVERIFY2(again < pages / 20, qPrintable(QString("%1 page faults for a reused block of %2 pages").arg(again).arg(pages)));
    }
};

QTEST_APPLESS_MAIN(TestRuntimeHeapPolicy)
#include "test_runtime_heap_policy.moc"
