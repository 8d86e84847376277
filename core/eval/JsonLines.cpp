#include "core/eval/JsonLines.h"

#include <sstream>

#include "core/Error.h"
#include "core/io/InputFile.h"
#include "core/io/JsonDocument.h"
#include "core/eval/TaskReaders.h"

namespace ssmlens {
namespace {

std::vector<std::pair<int64_t, std::string>> rawLines(const std::string& path) {
    // Regular files only (a FIFO would block), at most kMaxWholeFileBytes (the largest benchmark file,
    // HellaSwag's validation set, is 11 MB).
    std::istringstream in(readInputFile(path, "a benchmark file"));
    std::vector<std::pair<int64_t, std::string>> out;
    std::string text;
    for (int64_t n = 1; std::getline(in, text); ++n) {
        if (n == 1 && text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
        if (!text.empty() && text.back() == '\r') text.pop_back();
        if (text.find_first_not_of(" \t") == std::string::npos) continue;
        out.emplace_back(n, std::move(text));
    }
    return out;
}

std::string typeName(const nlohmann::json& j) { return j.type_name(); }

}  // namespace

std::vector<JsonLine> readJsonLines(const std::string& path) {
    std::vector<JsonLine> out;
    for (auto& [n, text] : rawLines(path)) {
        JsonLine line;
        line.line = n;
        try {
            line.value = parseJsonText(text, path + ":" + std::to_string(n));
        } catch (const Error& e) {
            throw Error(std::string(e.what()) + "; expected one JSON object per line (.jsonl)");
        }
        if (!line.value.is_object())
            throw Error(path + ":" + std::to_string(n) + ": expected a JSON object, found a " + typeName(line.value));
        out.push_back(std::move(line));
    }
    if (out.empty()) throw Error(path + ": the file has no items");
    return out;
}

std::vector<std::pair<int64_t, std::string>> readTextLines(const std::string& path) {
    auto lines = rawLines(path);
    for (auto& l : lines) {
        const size_t b = l.second.find_first_not_of(" \t"), e = l.second.find_last_not_of(" \t");
        l.second = l.second.substr(b, e - b + 1);
    }
    return lines;
}

void JsonItem::fail(const std::string& problem) const {
    const std::string hint = taskFormatHint(line_.value, task_);
    throw Error(path_ + ":" + std::to_string(line_.line) + ": " + problem + (hint.empty() ? "" : " (" + hint + ")"));
}

const nlohmann::json& JsonItem::field(const std::string& key) const {
    auto it = line_.value.find(key);
    if (it == line_.value.end()) fail("missing field \"" + key + "\"");
    return *it;
}

std::string JsonItem::string(const std::string& key) const {
    const nlohmann::json& f = field(key);
    if (!f.is_string()) fail("field \"" + key + "\" should be a string, found " + typeName(f));
    return f.get<std::string>();
}

std::string JsonItem::string(const nlohmann::json& object, const std::string& key, const std::string& where) const {
    if (!object.is_object()) fail(where + " should be an object, found " + typeName(object));
    auto it = object.find(key);
    if (it == object.end()) fail("missing field \"" + key + "\" in " + where);
    if (!it->is_string()) fail("field \"" + key + "\" in " + where + " should be a string, found " + typeName(*it));
    return it->get<std::string>();
}

const nlohmann::json& JsonItem::array(const std::string& key) const {
    const nlohmann::json& f = field(key);
    if (!f.is_array()) fail("field \"" + key + "\" should be an array, found " + typeName(f));
    return f;
}

int64_t JsonItem::integer(const std::string& key) const {
    const nlohmann::json& f = field(key);
    if (f.is_number_integer()) return f.get<int64_t>();
    if (f.is_string()) {
        const std::string s = f.get<std::string>();
        try {
            size_t used = 0;
            const long long v = std::stoll(s, &used);
            if (used == s.size()) return v;
        } catch (const std::exception&) {
        }
        fail("field \"" + key + "\" should be an integer, found \"" + s + "\"");
    }
    fail("field \"" + key + "\" should be an integer, found " + typeName(f));
}

}  // namespace ssmlens
