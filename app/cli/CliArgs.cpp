#include "app/cli/CliArgs.h"

#include <sstream>

#include "core/Error.h"

namespace ssmlens::cli {

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
    if (!has(name)) return fallback;
    const std::string v = get(name);
    try {
        size_t used = 0;
        long long n = std::stoll(v, &used);
        if (used == v.size()) return n;
    } catch (...) {
    }
    throw Error("--" + name + " expects an integer, got \"" + v + "\"");
}

double CliArgs::getDouble(const std::string& name, double fallback) const {
    if (!has(name)) return fallback;
    const std::string v = get(name);
    try {
        size_t used = 0;
        double d = std::stod(v, &used);
        if (used == v.size()) return d;
    } catch (...) {
    }
    throw Error("--" + name + " expects a number, got \"" + v + "\"");
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
