// safetensors: header length, JSON header, dtypes, shapes, offsets (core/io/SafetensorsFile.cpp).
#include "FuzzInput.h"

#include <ATen/ATen.h>

#include "core/Error.h"
#include "core/io/SafetensorsFile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ssmlens::fuzz::MemoryFile file(data, size);
    try {
        ssmlens::SafetensorsFile st(file.path());
        for (const std::string& name : st.names()) {
            at::Tensor t = st.tensor(name);
            if (t.numel() > 0) (void)t.sum().item<double>();  // touches every byte the header promised
        }
    } catch (const ssmlens::Error&) {
    }
    return 0;
}
