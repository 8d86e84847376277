#pragma once
// The message of the ssmlens::Error a piece of code throws, for tests of error reporting. Torch-free, so the
// tokenizer tests (which link no libtorch) share it with the others.
#include <functional>
#include <string>

#include "core/Error.h"

namespace ssmlens::testing {

// What f throws as ssmlens::Error; when it throws nothing, a text that no expected message contains (so a
// check for a message fails, and names the reason).
inline std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no ssmlens::Error thrown)";
}

}  // namespace ssmlens::testing
