#include "core/text/AddedTokenMatcher.h"

#include "core/text/UnicodeProperties.h"

#include <algorithm>

namespace ssmlens {
namespace {

// HF checks single_word with the Rust regexes \w$ and ^\w: Alphabetic, marks, decimal digits,
// connector punctuation and the joiners (not other numbers such as '½').
bool isWordChar(char32_t c) { return unicode::isWordChar(c); }

// HF's lstrip / rstrip skip Rust's char::is_whitespace, i.e. White_Space.
bool isSpace(char32_t c) { return unicode::isWhiteSpace(c); }

}  // namespace

AddedTokenMatcher::AddedTokenMatcher(std::vector<AddedToken> tokens) : tokens_(std::move(tokens)) {
    for (size_t i = 0; i < tokens_.size(); ++i) {
        if (tokens_[i].pattern.empty()) continue;  // HF ignores empty added tokens
        byFirstChar_[tokens_[i].pattern[0]].push_back(i);
    }
    for (auto& [first, list] : byFirstChar_) {
        std::stable_sort(list.begin(), list.end(), [this](size_t a, size_t b) {
            return tokens_[a].pattern.size() > tokens_[b].pattern.size();
        });
    }
}

const AddedToken* AddedTokenMatcher::longestAt(const std::u32string& text, size_t pos) const {
    const auto it = byFirstChar_.find(text[pos]);
    if (it == byFirstChar_.end()) return nullptr;
    for (size_t index : it->second) {
        const std::u32string& p = tokens_[index].pattern;
        if (text.compare(pos, p.size(), p) == 0) return &tokens_[index];
    }
    return nullptr;
}

std::vector<AddedTokenMatch> AddedTokenMatcher::find(const std::u32string& text) const {
    std::vector<AddedTokenMatch> matches;
    if (byFirstChar_.empty()) return matches;
    size_t previousEnd = 0;  // end of the last accepted match (HF's start_offset)
    for (size_t pos = 0; pos < text.size();) {
        const AddedToken* token = longestAt(text, pos);
        if (!token) { ++pos; continue; }
        size_t begin = pos, end = pos + token->pattern.size();
        pos = end;

        if (token->singleWord) {
            const bool wordBefore = begin > 0 && isWordChar(text[begin - 1]);
            const bool wordAfter = end < text.size() && isWordChar(text[end]);
            if (wordBefore || wordAfter) continue;  // part of a longer word: not this token
        }
        if (token->lstrip) {
            while (begin > previousEnd && isSpace(text[begin - 1])) --begin;
        }
        if (token->rstrip) {
            while (end < text.size() && isSpace(text[end])) ++end;
            pos = end;
        }
        matches.push_back({begin, end, token});
        previousEnd = end;
    }
    return matches;
}

}  // namespace ssmlens
