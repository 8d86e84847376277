#pragma once
// The few Python str operations that lm-evaluation-harness applies to task text, with Python's semantics,
// so our request strings are byte-for-byte the ones lm-eval builds: str.isspace, strip, rstrip,
// capitalize, and len (code points, which acc_norm divides by). Input is UTF-8 (JSON strings always are).
#include <cstdint>
#include <string>

namespace ssmlens::python_text {

bool isSpace(char32_t c);                    // Python's str.isspace for one code point
std::string strip(const std::string& s);     // str.strip()
std::string rstrip(const std::string& s);    // str.rstrip()
// str.capitalize() (Python >= 3.8): the first code point in title case, the rest in lower case.
// Full Unicode case tables when Qt Core is available, ASCII otherwise.
std::string capitalize(const std::string& s);
int64_t length(const std::string& s);        // len(str): code points, not bytes

}  // namespace ssmlens::python_text
