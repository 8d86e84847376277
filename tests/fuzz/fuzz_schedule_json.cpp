// A reduction schedule file (core/reduction/ReductionSchedule.cpp), checked against a model's depth as the
// CLI and the window do.
#include "FuzzInput.h"

#include "core/Error.h"
#include "core/reduction/FlopsModel.h"
#include "core/reduction/ReductionSchedule.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ssmlens::fuzz::MemoryFile file(data, size);
    try {
        ssmlens::ReductionSchedule s = ssmlens::ReductionSchedule::load(file.path());
        s.validate(24, file.path());
        (void)ssmlens::scheduleFlops(ssmlens::namedMamba2Config("130m"), s, 257);
    } catch (const ssmlens::Error&) {
    }
    return 0;
}
