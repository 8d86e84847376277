// A whole pytorch_model.bin: the zip directory, the pickle, each tensor's extent in its storage
// (core/io/ZipArchive.cpp, core/io/TorchStateDictFile.cpp).
#include "FuzzInput.h"

#include <ATen/ATen.h>

#include "core/Error.h"
#include "core/io/TorchStateDictFile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ssmlens::fuzz::MemoryFile file(data, size);
    try {
        for (const auto& [name, t] : ssmlens::readTorchStateDict(file.path()))
            if (t.numel() > 0 && t.numel() < (1 << 20)) (void)t.contiguous().sum().item<double>();
    } catch (const ssmlens::Error&) {
    }
    return 0;
}
