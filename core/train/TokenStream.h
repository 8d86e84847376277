#pragma once
// TokenStream: a tokenized corpus — one long sequence of ids, documents separated by the EOS id — cut into
// training windows. The windows of step s come from a generator seeded with (seed, s), so a run resumed
// from a checkpoint sees exactly the batches an uninterrupted run would have seen.
#include <cstdint>
#include <string>

#include <ATen/core/Tensor.h>

namespace ssmlens {

class TokenStream {
public:
    explicit TokenStream(at::Tensor ids);  // 1-D integer tensor (kept as it is: int16 saves memory)
    // An .npy of int16, int32 or int64 ids (as `ssmlens-cli encode-corpus` writes). Throws ssmlens::Error
    // naming the file when it is not a 1-D integer array or is shorter than two tokens.
    static TokenStream load(const std::string& npyPath);

    int64_t size() const { return ids_.numel(); }
    int64_t maxId() const;

    // [batch, length + 1] int64: windows starting at random offsets (inputs are [:, :-1], targets [:, 1:]).
    at::Tensor batch(int64_t step, int64_t batchSize, int64_t length, uint64_t seed) const;
    // Non-overlapping consecutive windows for evaluation: [count, length + 1] int64, window i starting at
    // i * length. count is cut to windowCount(length).
    at::Tensor windows(int64_t first, int64_t count, int64_t length) const;
    int64_t windowCount(int64_t length) const;

private:
    at::Tensor ids_;
};

}  // namespace ssmlens
