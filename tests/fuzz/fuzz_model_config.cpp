// config.json of either layout (core/model/ModelConfig.cpp), read as a file, Python's bare Infinity included.
#include "FuzzInput.h"

#include "core/Error.h"
#include "core/model/ModelConfig.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ssmlens::fuzz::MemoryFile file(data, size);
    try {
        const ssmlens::Mamba2Config c = ssmlens::loadMamba2Config(file.path());
        (void)c.parameterCount();
        (void)c.summary();
    } catch (const ssmlens::Error&) {
    }
    return 0;
}
