#pragma once
// A small parser for `ssmlens-cli COMMAND --key value --flag ...`. Each command declares its options so
// --help is generated and an unknown option is an error, never silently ignored.
//
// Numeric options are checked in one place for every command: CliArgs.cpp keeps one rule per option name
// (whole number or real, single or comma-separated list, the range that makes sense: --seq-len from 1,
// --keep-ratio in (0, 1], --layers at most kMaxLayers), applied when the arguments are parsed, before any
// command runs. getInt/getDouble/getIntList/getDoubleList refuse an option without a rule, so a new
// numeric option cannot skip the check. Options naming a choice from a fixed set (--method, --methods,
// --scoring, tune's --metric and --search) have a choice rule there too, checked at the same time.
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ssmlens::cli {

struct OptionSpec {
    std::string name;  // without the leading dashes
    std::string valueName;  // empty for a flag
    std::string help;
};

class CliArgs {
public:
    // Throws ssmlens::Error for an unknown option or a missing value.
    CliArgs(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs);
    bool has(const std::string& name) const { return values_.count(name) != 0; }
    bool helpRequested() const { return help_; }
    std::string get(const std::string& name, const std::string& fallback = "") const;
    std::string required(const std::string& name) const;  // throws "missing --name"
    long long getInt(const std::string& name, long long fallback) const;
    double getDouble(const std::string& name, double fallback) const;
    // Comma-separated lists ("512,2048"); `fallback` when the option is absent.
    std::vector<long long> getIntList(const std::string& name, const std::vector<long long>& fallback) const;
    std::vector<double> getDoubleList(const std::string& name, const std::vector<double>& fallback) const;

private:
    std::map<std::string, std::string> values_;
    bool help_ = false;
};

// The rule of a numeric option, as words for --help and messages ("a whole number from 1 to 4096"); empty
// when the option has no rule.
std::string numericOptionRange(const std::string& name);

std::string helpText(const std::string& usage, const std::string& summary, const std::vector<OptionSpec>& specs);
std::vector<std::string> splitList(const std::string& text, char sep = ',');

}  // namespace ssmlens::cli
