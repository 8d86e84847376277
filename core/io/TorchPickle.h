#pragma once
// The pickle inside a torch.save archive (data.pkl), read by our own small interpreter instead of
// libtorch's unpickler, which trusts its input (a 4-byte pickle with REDUCE on an empty stack crashes it).
// Only what a state dict needs is understood: dicts and OrderedDicts, tuples, lists, strings, numbers, the
// storages torch.save refers to by persistent id, and the calls that rebuild tensors
// (torch._utils._rebuild_tensor_v2 / _rebuild_tensor / _rebuild_parameter) and collections.OrderedDict.
// Any other call (os.system, eval, builtins...) is refused by name; every length is checked against the
// bytes left, the stack and memo against misuse, and nesting is bounded.
#include <cstdint>
#include <string>
#include <vector>

#include <c10/core/ScalarType.h>

namespace ssmlens {

// One tensor as the pickle describes it: a view into a storage, the storage a record of the archive.
struct TorchTensorRecord {
    std::string storageKey;     // the archive record "<prefix>/data/<storageKey>"
    at::ScalarType dtype = at::kFloat;
    int64_t storageNumel = 0;   // elements of the storage, as the pickle states
    int64_t storageOffset = 0;  // in elements
    std::vector<int64_t> sizes, strides;
};

struct TorchStateDictEntry {
    std::string name;
    TorchTensorRecord tensor;
};

// Interprets `bytes` (data.pkl). Returns the tensors of the top-level dict in file order; entries that are
// not tensors (e.g. _metadata) are skipped. Throws ssmlens::Error "<source>: ..." naming the problem.
std::vector<TorchStateDictEntry> readTorchStateDictPickle(const unsigned char* bytes, uint64_t size,
                                                           const std::string& source);

}  // namespace ssmlens
