#pragma once
// libgomp's worker threads spin between parallel regions by default. On small machines (2 vCPUs, where
// another process or the GUI thread needs a core) the spinning threads steal the core the next operator
// needs, and a 130m forward pass on 256 tokens runs 2x slower (measured: 1.95 s vs 0.95 s, docs/results/benchmarks-history.md).
// libgomp reads OMP_WAIT_POLICY only when it is loaded, before main, so the program re-executes itself
// once with OMP_WAIT_POLICY=PASSIVE set, unless the user chose a policy.
namespace ssmlens {

// Call first thing in main(). Returns normally when nothing needs doing or when exec fails.
void ensurePassiveThreadWaiting(char** argv);

}  // namespace ssmlens
