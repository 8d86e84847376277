// An eval result file, as merge-results and sessions read it (core/eval/EvalResultJson.cpp).
#include "FuzzInput.h"

#include "core/Error.h"
#include "core/eval/EvalResultJson.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ssmlens::fuzz::MemoryFile file(data, size);
    try {
        (void)ssmlens::loadEvalResult(file.path());
    } catch (const ssmlens::Error&) {
    }
    return 0;
}
