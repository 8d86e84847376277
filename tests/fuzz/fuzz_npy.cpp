// NumPy .npy files: the header dict, the shape against the bytes present (core/io/NpyFile.cpp).
#include "FuzzInput.h"

#include <ATen/ATen.h>

#include "core/Error.h"
#include "core/io/NpyFile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ssmlens::fuzz::MemoryFile file(data, size);
    try {
        at::Tensor t = ssmlens::readNpy(file.path());
        if (t.numel() > 0) (void)t.sum().item<double>();
    } catch (const ssmlens::Error&) {
    }
    return 0;
}
