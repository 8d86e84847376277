#include "core/runtime/HeapPolicy.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ssmlens {

bool keepTensorMemoryInHeap() {
#if defined(__GLIBC__)
    // 32 MiB is the largest mmap threshold glibc accepts on 64-bit systems (half its heap size); setting any
    // of the three also stops glibc from adjusting them itself.
    const bool mmap = mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1;
    const bool trim = mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1;
    const bool pad = mallopt(M_TOP_PAD, 64 << 20) == 1;  // grow the heap in steps of 64 MiB, fewer system calls
    return mmap && trim && pad;
#else
    return false;
#endif
}

}  // namespace ssmlens
