#include "core/runtime/MemoryBudget.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/Error.h"
#include "core/io/InputFile.h"
#include "core/model/SsdScan.h"

#ifdef SSMLENS_TORCH_HAS_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAGuard.h>
#include <cuda_runtime_api.h>
#endif

namespace ssmlens {
namespace {

// "MemAvailable:  12345678 kB" from /proc/meminfo, in bytes; UINT64_MAX when absent.
uint64_t memAvailable() {
    std::ifstream in("/proc/meminfo");
    std::string key;
    uint64_t kb = 0;
    std::string unit;
    while (in >> key >> kb >> unit)
        if (key == "MemAvailable:") return kb * 1024;
    return std::numeric_limits<uint64_t>::max();
}

// A container's limit (cgroup v2): memory.max - memory.current; UINT64_MAX without a limit.
uint64_t cgroupHeadroom() {
    std::ifstream maxIn("/sys/fs/cgroup/memory.max"), currentIn("/sys/fs/cgroup/memory.current");
    std::string maxText;
    uint64_t current = 0;
    if (!(maxIn >> maxText) || maxText == "max" || !(currentIn >> current)) return std::numeric_limits<uint64_t>::max();
    try {
        const uint64_t limit = std::stoull(maxText);
        return limit > current ? limit - current : 0;
    } catch (const std::exception&) {
        return std::numeric_limits<uint64_t>::max();
    }
}

// What the process may still map under its own limits (ulimit -d / -v), from /proc/self/statm's sizes;
// UINT64_MAX when unlimited.
uint64_t rlimitHeadroom() {
    uint64_t headroom = std::numeric_limits<uint64_t>::max();
    std::ifstream statm("/proc/self/statm");
    uint64_t size = 0, resident = 0, shared = 0, text = 0, lib = 0, data = 0;
    if (!(statm >> size >> resident >> shared >> text >> lib >> data)) return headroom;
    const uint64_t page = uint64_t(::sysconf(_SC_PAGESIZE));
    for (const auto& [resource, used] : {std::pair<int, uint64_t>{RLIMIT_DATA, data * page},
                                         std::pair<int, uint64_t>{RLIMIT_AS, size * page}}) {
        rlimit limit {};
        if (::getrlimit(resource, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
            headroom = std::min<uint64_t>(headroom, limit.rlim_cur > used ? limit.rlim_cur - used : 0);
    }
    return headroom;
}

constexpr uint64_t kAlwaysFitsBytes = uint64_t(256) << 20;

uint64_t saturatingProduct(std::initializer_list<uint64_t> factors) {
    unsigned __int128 p = 1;
    for (uint64_t f : factors) {
        p *= f;
        if (p > std::numeric_limits<uint64_t>::max()) return std::numeric_limits<uint64_t>::max();
    }
    return uint64_t(p);
}

}  // namespace

PrefillFootprint estimatePrefill(const Mamba2Config& c, const PrefillShape& s, at::ScalarType dtype,
                                 const c10::Device& device) {
    const uint64_t B = uint64_t(std::max<int64_t>(s.batch, 1)), L = uint64_t(std::max<int64_t>(s.length, 1));
    const uint64_t H = uint64_t(c.nHeads()), P = uint64_t(c.headdim), N = uint64_t(c.dState);
    const uint64_t Q = uint64_t(device.is_cpu() ? std::min<int64_t>(c.chunkSize, kCpuChunk) : c.chunkSize);
    const uint64_t es = c10::elementSize(dtype), f32 = 4;
    // Bytes per token of one layer at its peak (Mamba2Mixer.cpp, SsdScan.cpp): the in-projection and conv
    // outputs in the model dtype, the scan's fp32 chunk matrices (decay kernel, C B^T, scores: ~3 of
    // [H, Q] per token), its fp32 x, y and partial outputs (~6 of [H*P]), the chunk states ([H, P, N] per Q
    // tokens, twice), and the fp32 residual and hidden streams with their norms (~4 of [d]).
    const uint64_t perToken = es * uint64_t(c.inProjDim() + c.convDim()) * 2 + f32 * 3 * H * Q + f32 * 6 * H * P +
                              f32 * 2 * H * P * N / std::max<uint64_t>(Q, 1) + f32 * 4 * uint64_t(c.dModel);
    PrefillFootprint f;
    f.activations = saturatingProduct({B, L, perToken, s.keepsGradients ? uint64_t(c.nLayer) : 1});
    // The head computes logits in the model dtype, then an fp32 copy (and a log-softmax when scoring).
    f.logits = s.noLogits ? 0 : saturatingProduct({B, s.allPositionLogits ? L : 1, uint64_t(c.vocabSize), f32 + es});
    // TokenReducer: an [L/2, L/2] fp32 similarity per sequence, and its row maxima / a copy while matching.
    if (s.tokenReduction) f.similarity = saturatingProduct({B, (L + 1) / 2, (L + 1) / 2, f32 * 2});
    return f;
}

uint64_t availableMemory(const c10::Device& device) {
    if (device.is_cpu()) return std::min({memAvailable(), cgroupHeadroom(), rlimitHeadroom()});
#ifdef SSMLENS_TORCH_HAS_CUDA
    if (device.is_cuda()) {
        const c10::DeviceIndex index = device.has_index() ? device.index() : 0;
        c10::cuda::CUDAGuard guard(index);
        size_t free = 0, total = 0;
        if (cudaMemGetInfo(&free, &total) != cudaSuccess) {
            (void)cudaGetLastError();
            return std::numeric_limits<uint64_t>::max();
        }
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(index);
        const int64_t cachedUnused = stats.reserved_bytes[0].current - stats.allocated_bytes[0].current;
        return uint64_t(free) + uint64_t(std::max<int64_t>(cachedUnused, 0));
    }
#endif
    return std::numeric_limits<uint64_t>::max();
}

void requirePrefillFits(const Mamba2Config& config, const PrefillShape& shape, at::ScalarType dtype,
                        const c10::Device& device) {
    // Asking the system costs tens of microseconds (/proc/meminfo, the CUDA driver); a small prefill is not
    // worth it: if even that fails, the allocation error is still an error, not a crash.
    if (estimatePrefill(config, shape, dtype, device).total() <= kAlwaysFitsBytes) return;
    requirePrefillFits(config, shape, dtype, device, availableMemory(device));
}

void requirePrefillFits(const Mamba2Config& config, const PrefillShape& shape, at::ScalarType dtype,
                        const c10::Device& device, uint64_t available) {
    const PrefillFootprint f = estimatePrefill(config, shape, dtype, device);
    if (f.total() <= available) return;
    std::ostringstream m;
    m << (shape.batch > 1 ? "a batch of " + std::to_string(shape.batch) + " sequences of " : "the prompt has ")
      << shape.length << " tokens: running it needs about " << byteCountText(f.total()) << " (";
    std::string parts;
    if (f.logits > f.total() / 10)
        parts += (shape.allPositionLogits ? "logits of every position " : "logits ") + byteCountText(f.logits);
    if (f.similarity > f.total() / 10)
        parts += (parts.empty() ? "" : ", ") + std::string("token similarities ") + byteCountText(f.similarity);
    parts += (parts.empty() ? "" : ", ") + std::string("activations ") + byteCountText(f.activations);
    m << parts << ") but " << byteCountText(available) << " are free on " << device.str()
      << "; use a shorter prompt" << (shape.allPositionLogits ? ", or ask for the last position's logits only" : "");
    throw Error(m.str());
}

void requireParametersFit(const Mamba2Config& config, int copies, const c10::Device& device, const std::string& what) {
    const uint64_t need = saturatingProduct({uint64_t(config.parameterCount()), 4, uint64_t(std::max(copies, 1))});
    if (need <= kAlwaysFitsBytes) return;
    const uint64_t available = availableMemory(device);
    if (need <= available) return;
    throw Error(what + ": " + std::to_string(config.parameterCount()) + " parameters need about " + byteCountText(need) +
                " here but " + byteCountText(available) + " are free on " + device.str() + "; choose a smaller shape");
}

}  // namespace ssmlens
