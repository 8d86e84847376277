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

void onCrash(int sig) {
#if defined(__GLIBC__)
    // Only async-signal-safe calls here: write() and backtrace_symbols_fd().
    const char* name = strsignal(sig);
    auto say = [](const char* s) { (void)!write(STDERR_FILENO, s, std::strlen(s)); };
    say("\n");
    say(gProgram);
    say(": crashed (");
    say(name ? name : "signal");
    say("). Backtrace:\n");
    void* frames[64];
    const int n = backtrace(frames, 64);
    backtrace_symbols_fd(frames, n, STDERR_FILENO);
#endif
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
