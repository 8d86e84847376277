// The benchmark files as distributed (core/eval/*Reader.cpp): the first byte picks the format, the rest is
// the file.
#include "FuzzInput.h"

#include "core/Error.h"
#include "core/eval/TaskReaders.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    ssmlens::fuzz::MemoryFile file(data + 1, size - 1);
    try {
        switch (data[0] % 6) {
            case 0: (void)ssmlens::readLambada(file.path()); break;
            case 1: (void)ssmlens::readPiqa(file.path(), ""); break;
            case 2: (void)ssmlens::readHellaswag(file.path()); break;
            case 3: (void)ssmlens::readArc(file.path(), "arc_easy"); break;
            case 4: (void)ssmlens::readArc(file.path(), "arc_challenge"); break;
            default: (void)ssmlens::readWinogrande(file.path()); break;
        }
    } catch (const ssmlens::Error&) {
    }
    return 0;
}
