#include "app/cli/CliArgs.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "core/Error.h"
#include "core/eval/ScoringMode.h"
#include "core/model/ModelConfig.h"
#include "core/reduction/ReductionMethod.h"
#include "core/tune/ScheduleSearch.h"

namespace ssmlens::cli {
namespace {

enum class NumberKind { Integer, Real, IntegerList, RealList };

// One rule per option name, for every command that has the option (the same name means the same thing in
// every command). Bounds: what the engine can run, far beyond what anyone needs, and low enough that no
// size computed from them overflows or allocates gigabytes before a clearer check sees it.
struct NumericRule {
    const char* name;
    NumberKind kind;
    double min, max;
    bool minExcluded = false;  // (min, max] instead of [min, max]
};

constexpr double kMaxCount = 1e9;
const NumericRule kNumericRules[] = {
    // Sizes and counts
    {"threads", NumberKind::Integer, 1, 1024},
    {"layers", NumberKind::Integer, 1, double(kMaxLayers)},
    {"length", NumberKind::Integer, 1, double(1 << 30)},
    {"lengths", NumberKind::IntegerList, 1, double(1 << 24)},
    {"batch", NumberKind::Integer, 1, 65536},
    {"batches", NumberKind::IntegerList, 1, 65536},
    {"batch-size", NumberKind::Integer, 1, 65536},
    {"seq-len", NumberKind::Integer, 1, double(1 << 24)},
    {"max-length", NumberKind::Integer, 1, double(1 << 24)},
    {"max-new-tokens", NumberKind::Integer, 0, double(1 << 24)},
    {"decode-tokens", NumberKind::Integer, 1, double(1 << 20)},
    {"repeats", NumberKind::Integer, 1, 100000},
    {"warmup", NumberKind::Integer, 0, kMaxCount},
    {"windows", NumberKind::Integer, 1, kMaxCount},
    {"limit", NumberKind::Integer, 0, kMaxCount},
    {"top-k", NumberKind::Integer, 0, double(kMaxVocabulary)},
    {"seed", NumberKind::Integer, 0, 1e18},
    {"layer", NumberKind::Integer, 0, double(kMaxLayers - 1)},
    {"head", NumberKind::Integer, 0, 65535},
    // Sharded runs (--devices, --slurm)
    {"shards", NumberKind::Integer, 1, 100000},
    {"shard-retries", NumberKind::Integer, 0, 100},
    {"slurm-gpus-per-task", NumberKind::Integer, 0, 1024},
    {"slurm-cpus-per-task", NumberKind::Integer, 0, 4096},
    {"slurm-poll", NumberKind::Real, 0, 86400, true},
    // Training
    {"d-model", NumberKind::Integer, 1, 8192},
    {"d-state", NumberKind::Integer, 1, 1024},
    {"headdim", NumberKind::Integer, 1, 1024},
    {"expand", NumberKind::Integer, 1, 8},
    {"chunk-size", NumberKind::Integer, 1, 4096},
    {"vocab", NumberKind::Integer, 0, double(kMaxVocabulary)},
    {"vocab-size", NumberKind::Integer, 2, double(1 << 20)},
    {"eos", NumberKind::Integer, -1, double(kMaxVocabulary)},
    {"steps", NumberKind::Integer, 1, kMaxCount},
    {"eval-every", NumberKind::Integer, 0, kMaxCount},
    {"eval-windows", NumberKind::Integer, 1, kMaxCount},
    {"checkpoint-every", NumberKind::Integer, 0, kMaxCount},
    {"lr", NumberKind::Real, 0, 10, true},
    {"min-lr", NumberKind::Real, 0, 10},
    {"weight-decay", NumberKind::Real, 0, 10},
    {"clip", NumberKind::Real, 0, 1e6},
    {"time-limit", NumberKind::Real, 0, 1e9},
    // Ratios and sampling
    {"keep-ratio", NumberKind::Real, 0, 1, true},
    {"keep-ratios", NumberKind::RealList, 0, 1, true},
    {"temperature", NumberKind::Real, 0, 1e6, true},
    {"top-p", NumberKind::Real, 0, 1, true},
    {"tolerance", NumberKind::Real, 0, 1e6},
    // Schedule tuning (tune). --calibration-limit and --heldout-limit take -1 for "all"; --prefix-cache-mb is
    // multiplied by 2^20, so its bound keeps the byte count far from overflow (2^24 MB = 16 TiB).
    {"target-flops-reduction", NumberKind::Real, 0, 100, true},
    {"round-size", NumberKind::Integer, 1, 100000},
    {"min-keep-ratio", NumberKind::Real, 0, 1, true},
    {"preset-ratios", NumberKind::RealList, 0, 1, true},
    {"max-evals", NumberKind::Integer, 1, kMaxCount},
    {"heldout-every", NumberKind::Integer, 0, kMaxCount},
    {"calibration-limit", NumberKind::Integer, -1, kMaxCount},
    {"heldout-limit", NumberKind::Integer, -1, kMaxCount},
    {"text-window", NumberKind::Integer, 1, double(1 << 24)},
    {"text-scored", NumberKind::Integer, 1, double(1 << 24)},
    {"prefix-cache-mb", NumberKind::Integer, 0, double(1 << 24)},
};

const NumericRule* ruleFor(const std::string& name) {
    for (const NumericRule& r : kNumericRules)
        if (name == r.name) return &r;
    return nullptr;
}

const NumericRule& requireRule(const std::string& name) {
    const NumericRule* r = ruleFor(name);
    if (!r) throw std::logic_error("--" + name + " is read as a number but has no rule in CliArgs.cpp");
    return *r;
}

bool integerKind(NumberKind k) { return k == NumberKind::Integer || k == NumberKind::IntegerList; }
bool listKind(NumberKind k) { return k == NumberKind::IntegerList || k == NumberKind::RealList; }

std::string numberText(double v) {
    if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
    std::ostringstream o;
    o << v;
    return o.str();
}

std::string rangeWords(const NumericRule& r) {
    const std::string what = integerKind(r.kind) ? "a whole number" : "a number";
    if (r.minExcluded) return what + " above " + numberText(r.min) + ", at most " + numberText(r.max);
    return what + " from " + numberText(r.min) + " to " + numberText(r.max);
}

// Parses one item (the whole text, nothing left over) and checks it against the rule.
double parseItem(const std::string& option, const std::string& item, const NumericRule& r) {
    const std::string expected = "--" + option + " expects " + rangeWords(r) + (listKind(r.kind) ? " in each item" : "");
    const std::string shown = "\"" + (item.size() > 40 ? item.substr(0, 40) + "..." : item) + "\"";
    double value = 0;
    if (integerKind(r.kind)) {
        long long v = 0;
        const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
        if (item.empty() || ec != std::errc() || end != item.data() + item.size())
            throw Error(expected + ", got " + shown);
        value = double(v);
    } else {
        char* end = nullptr;
        value = std::strtod(item.c_str(), &end);
        if (item.empty() || end != item.c_str() + item.size() || !std::isfinite(value))
            throw Error(expected + ", got " + shown);
    }
    if (value > r.max || value < r.min || (r.minExcluded && value == r.min)) throw Error(expected + ", got " + shown);
    return value;
}

std::vector<std::string> itemsOf(const std::string& option, const std::string& text, const NumericRule& r) {
    if (!listKind(r.kind)) return {text};
    std::vector<std::string> items = splitList(text);
    if (items.empty()) throw Error("--" + option + " is empty (give " + rangeWords(r) + " or a comma-separated list)");
    return items;
}

// Options that take a name from a fixed set, one rule per option name as for numbers: checked when the
// arguments are parsed, so a sweep never loads a model before finding "--methods utrr" or "--scoring papr".
struct ChoiceRule {
    const char* name;
    bool list;  // a comma-separated list of choices
    std::vector<std::string> (*choices)();
};

std::vector<std::string> methodChoices() { return methodNames(); }
std::vector<std::string> methodListChoices() {
    std::vector<std::string> c = methodNames();
    c.push_back("all");  // every method (sweep)
    return c;
}
std::vector<std::string> scoringChoices() {
    return {scoringModeName(ScoringMode::Correct), scoringModeName(ScoringMode::Paper)};
}

std::vector<std::string> metricChoices() {
    return {metricName(ImportanceMetric::Clip), metricName(ImportanceMetric::Raw), metricName(ImportanceMetric::L2)};
}
std::vector<std::string> searchChoices() {
    return {searchAlgorithmName(SearchAlgorithm::Evolutionary), searchAlgorithmName(SearchAlgorithm::Random)};
}

const ChoiceRule kChoiceRules[] = {
    {"method", false, methodChoices},
    {"metric", false, metricChoices},   // tune's starting importance metric
    {"search", false, searchChoices},   // tune's search algorithm
    {"methods", true, methodListChoices},
    {"scoring", true, scoringChoices},  // eval takes one mode, sweep several (checked by the command)
};

void checkChoice(const std::string& option, const std::string& value, const ChoiceRule& r) {
    const std::vector<std::string> valid = r.choices();
    std::string validText;
    for (const std::string& c : valid) validText += (validText.empty() ? "" : ", ") + c;
    const std::vector<std::string> items = r.list ? splitList(value) : std::vector<std::string>{value};
    if (items.empty()) throw Error("--" + option + " is empty (give one or more of " + validText + ")");
    for (const std::string& item : items)
        if (std::find(valid.begin(), valid.end(), item) == valid.end()) {
            const std::string shown = "\"" + (item.size() > 40 ? item.substr(0, 40) + "..." : item) + "\"";
            throw Error("--" + option + " expects " + (r.list ? "one or more of " : "one of ") + validText + ", got " +
                        shown);
        }
}

}  // namespace

std::string numericOptionRange(const std::string& name) {
    const NumericRule* r = ruleFor(name);
    return r ? rangeWords(*r) : std::string();
}

CliArgs::CliArgs(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs) {
    std::map<std::string, const OptionSpec*> byName;
    for (const auto& s : specs) byName[s.name] = &s;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            help_ = true;
            continue;
        }
        if (a.rfind("--", 0) != 0) throw Error("unexpected argument \"" + a + "\" (options start with --)");
        std::string name = a.substr(2), value;
        const size_t eq = name.find('=');
        const bool inlineValue = eq != std::string::npos;
        if (inlineValue) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        auto it = byName.find(name);
        if (it == byName.end()) throw Error("unknown option --" + name + " (see --help)");
        if (it->second->valueName.empty()) {
            values_[name] = "1";
            continue;
        }
        if (!inlineValue) {
            if (i + 1 >= args.size()) throw Error("option --" + name + " needs a value <" + it->second->valueName + ">");
            value = args[++i];
        }
        values_[name] = value;
    }
    if (help_) return;
    // Every numeric option given, checked now: a command never sees --seq-len 0 or --keep-ratio 7.
    for (const auto& [name, value] : values_)
        if (const NumericRule* r = ruleFor(name))
            for (const std::string& item : itemsOf(name, value, *r)) parseItem(name, item, *r);
    for (const ChoiceRule& r : kChoiceRules)
        if (has(r.name)) checkChoice(r.name, get(r.name), r);
}

std::string CliArgs::get(const std::string& name, const std::string& fallback) const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
}

std::string CliArgs::required(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) throw Error("missing --" + name + " (see --help)");
    return it->second;
}

long long CliArgs::getInt(const std::string& name, long long fallback) const {
    const NumericRule& r = requireRule(name);
    if (!has(name)) return fallback;
    // Integers are parsed again exactly (a double holds only 53 bits).
    const std::string v = get(name);
    long long n = 0;
    parseItem(name, v, r);
    std::from_chars(v.data(), v.data() + v.size(), n);
    return n;
}

double CliArgs::getDouble(const std::string& name, double fallback) const {
    const NumericRule& r = requireRule(name);
    return has(name) ? parseItem(name, get(name), r) : fallback;
}

std::vector<long long> CliArgs::getIntList(const std::string& name, const std::vector<long long>& fallback) const {
    const NumericRule& r = requireRule(name);
    if (!has(name)) return fallback;
    std::vector<long long> out;
    for (const std::string& item : itemsOf(name, get(name), r)) {
        parseItem(name, item, r);
        long long n = 0;
        std::from_chars(item.data(), item.data() + item.size(), n);
        out.push_back(n);
    }
    return out;
}

std::vector<double> CliArgs::getDoubleList(const std::string& name, const std::vector<double>& fallback) const {
    const NumericRule& r = requireRule(name);
    if (!has(name)) return fallback;
    std::vector<double> out;
    for (const std::string& item : itemsOf(name, get(name), r)) out.push_back(parseItem(name, item, r));
    return out;
}

std::string helpText(const std::string& usage, const std::string& summary, const std::vector<OptionSpec>& specs) {
    std::ostringstream o;
    o << "usage: " << usage << "\n\n" << summary << "\n\noptions:\n";
    for (const auto& s : specs) {
        std::string left = "  --" + s.name + (s.valueName.empty() ? "" : " " + s.valueName);
        if (left.size() < 28) left.append(28 - left.size(), ' ');
        else left += "  ";
        o << left << s.help << "\n";
    }
    o << "  --help                    this text\n";
    return o.str();
}

std::vector<std::string> splitList(const std::string& text, char sep) {
    std::vector<std::string> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, sep)) {
        const size_t b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
        if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
    }
    return out;
}

}  // namespace ssmlens::cli
