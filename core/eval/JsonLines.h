#pragma once
// Reading the line-oriented files the benchmarks are distributed as (.jsonl, and .lst label files), with
// errors that name the file, the line and the problem: "valid.jsonl:12: missing field \"sol2\"".
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ssmlens {

struct JsonLine {
    int64_t line = 0;  // 1-based
    nlohmann::json value;
};

// Every non-blank line parsed as one JSON object. Throws ssmlens::Error for a missing file, a line that is
// not JSON or not an object, or a file with no items. A UTF-8 byte order mark and CR line ends are accepted.
std::vector<JsonLine> readJsonLines(const std::string& path);

// Non-blank lines (trimmed), with their 1-based numbers.
std::vector<std::pair<int64_t, std::string>> readTextLines(const std::string& path);

// Field access on one item of a task file that reports "<path>:<line>: ..." when a field is absent or of
// the wrong type, adding what the item looks like when it seems to belong to another task.
class JsonItem {
public:
    JsonItem(const std::string& path, const JsonLine& line, std::string task)
        : path_(path), line_(line), task_(std::move(task)) {}
    const nlohmann::json& field(const std::string& key) const;  // present, any type
    std::string string(const std::string& key) const;            // a JSON string
    std::string string(const nlohmann::json& object, const std::string& key, const std::string& where) const;
    const nlohmann::json& array(const std::string& key) const;   // a JSON array
    int64_t integer(const std::string& key) const;               // an integer, or a string holding one
    [[noreturn]] void fail(const std::string& problem) const;
    const nlohmann::json& value() const { return line_.value; }
    int64_t line() const { return line_.line; }

private:
    const std::string& path_;
    const JsonLine& line_;
    std::string task_;
};

}  // namespace ssmlens
