#pragma once
// How a command gets a ReductionSchedule: --schedule FILE, or a preset built from --preset/--keep-ratio/--method.
#include <string>
#include <vector>

#include "app/cli/CliArgs.h"
#include "core/reduction/ReductionSchedule.h"

namespace ssmlens::cli {

std::vector<OptionSpec> scheduleOptionSpecs();
// kDefaultKeepRatio as the help texts print it ("0.905").
std::string defaultKeepRatioText();
// "methods:" and one line per method (name and methodSummary), for the --help of commands that take --method.
std::string methodListText();
// Validated against nLayer; throws ssmlens::Error naming the file or option.
ReductionSchedule scheduleFrom(const CliArgs& args, int64_t nLayer);

}  // namespace ssmlens::cli
