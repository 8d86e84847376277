#pragma once
// KernelPaths: which hand-written kernels the engine runs where it has a choice of two code paths that compute
// the same thing (docs/benchmarks.md compares them). A user gets the defaults, every kernel on; benchmarks and
// checks run both paths in one process by putting other paths in effect for a scope:
//
//     {
//         ScopedKernelPaths aten(KernelPaths::atenOnly());      // this thread, until the end of the scope
//         ... time or compare the ATen path ...
//     }                                                        // the paths before it are back, also on throw
//
// The paths in effect on a thread: its innermost ScopedKernelPaths, else the process default, which the front
// ends (ssmlens-cli, ssmlens) set once at start from the environment (kernelPathsFromEnvironment). Nothing here
// is read at static initialisation, and no setter flips a switch that someone must remember to reset.
// Plain C++ (no torch), so that the CUDA sources include it too.
#include <string>

namespace ssmlens {

// Where the reduction kernels' best-match products run (core/cuda/ReductionMatch.cu): large ones on cuBLAS and
// small ones on the hand-written kernels (BySize, the default), or all on one of them.
enum class BestMatchProducts { BySize, Cublas, Kernels };
// "by-size", "cublas", "kernels"; parseBestMatchProducts throws ssmlens::Error naming the value otherwise.
std::string bestMatchProductsName(BestMatchProducts products);
BestMatchProducts parseBestMatchProducts(const std::string& name);

// Which tensor-core prefill scan runs (core/cuda/FusedSsd.cu): the chunk-parallel kernels, the chunk-serial
// kernel (core/cuda/SerialSsd.cu), or the one expected to be faster for the shape (Auto, the default).
enum class SsdScanKernel { Auto, Parallel, Serial };
// "auto", "parallel", "serial"; parseSsdScanKernel throws ssmlens::Error naming the value otherwise.
std::string ssdScanKernelName(SsdScanKernel kernel);
SsdScanKernel parseSsdScanKernel(const std::string& name);

struct KernelPaths {
    // CPU, fp32 outside autograd: the hand-written causal conv loop (core/model/CausalConv.h); false: ATen's
    // conv1d. Environment: SSMLENS_CPU_CONV=aten.
    bool cpuCausalConv = true;
    // CUDA builds: every kernel of core/cuda (the fused forward kernels, and the two below); false: the ATen
    // operators for all of them. Environment: SSMLENS_FUSED_CUDA=0.
    bool cudaKernels = true;
    // CUDA builds, bf16 / fp16 models: the tensor-core prefill scan (core/cuda/FusedSsd.cu); false: the ATen
    // chunked scan. Environment: SSMLENS_FUSED_SSD=0.
    bool tensorCoreScan = true;
    // Which of the tensor-core scans. Environment: SSMLENS_SSD_KERNEL=parallel or serial.
    SsdScanKernel ssdScanKernel = SsdScanKernel::Auto;
    // CUDA builds: the token-reduction step's kernels (core/cuda/FusedReduction.h); false: the ATen batch step.
    // Environment: SSMLENS_FUSED_REDUCTION=0.
    bool reductionKernels = true;
    BestMatchProducts bestMatchProducts = BestMatchProducts::BySize;
    // CUDA builds, compute capability 9 and more: the reduction step's kernels launched overlapped (programmatic
    // dependent launch: each kernel's blocks scheduled while the one before finishes, which hides the launch gap
    // between the step's small kernels); false: plain stream order. The same results either way.
    // Environment: SSMLENS_STEP_OVERLAP=0.
    bool overlappedStepLaunches = true;
    // CUDA builds, compute capability 9 and more: the forward pass's own kernels (conv, time steps, scan, norms)
    // launched overlapped with the kernel before them, as the step's are (core/cuda/LaunchOverlap.cuh); false:
    // plain stream order. The same results either way. Environment: SSMLENS_LAYER_OVERLAP=0.
    bool overlappedLayerLaunches = true;
    // CUDA builds: the reduction step also computes the next layer's input (the residual add and RMSNorm that
    // layer would start with) in its last kernel, one kernel fewer per anchor (models of up to 1024 channels,
    // core/cuda/FusedReduction.h: nextNormFusable); false: the step hands on the
    // merged hidden and residual streams and the next layer adds and normalizes them. The same results either
    // way (core/cuda/ReductionMerge.cu). Environment: SSMLENS_STEP_NEXT_NORM=0.
    bool stepNextNorm = true;
    // CUDA builds: the mixer's time steps (dt, A) computed by the causal conv's kernel, one launch fewer per layer
    // (core/cuda/FusedMixer.cu: where the conv takes its channel-pair kernel); false: the time-step kernel of their
    // own. The same results either way. Environment: SSMLENS_CONV_TIME_STEPS=0.
    bool convWithTimeSteps = true;

    // Every hand-written path off: ATen operators only (what the kernels are checked against).
    static KernelPaths atenOnly();
    bool operator==(const KernelPaths& o) const;
    bool operator!=(const KernelPaths& o) const { return !(*this == o); }
};

// The paths in effect on the calling thread.
const KernelPaths& kernelPaths();

// The process default (for threads without a ScopedKernelPaths). Front ends call it once at start, before
// they start threads that run the engine.
void setDefaultKernelPaths(const KernelPaths& paths);
// The defaults, changed by the environment variables named above (other values of them are ignored).
KernelPaths kernelPathsFromEnvironment();

// Puts `paths` in effect on this thread for the guard's lifetime; the destructor restores the paths that were
// in effect before. Guards nest (destroy them in reverse order, as scopes do).
class ScopedKernelPaths {
public:
    explicit ScopedKernelPaths(const KernelPaths& paths);
    ~ScopedKernelPaths();
    ScopedKernelPaths(const ScopedKernelPaths&) = delete;
    ScopedKernelPaths& operator=(const ScopedKernelPaths&) = delete;

private:
    KernelPaths paths_;
    const KernelPaths* previous_;
};

}  // namespace ssmlens
