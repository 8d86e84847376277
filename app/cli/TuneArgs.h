#pragma once
// The options of `ssmlens-cli tune`, shared with its workers (`ssmlens-cli tune-round`, run by tune --devices
// and tune --slurm): a worker is given the tune command's own arguments and must read the model and the
// calibration data exactly as the tune command does, so both parse them here.
#include <memory>
#include <string>
#include <vector>

#include "app/cli/CliArgs.h"
#include "core/model/Mamba2Model.h"
#include "core/text/Tokenizer.h"
#include "core/tune/TuningSession.h"

namespace ssmlens::cli {

// modelOptionSpecs() and every option of tune.
std::vector<OptionSpec> tuneOptionSpecs();

// The search, limits, calibration sources and options, evaluator options. Not set: statePath, resume,
// modelName. Throws ssmlens::Error naming the option at fault.
TuningRequest tuningRequestFrom(const CliArgs& args);

struct TuneModel {
    std::unique_ptr<Mamba2Model> model;
    std::unique_ptr<Tokenizer> tokenizer;  // may be null (--size without --tokenizer)
    std::string name;                      // the model folder, or "random 130m"
};
// --model (or the demo model) with its tokenizer, or --size: random weights of a published shape (seed 0).
TuneModel loadTuneModel(const CliArgs& args);

}  // namespace ssmlens::cli
