#pragma once
// JSON from outside (config.json, tokenizer.json, shard indexes, schedules, sessions, eval results, benchmark
// lines): parsed with a bound on nesting depth, with errors that name the file and say what is wrong in
// words, and values quoted in messages only in short form. nlohmann's parser is iterative, but copying,
// comparing and dumping a value recurse once per level, so a 100,000-level document would overflow the
// stack on the first error message that quotes it; no real file of ours nests deeper than a dozen levels.
#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ssmlens {

inline constexpr int kMaxJsonDepth = 128;  // serde_json's recursion limit, as the safetensors reference uses

// Parses `text`. Throws ssmlens::Error "<source>: not valid JSON (syntax error at line 3, column 7: ...)" or
// "<source>: JSON nested deeper than 128 levels". `what` names the kind of document ("the model config").
nlohmann::json parseJsonText(std::string_view text, const std::string& source);
// readInputFile (regular files only, size-bounded) + parseJsonText.
nlohmann::json readJsonFile(const std::string& path, const std::string& what);

// The deepest nesting of arrays and objects in a JSON text (strings skipped), without parsing it.
int jsonNestingDepth(std::string_view text);

// A value for an error message: compact, invalid UTF-8 replaced, cut to about maxChars with "...".
std::string jsonSnippet(const nlohmann::json& value, size_t maxChars = 80);
// nlohmann's message without its "[json.exception.type_error.302] " prefix.
std::string jsonProblem(const nlohmann::json::exception& e);
// "a string", "an integer", "an object": the JSON type of a value, for messages.
std::string jsonTypeWords(const nlohmann::json& value);

}  // namespace ssmlens
