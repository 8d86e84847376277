#pragma once
// Options every model-using command shares: --model, --dtype, --device, --threads, and how ids are given.
#include <memory>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "app/cli/CliArgs.h"
#include "core/model/Mamba2Model.h"
#include "core/text/Tokenizer.h"

namespace ssmlens::cli {

std::vector<OptionSpec> modelOptionSpecs();  // --model --dtype --device --threads
std::string modelDirFrom(const CliArgs& args);  // --model or the demo model; throws when neither exists
at::Device deviceFrom(const CliArgs& args, const std::string& fallback = "cpu");  // --device or fallback; throws
                                                                                 // for cuda without a GPU
Mamba2Model loadModelFrom(const CliArgs& args);
// The tokenizer of the model folder, or --tokenizer FILE when given; throws when none is found.
std::unique_ptr<Tokenizer> tokenizerFrom(const CliArgs& args);
std::vector<OptionSpec> promptOptionSpecs();  // --text --ids --tokenizer

struct Prompt {
    std::vector<int64_t> ids;
    std::vector<std::string> pieces;       // empty when the ids were given and no tokenizer was found
    std::unique_ptr<Tokenizer> tokenizer;  // may be null with --ids
};
// --ids (a tokenizer is loaded when one is found, for printing text) or --text (a tokenizer is required).
Prompt promptFrom(const CliArgs& args);

// For the checks CTest runs with the label `gpu` (tests/CMakeLists.txt): with --skip-without-gpu, on a machine
// without a CUDA device (or, when kernelsNeeded, a build without the CUDA kernels), prints why and returns true;
// the command then exits with kSkippedExitCode, which CTest reports as skipped.
inline constexpr int kSkippedExitCode = 77;
OptionSpec skipWithoutGpuOption();
bool skippedWithoutGpu(const CliArgs& args, const std::string& command, bool kernelsNeeded);

// "1,2,3" or a path to an .npy of integers.
std::vector<int64_t> parseIds(const std::string& text);

}  // namespace ssmlens::cli
