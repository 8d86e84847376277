#pragma once
// What this process can compute on, for the window's device list and About box: CPU threads and CUDA
// devices. A torch-free header (the definitions use ATen), so the window's panels need no engine headers.
#include <string>
#include <vector>

namespace ssmlens {

int cpuThreads();                            // the intra-op threads ATen uses now
std::vector<std::string> cudaDeviceNames();  // one per visible CUDA device; empty without CUDA

// The threads a CPU run should use: OMP_NUM_THREADS when the user set it, else every core this process may
// run on (its CPU affinity). Applied once at start (useAllCores) so a plain launch uses the whole machine.
int defaultCpuThreads();
void useAllCores();

}  // namespace ssmlens
