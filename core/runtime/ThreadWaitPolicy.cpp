#include "core/runtime/ThreadWaitPolicy.h"

#include <unistd.h>

#include <cstdlib>

namespace ssmlens {

void ensurePassiveThreadWaiting(char** argv) {
    if (std::getenv("OMP_WAIT_POLICY")) return;  // the user's choice, or already re-executed
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    execv("/proc/self/exe", argv);
    // exec failed (no /proc?): carry on with the default policy; slower, but correct.
}

}  // namespace ssmlens
