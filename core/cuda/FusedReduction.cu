// The token-reduction step on the GPU (FusedReduction.h): buffers, then the kernels of
// ReductionSelect.cu, ReductionMatch.cu and ReductionMerge.cu in order. Nothing here waits for the device:
// every size is known on the host (SequenceCounts).
#include "core/cuda/FusedReduction.h"

#include <algorithm>

#include <ATen/ops/empty.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include "core/cuda/FusedCommon.cuh"
#include "core/cuda/FusedKernels.h"
#include "core/cuda/ReductionKernels.cuh"

namespace ssmlens::fused {
namespace {

using namespace reduction;

StepRecipe stepRecipe(const ReductionRecipe& r) {
    StepRecipe s;
    s.split = r.split == SplitRule::ImportanceHalves     ? Split::ImportanceHalves
              : r.split == SplitRule::AlternatePositions ? Split::AlternatePositions
                                                         : Split::ImportanceOnly;
    s.metric = r.metric == ImportanceMetric::Clip ? Metric::Clip : r.metric == ImportanceMetric::Raw ? Metric::Raw : Metric::L2;
    s.hidden = r.hidden == HiddenStrategy::Hybrid ? HiddenMerge::Hybrid
               : r.hidden == HiddenStrategy::Merge ? HiddenMerge::Merge
                                                   : HiddenMerge::Prune;
    s.channelChoice = r.granularity == Granularity::Channel;
    s.mergeResidual = r.residual == ResidualStrategy::Merge;
    s.clippedFeatures = r.clippedFeatures;
    s.protectPositions = r.protectPositions;
    return s;
}

int largest(const std::vector<SequenceCounts>& counts, int64_t SequenceCounts::*field) {
    int64_t m = 0;
    for (const SequenceCounts& c : counts) m = std::max(m, c.*field);
    return static_cast<int>(m);
}

// Consecutive pieces of one allocation: fewer allocator calls per step (each costs host time).
class Arena {
public:
    Arena(at::ScalarType type, at::Device device) : type_(type), device_(device) {}
    int64_t reserve(int64_t n) {
        const int64_t at = size_;
        size_ += (n + 15) / 16 * 16;  // keep every piece 64-byte aligned for 4-byte types
        return at;
    }
    void allocate() { storage_ = at::empty({std::max<int64_t>(size_, 1)}, at::TensorOptions().dtype(type_).device(device_)); }
    at::Tensor piece(int64_t at, int64_t n) const { return storage_.narrow(0, at, n); }
    template <typename T>
    T* pointer(int64_t at) const {
        return reinterpret_cast<T*>(static_cast<char*>(storage_.data_ptr()) + at * storage_.element_size());
    }

private:
    at::ScalarType type_;
    at::Device device_;
    int64_t size_ = 0;
    at::Tensor storage_;
};

}  // namespace


bool fusedReductionSupported(const at::Tensor& hidden, const ReductionRecipe& recipe) {
    // utr-reference and positional have their own step (reduceTokensBatch never sends them here).
    if (recipe.referenceQuirks || recipe.split == SplitRule::OldestAfterFirst) return false;
    if (!fusedAvailable(hidden) || hidden.dim() != 3) return false;
    const auto t = hidden.scalar_type();
    return (t == at::kFloat || t == at::kBFloat16 || t == at::kHalf) && hidden.size(2) % 8 == 0 &&
           hidden.size(1) < (int64_t(1) << 31) / 2;
}

bool countsInArgumentsFit(int64_t sequences) { return sequences <= reduction::kCountsInArguments; }

// The widest rows on which the step takes over the next norm: narrow models, where it was measured to pay (device
// run 15, H100, docs/results/step-next-norm-h100-2026-12-07.md: the 130m's reduced pass at L 2048 0.02 ms faster
// as a graph, the launches of 7 norm kernels saved); the 2.7b (2560 channels) at L 2048 batch 8 was no faster
// (137.3 against 137.1 ms). The kernel itself takes rows up to kNextNormMaxChannels.
constexpr int64_t kNextNormWidestRows = 1024;

bool nextNormFusable(const at::Tensor& hidden, const at::Tensor& w) {
    const int64_t D = hidden.size(-1);
    static_assert(kNextNormWidestRows <= reduction::kNextNormMaxChannels, "rows mergeCompact normalizes in one pass");
    return w.defined() && w.device() == hidden.device() && w.scalar_type() == hidden.scalar_type() &&
           w.is_contiguous() && w.numel() == D && D % 8 == 0 && D <= kNextNormWidestRows &&
           reinterpret_cast<uintptr_t>(w.data_ptr()) % 16 == 0;
}

ReductionKernelResult reduceTokensWithKernels(const at::Tensor& hiddenIn, const at::Tensor& residualIn,
                                              const at::Tensor& sizesIn, const at::Tensor& protectIn,
                                              const std::vector<SequenceCounts>& counts,
                                              const at::Tensor& countsOnDevice, const ReductionRecipe& recipe,
                                              BestMatchProducts products, bool overlapLaunches,
                                              const at::Tensor& nextNormWeight, double nextNormEps) {
    c10::cuda::CUDAGuard guard(hiddenIn.device());
    const at::Tensor h = hiddenIn.contiguous(), r = residualIn.to(at::kFloat).contiguous();
    const at::Tensor sizes = sizesIn.to(at::kFloat).contiguous(), protect = protectIn.to(at::kBool).contiguous();
    const int64_t B = h.size(0), M = h.size(1), D = h.size(2);
    TORCH_CHECK(r.sizes() == h.sizes() && sizes.size(0) == B && sizes.size(1) == M && protect.sizes() == sizes.sizes(),
                "token reduction kernels: streams of different shapes");
    // The counts in the first kernel's arguments where the batch is small enough and they are not on the device.
    const bool countsInArguments = !countsOnDevice.defined();
    TORCH_CHECK(static_cast<int64_t>(counts.size()) == B &&
                    (countsInArguments ? B <= kCountsInArguments
                                       : countsOnDevice.is_contiguous() &&
                                             countsOnDevice.numel() == B * kSequenceCountFields &&
                                             countsOnDevice.scalar_type() == at::kLong),
                "token reduction kernels: counts for ", counts.size(), " sequences, ", B, " in the batch");
    TORCH_CHECK(reinterpret_cast<uintptr_t>(h.data_ptr()) % 16 == 0 && reinterpret_cast<uintptr_t>(r.data_ptr()) % 16 == 0,
                "token reduction kernels: streams not 16-byte aligned");
    const StepRecipe rc = stepRecipe(recipe);
    int64_t totalRemoved = 0;
    bool anyMatching = false;
    for (const SequenceCounts& c : counts) {
        totalRemoved += c.removeCount;
        anyMatching = anyMatching || (c.nA > 0 && c.nB > 0);
    }
    anyMatching = anyMatching && rc.split != Split::ImportanceOnly;

    StepShape s;
    s.B = static_cast<int>(B);
    s.M = static_cast<int>(M);
    s.D = static_cast<int>(D);
    s.M2 = largest(counts, &SequenceCounts::outLength);
    s.nAmax = rc.split == Split::ImportanceOnly ? 0 : largest(counts, &SequenceCounts::nA);
    s.nBmax = rc.split == Split::ImportanceOnly ? 0 : largest(counts, &SequenceCounts::nB);
    s.kmax = rc.split == Split::ImportanceOnly ? 0 : largest(counts, &SequenceCounts::removeCount);
    const int64_t rowsIn = B * M, rowsOut = B * s.M2;

    // Four allocations: 32-bit ints, floats, 64-bit ints and bytes.
    Arena ints(at::kInt, h.device()), floats(at::kFloat, h.device()), longs(at::kLong, h.device()),
        bytes(at::kBool, h.device());
    const int64_t oRankKey = ints.reserve(rowsIn), oASlot = ints.reserve(rowsIn),
                  oGroupCount = ints.reserve(rowsIn), oGroupEnd = ints.reserve(rowsIn),
                  oGroupStart = ints.reserve(rowsIn), oMemberGroup = ints.reserve(2 * B * s.kmax),
                  oAList = ints.reserve(B * s.nAmax), oBList = ints.reserve(B * s.nBmax),
                  oRemoved = ints.reserve(B * s.kmax),
                  oMembers = ints.reserve(B * s.kmax), oMergedCount = ints.reserve(B * s.kmax);
    const int64_t oImportance = floats.reserve(rowsIn), oInvNorm = floats.reserve(rowsIn),
                  oMemberSize = floats.reserve(B * s.kmax),
                  oCosine = floats.reserve(rowsIn), oMergedFraction = floats.reserve(rowsIn),
                  oSizesOut = floats.reserve(rowsOut);
    const int64_t oCounts = countsInArguments ? longs.reserve(B * kSequenceCountFields) : 0;
    const int64_t oBest = longs.reserve(rowsIn), oMatch = longs.reserve(rowsIn), oFate = longs.reserve(rowsIn),
                  oDestination = longs.reserve(rowsIn), oKept = longs.reserve(rowsOut);
    const bool channelChoice = rc.hidden == HiddenMerge::Hybrid && rc.channelChoice;
    const int64_t oInB = bytes.reserve(rowsIn), oRemovedFlag = bytes.reserve(rowsIn), oProtectOut = bytes.reserve(rowsOut),
                  oChosen = bytes.reserve(B * s.kmax * (channelChoice ? D : 1));
    for (Arena* a : {&ints, &floats, &longs, &bytes}) a->allocate();
    CountsInArguments inArguments;
    if (countsInArguments) {
        inArguments.dst = longs.pointer<SequenceCounts>(oCounts);  // written by rowStats
        s.counts = inArguments.dst;
        inArguments.n = static_cast<int>(B);
        std::copy(counts.begin(), counts.end(), inArguments.c);
    } else {
        s.counts = reinterpret_cast<const SequenceCounts*>(countsOnDevice.data_ptr<int64_t>());
    }

    StepBuffers buf;
    buf.rankKey = ints.pointer<uint32_t>(oRankKey);
    buf.aSlot = ints.pointer<int>(oASlot);
    buf.groupCount = ints.pointer<int>(oGroupCount);
    buf.groupEnd = ints.pointer<int>(oGroupEnd);
    buf.groupStart = ints.pointer<int>(oGroupStart);
    buf.memberGroup = ints.pointer<int2>(oMemberGroup);  // pieces are 64-byte aligned
    buf.aList = ints.pointer<int>(oAList);
    buf.bList = ints.pointer<int>(oBList);
    buf.removedList = ints.pointer<int>(oRemoved);
    buf.memberList = ints.pointer<int>(oMembers);
    buf.mergedCount = ints.pointer<int>(oMergedCount);
    buf.memberSize = floats.pointer<float>(oMemberSize);
    buf.importance = floats.pointer<float>(oImportance);
    buf.invNorm = floats.pointer<float>(oInvNorm);
    buf.cosine = floats.pointer<float>(oCosine);
    buf.mergedFraction = floats.pointer<float>(oMergedFraction);
    buf.best = longs.pointer<unsigned long long>(oBest);
    buf.match = longs.pointer<int64_t>(oMatch);
    buf.fate = longs.pointer<int64_t>(oFate);
    buf.destination = longs.pointer<int64_t>(oDestination);
    buf.kept = longs.pointer<int64_t>(oKept);
    buf.inB = bytes.pointer<bool>(oInB);
    buf.removed = bytes.pointer<uint8_t>(oRemovedFlag);
    buf.chosen = bytes.pointer<uint8_t>(oChosen);

    KernelLaunch how;
    how.stream = c10::cuda::getCurrentCUDAStream();
    how.overlap = overlapLaunches && deviceOverlapsLaunches();  // programmatic dependent launch
    // The first kernel follows whatever the caller queued (in a captured graph that may be a copy, not a kernel):
    // plain stream order. It lets the second start early all the same; every later one follows one of ours.
    KernelLaunch first = how;
    first.overlap = false;
    const bool* prot = protect.data_ptr<bool>();
    launchRowStats(h, prot, s, rc, anyMatching, buf, inArguments, first);
    launchSplit(prot, s, rc, buf, how);
    if (rc.split != Split::ImportanceOnly) {
        if (anyMatching) launchBestMatch(h, s, rc, buf, products, how);
        launchFinalize(sizes.data_ptr<float>(), s, rc, buf, how);
        if (totalRemoved > 0) launchMergeChoice(h, s, rc, buf, how);
    }

    ReductionKernelResult out;
    out.changed = totalRemoved > 0;
    out.importance = floats.piece(oImportance, rowsIn).view({B, M});
    out.inB = bytes.piece(oInB, rowsIn).view({B, M});
    out.match = longs.piece(oMatch, rowsIn).view({B, M});
    out.matchCosine = floats.piece(oCosine, rowsIn).view({B, M});
    out.fate = longs.piece(oFate, rowsIn).view({B, M});
    out.destination = longs.piece(oDestination, rowsIn).view({B, M});
    out.mergedFraction = floats.piece(oMergedFraction, rowsIn).view({B, M});
    if (totalRemoved == 0) return out;
    const bool fuseNorm = nextNormWeight.defined() && nextNormFusable(h, nextNormWeight);
    out.residual = at::empty({B, s.M2, D}, r.options());
    out.sizes = floats.piece(oSizesOut, rowsOut).view({B, s.M2});
    out.protect = bytes.piece(oProtectOut, rowsOut).view({B, s.M2});
    out.kept = longs.piece(oKept, rowsOut).view({B, s.M2});
    NextNormArgs next;
    if (fuseNorm) {
        out.normalized = at::empty({B, s.M2, D}, h.options());
        next.weight = nextNormWeight.data_ptr();
        next.out = out.normalized.data_ptr();
        next.eps = static_cast<float>(nextNormEps);
        next.sumThreads = detail::blockThreads(D);  // the block size addRmsNorm sums with (FusedNorms.cu)
    } else {
        out.hidden = at::empty({B, s.M2, D}, h.options());
    }
    launchMergeCompact(h, r, sizes.data_ptr<float>(), prot, s, rc, buf, out.hidden, out.residual, out.sizes, out.protect,
                       fuseNorm ? &next : nullptr, how);
    return out;
}

}  // namespace ssmlens::fused
