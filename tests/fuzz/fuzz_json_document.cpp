// The JSON layer every reader shares (core/io/JsonDocument.cpp): bounded depth, messages that quote short.
#include "FuzzInput.h"

#include "core/Error.h"
#include "core/io/JsonDocument.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const nlohmann::json j = ssmlens::parseJsonText(ssmlens::fuzz::asText(data, size), "input.json");
        (void)ssmlens::jsonSnippet(j);
        const nlohmann::json copy = j;  // copying recurses per level: depth must be bounded
        (void)(copy == j);
    } catch (const ssmlens::Error&) {
    }
    return 0;
}
