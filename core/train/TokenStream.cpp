#include "core/train/TokenStream.h"

#include <algorithm>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "core/Error.h"
#include "core/io/NpyFile.h"

namespace ssmlens {

TokenStream::TokenStream(at::Tensor ids) : ids_(ids.to(at::kCPU).contiguous()) {
    if (ids_.dim() != 1 || at::isFloatingType(ids_.scalar_type()))
        throw Error("a token stream is a 1-D array of integer ids");
    if (ids_.numel() < 2) throw Error("a token stream needs at least two tokens");
}

TokenStream TokenStream::load(const std::string& path) {
    at::Tensor ids = readNpy(path);
    if (ids.dim() != 1 || at::isFloatingType(ids.scalar_type()))
        throw Error(path + ": expected a 1-D array of integer token ids");
    if (ids.numel() < 2) throw Error(path + ": holds fewer than two tokens");
    if (ids.min().item<int64_t>() < 0) throw Error(path + ": holds negative token ids");
    return TokenStream(ids);
}

int64_t TokenStream::maxId() const { return ids_.max().item<int64_t>(); }

at::Tensor TokenStream::batch(int64_t step, int64_t batchSize, int64_t length, uint64_t seed) const {
    const int64_t span = length + 1;
    if (span > size()) throw Error("the token stream (" + std::to_string(size()) + " tokens) is shorter than one window");
    // A separate generator per step: the offsets depend on (seed, step) only.
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed * 1000003ULL + static_cast<uint64_t>(step));
    at::Tensor starts = at::randint(size() - span + 1, {batchSize, 1}, gen, at::TensorOptions().dtype(at::kLong));
    at::Tensor index = starts + at::arange(span, at::kLong).unsqueeze(0);
    return ids_.index_select(0, index.view(-1)).view({batchSize, span}).to(at::kLong);
}

int64_t TokenStream::windowCount(int64_t length) const {
    if (length < 1) throw Error("a window must hold at least one token (got " + std::to_string(length) + ")");
    return (size() - 1) / length;
}

at::Tensor TokenStream::windows(int64_t first, int64_t count, int64_t length) const {
    count = std::min(count, windowCount(length) - first);
    if (count <= 0) throw Error("no evaluation windows of " + std::to_string(length) + " tokens left");
    at::Tensor index = (at::arange(first, first + count, at::kLong) * length).unsqueeze(1) +
                       at::arange(length + 1, at::kLong).unsqueeze(0);
    return ids_.index_select(0, index.view(-1)).view({count, length + 1}).to(at::kLong);
}

}  // namespace ssmlens
