#include "core/runtime/CrashReport.h"

#include <csignal>
#include <cstring>

#if defined(__GLIBC__)
#include <execinfo.h>
#include <unistd.h>
#endif

namespace ssmlens {
namespace {

const char* gProgram = "program";

// The signals installCrashReport handles, named from string literals: strsignal() may format into a static
// buffer and consult the locale, which a signal handler must not do.
const char* crashSignalName(int sig) {
    switch (sig) {
        case SIGSEGV: return "SIGSEGV, segmentation fault";
        case SIGBUS: return "SIGBUS, bus error";
        case SIGFPE: return "SIGFPE, arithmetic exception";
        case SIGILL: return "SIGILL, illegal instruction";
        case SIGABRT: return "SIGABRT, aborted";
        default: return "signal";
    }
}

void onCrash(int sig) {
#if defined(__GLIBC__)
    // Only async-signal-safe calls here (write, strlen, signal, raise), and backtrace, whose one allocation
    // (loading libgcc) installCrashReport has made already.
    auto say = [](const char* s) { (void)!write(STDERR_FILENO, s, std::strlen(s)); };
    say("\n");
    say(gProgram);
    say(": crashed (");
    say(crashSignalName(sig));
    say("). Backtrace:\n");
    void* frames[64];
    const int n = backtrace(frames, 64);
    backtrace_symbols_fd(frames, n, STDERR_FILENO);
#endif
    // Die of the same signal, so the parent process (a shell, CTest) sees what happened.
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

}  // namespace

void installCrashReport(const char* programName) {
    gProgram = programName;
#if defined(__GLIBC__)
    void* warmUp[1];
    backtrace(warmUp, 1);  // loads libgcc now: the first call may allocate, which a signal handler must not
#endif
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(sig, onCrash);
}

}  // namespace ssmlens
