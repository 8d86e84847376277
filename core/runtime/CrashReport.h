#pragma once
// A last word when a program crashes: on SIGSEGV, SIGBUS, SIGFPE, SIGILL or SIGABRT, prints the signal and
// a backtrace (function names when the program exports its symbols: ENABLE_EXPORTS) to stderr, then dies of
// the same signal. A crash in a long run (training, an eval) then says where, not only "Segmentation fault".
// The report reads "PROGRAM: crashed (SIGSEGV, segmentation fault). Backtrace:" and the frames.
namespace ssmlens {

void installCrashReport(const char* programName);

}  // namespace ssmlens
