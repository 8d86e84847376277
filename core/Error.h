#pragma once
// One error type for everything that comes from user input (files, ids, settings).
// The message always names the thing (a file, a tensor, an argument) and the problem, so the CLI can print
// it and the GUI can show it in a dialog without adding context.
#include <stdexcept>
#include <string>

namespace ssmlens {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace ssmlens
