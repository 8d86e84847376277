#pragma once
// The counts of one reduction step that the host knows before the step runs, per sequence of the batch. The
// host works them out (reduceTokensBatch, core/reduction/TokenReducer.cpp) and copies them to the device once,
// as an array of SequenceCounts; the ATen step and the CUDA kernels (core/cuda/ReductionKernels.cuh) both read
// them there by field name, so this struct is the one definition of that layout. Plain C++ (no torch), so the
// CUDA sources include it.
#include <cstdint>

namespace ssmlens {

struct SequenceCounts {
    int64_t length = 0;       // valid rows (the rest of the batch's M rows are padding)
    int64_t keep = 0;         // tokens the keep ratio keeps: max(ceil(q length), protected tokens)
    int64_t nB = 0;           // the destination set B (protected tokens included)
    int64_t nA = 0;           // the candidate set A: length - nB
    int64_t removeCount = 0;  // tokens this step removes
    int64_t outLength = 0;    // rows after the step: length - removeCount
};

// On the device the array is one int64 tensor [B, kSequenceCountFields], bytes as in host memory: a field's
// column is its offset / 8.
inline constexpr int64_t kSequenceCountFields = 6;
static_assert(sizeof(SequenceCounts) == kSequenceCountFields * sizeof(int64_t),
              "SequenceCounts is copied to the device as kSequenceCountFields int64 per sequence");

}  // namespace ssmlens
