// The pickle interpreter for torch.save's data.pkl (core/io/TorchPickle.cpp), on raw pickle bytes.
#include <cstdint>
#include <cstddef>

#include "core/Error.h"
#include "core/io/TorchPickle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        (void)ssmlens::readTorchStateDictPickle(data, size, "data.pkl");
    } catch (const ssmlens::Error&) {
    }
    return 0;
}
