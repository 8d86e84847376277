#include "core/io/JsonDocument.h"

#include <algorithm>

#include "core/Error.h"
#include "core/io/InputFile.h"

namespace ssmlens {

int jsonNestingDepth(std::string_view text) {
    int depth = 0, deepest = 0;
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\') ++i;  // skips the escaped character, so \" does not end the string
            else if (c == '"') inString = false;
            continue;
        }
        if (c == '"') inString = true;
        else if (c == '[' || c == '{') deepest = std::max(deepest, ++depth);
        else if (c == ']' || c == '}') depth = std::max(0, depth - 1);
    }
    return deepest;
}

nlohmann::json parseJsonText(std::string_view text, const std::string& source) {
    // Checked before parsing: for well-formed JSON the count is exact, and malformed JSON fails in the
    // parser (iterative, so safe) before any recursive operation sees a value.
    if (jsonNestingDepth(text) > kMaxJsonDepth)
        throw Error(source + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                    " levels (no file SSM Lens reads has that; the file is damaged or not meant for it)");
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::parse_error& e) {
        // Line and column of the byte, as an editor shows them.
        size_t line = 1, column = 1;
        const size_t at = std::min<size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
        for (size_t i = 0; i < at; ++i) {
            if (text[i] == '\n') ++line, column = 1;
            else ++column;
        }
        std::string problem = jsonProblem(e);
        // nlohmann quotes the last token read; a huge token would make a huge message.
        if (problem.size() > 200) problem = problem.substr(0, 200) + "...";
        const std::string place = line > 1 ? "line " + std::to_string(line) + ", column " + std::to_string(column)
                                           : "column " + std::to_string(column);
        throw Error(source + ": not valid JSON (" + place + ": " + problem + ")");
    } catch (const nlohmann::json::exception& e) {
        // A number beyond double's range (1e309) is an out_of_range error, not a parse_error.
        std::string problem = jsonProblem(e);
        if (problem.size() > 200) problem = problem.substr(0, 200) + "...";
        throw Error(source + ": not valid JSON (" + problem + ")");
    }
}

nlohmann::json readJsonFile(const std::string& path, const std::string& what) {
    return parseJsonText(readInputFile(path, what), path);
}

std::string jsonSnippet(const nlohmann::json& value, size_t maxChars) {
    std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (text.size() <= maxChars) return text;
    size_t cut = maxChars;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    return text.substr(0, cut) + "...";
}

std::string jsonProblem(const nlohmann::json::exception& e) {
    std::string what = e.what();
    if (what.rfind("[json.exception.", 0) == 0) {
        const size_t close = what.find("] ");
        if (close != std::string::npos) what = what.substr(close + 2);
    }
    return what;
}

std::string jsonTypeWords(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::null: return "null";
        case nlohmann::json::value_t::object: return "an object";
        case nlohmann::json::value_t::array: return "a list";
        case nlohmann::json::value_t::string: return "a string";
        case nlohmann::json::value_t::boolean: return "true/false";
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned: return "an integer";
        case nlohmann::json::value_t::number_float: return "a decimal number";
        default: return "binary data";
    }
}

}  // namespace ssmlens
