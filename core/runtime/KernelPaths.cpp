#include "core/runtime/KernelPaths.h"

#include <cstdlib>
#include <cstring>

#include "core/Error.h"

namespace ssmlens {
namespace {

KernelPaths gDefault;                                // set by the front ends before they start engine threads
thread_local const KernelPaths* tInEffect = nullptr;  // the innermost ScopedKernelPaths of this thread

bool environmentSays(const char* name, const char* value) {
    const char* v = std::getenv(name);
    return v && std::strcmp(v, value) == 0;
}

}  // namespace

std::string bestMatchProductsName(BestMatchProducts products) {
    switch (products) {
        case BestMatchProducts::BySize: return "by-size";
        case BestMatchProducts::Cublas: return "cublas";
        case BestMatchProducts::Kernels: return "kernels";
    }
    return "by-size";
}

BestMatchProducts parseBestMatchProducts(const std::string& name) {
    for (BestMatchProducts p : {BestMatchProducts::BySize, BestMatchProducts::Cublas, BestMatchProducts::Kernels})
        if (name == bestMatchProductsName(p)) return p;
    throw Error("unknown best-match products path \"" + name + "\" (use by-size, cublas or kernels)");
}

std::string ssdScanKernelName(SsdScanKernel kernel) {
    switch (kernel) {
        case SsdScanKernel::Auto: return "auto";
        case SsdScanKernel::Parallel: return "parallel";
        case SsdScanKernel::Serial: return "serial";
    }
    return "auto";
}

SsdScanKernel parseSsdScanKernel(const std::string& name) {
    for (SsdScanKernel k : {SsdScanKernel::Auto, SsdScanKernel::Parallel, SsdScanKernel::Serial})
        if (name == ssdScanKernelName(k)) return k;
    throw Error("unknown scan kernel \"" + name + "\" (use auto, parallel or serial)");
}

KernelPaths KernelPaths::atenOnly() {
    KernelPaths p;
    p.cpuCausalConv = p.cudaKernels = p.tensorCoreScan = p.reductionKernels = false;
    return p;
}

bool KernelPaths::operator==(const KernelPaths& o) const {
    return cpuCausalConv == o.cpuCausalConv && cudaKernels == o.cudaKernels && tensorCoreScan == o.tensorCoreScan &&
           ssdScanKernel == o.ssdScanKernel &&
           reductionKernels == o.reductionKernels && bestMatchProducts == o.bestMatchProducts &&
           overlappedStepLaunches == o.overlappedStepLaunches &&
           overlappedLayerLaunches == o.overlappedLayerLaunches && stepNextNorm == o.stepNextNorm &&
           convWithTimeSteps == o.convWithTimeSteps;
}

const KernelPaths& kernelPaths() { return tInEffect ? *tInEffect : gDefault; }

void setDefaultKernelPaths(const KernelPaths& paths) { gDefault = paths; }

KernelPaths kernelPathsFromEnvironment() {
    KernelPaths p;
    p.cpuCausalConv = !environmentSays("SSMLENS_CPU_CONV", "aten");
    p.cudaKernels = !environmentSays("SSMLENS_FUSED_CUDA", "0");
    p.tensorCoreScan = !environmentSays("SSMLENS_FUSED_SSD", "0");
    if (environmentSays("SSMLENS_SSD_KERNEL", "parallel")) p.ssdScanKernel = SsdScanKernel::Parallel;
    if (environmentSays("SSMLENS_SSD_KERNEL", "serial")) p.ssdScanKernel = SsdScanKernel::Serial;
    p.reductionKernels = !environmentSays("SSMLENS_FUSED_REDUCTION", "0");
    p.overlappedStepLaunches = !environmentSays("SSMLENS_STEP_OVERLAP", "0");
    p.overlappedLayerLaunches = !environmentSays("SSMLENS_LAYER_OVERLAP", "0");
    p.stepNextNorm = !environmentSays("SSMLENS_STEP_NEXT_NORM", "0");
    p.convWithTimeSteps = !environmentSays("SSMLENS_CONV_TIME_STEPS", "0");
    return p;
}

ScopedKernelPaths::ScopedKernelPaths(const KernelPaths& paths) : paths_(paths), previous_(tInEffect) {
    tInEffect = &paths_;
}

ScopedKernelPaths::~ScopedKernelPaths() { tInEffect = previous_; }

}  // namespace ssmlens
