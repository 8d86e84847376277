// A sweep's details file (sweep --details), as merge-results reads the shards' files and merges them
// (core/eval/SweepDetails.cpp): loaded, each point's result rebuilt and summarized, and merged with itself.
#include "FuzzInput.h"

#include "core/Error.h"
#include "core/eval/SweepDetails.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ssmlens::fuzz::MemoryFile file(data, size);
    try {
        const ssmlens::SweepDetails details = ssmlens::loadSweepDetails(file.path());
        (void)ssmlens::sweepPointsOf(details);
        (void)ssmlens::mergeSweepShards({details, details}, {"a", "b"});
    } catch (const ssmlens::Error&) {
    }
    return 0;
}
