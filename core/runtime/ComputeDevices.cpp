#include "core/runtime/ComputeDevices.h"

#include <sched.h>

#include <cstdlib>
#include <thread>

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#ifdef SSMLENS_TORCH_HAS_CUDA
#include <cuda_runtime_api.h>
#endif

namespace ssmlens {

int cpuThreads() { return at::get_num_threads(); }

std::vector<std::string> cudaDeviceNames() {
    std::vector<std::string> names;
    const size_t gpus = at::hasCUDA() ? at::getNumGPUs() : 0;
    for (size_t i = 0; i < gpus; ++i) {
        std::string name = "cuda:" + std::to_string(i);
#ifdef SSMLENS_TORCH_HAS_CUDA
        cudaDeviceProp prop{};
        if (cudaGetDeviceProperties(&prop, static_cast<int>(i)) == cudaSuccess) name = prop.name;
#endif
        names.push_back(name);
    }
    return names;
}

int defaultCpuThreads() {
    if (const char* env = std::getenv("OMP_NUM_THREADS")) {
        const int n = std::atoi(env);
        if (n > 0) return n;
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
    return std::max(1u, std::thread::hardware_concurrency());
}

void useAllCores() { at::set_num_threads(defaultCpuThreads()); }

}  // namespace ssmlens
