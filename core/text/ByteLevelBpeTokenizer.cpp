#include "core/text/ByteLevelBpeTokenizer.h"

#include "core/Error.h"
#include "core/io/JsonDocument.h"
#include "core/text/ByteLevelAlphabet.h"
#include "core/text/Gpt2WordSplitter.h"
#include "core/text/NfcNormalizer.h"
#include "core/text/TokenizerFile.h"
#include "core/text/UnicodeProperties.h"
#include "core/text/Utf8.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

namespace ssmlens {

using nlohmann::json;

// Everything read from tokenizer.json, checked, before the tokenizer is built.
struct ByteLevelBpeTokenizer::Settings {
    bool nfc = false;
    bool addPrefixSpace = false;
    bool useRegex = true;
    bool trimOffsets = false;
    bool trimKeepsPrefixSpace = false;
    std::unordered_map<std::string, int64_t> vocab;
    std::vector<std::pair<std::string, std::string>> merges;
    BpeModel::Options modelOptions;
    std::vector<AddedToken> addedTokens;
};

namespace {

constexpr int64_t kMaxId = 1 << 24;  // far above any real vocabulary; ids index a table
constexpr int64_t kMaxIdGap = 1 << 16;  // unused ids tolerated above the number of tokens

std::string typeOf(const json& section) {
    if (!section.is_object() || !section.contains("type") || !section["type"].is_string()) return "";
    return section["type"].get<std::string>();
}

bool flag(const json& section, const char* name, bool fallback) {
    const auto it = section.find(name);
    return it != section.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

bool isNullOrEmptyString(const json& section, const char* name) {
    const auto it = section.find(name);
    return it == section.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty());
}

// Leading and trailing characters that the ByteLevel trim_offsets rule counts as spaces: 'Ġ' (the
// alphabet's space) and Unicode whitespace (Rust's char::is_whitespace: White_Space).
bool countsAsSpace(char32_t c) { return c == 0x120 || unicode::isWhiteSpace(c); }

std::pair<size_t, size_t> spaceCounts(const std::u32string& token) {
    size_t lead = 0, trail = 0;
    while (lead < token.size() && countsAsSpace(token[lead])) ++lead;
    while (trail < token.size() && countsAsSpace(token[token.size() - 1 - trail])) ++trail;
    return {lead, trail};
}

std::u32string nfcOf(const std::string& text) {
    const std::u32string codePoints = utf8::decodeLossy(text);
    AlignedText t = AlignedText::identity(codePoints, 0, codePoints.size());
    normalizeNfc(t);
    return t.text;
}

void readMerges(const json& merges, const std::string& source,
                std::vector<std::pair<std::string, std::string>>& out) {
    if (!merges.is_array()) throw Error(source + ": model.merges is not a list");
    out.reserve(merges.size());
    for (size_t i = 0; i < merges.size(); ++i) {
        const json& m = merges[i];
        if (m.is_string()) {  // older files: "Ġ t"
            const std::string s = m.get<std::string>();
            const size_t space = s.find(' ');
            if (space == std::string::npos || s.find(' ', space + 1) != std::string::npos)
                throw Error(source + ": merge #" + std::to_string(i) + " (" + jsonSnippet(m, 60) +
                            ") is not two tokens separated by one space");
            out.emplace_back(s.substr(0, space), s.substr(space + 1));
        } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
            out.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());  // newer: ["Ġ", "t"]
        } else {
            throw Error(source + ": merge #" + std::to_string(i) +
                        " is neither \"a b\" nor [\"a\", \"b\"]: " + jsonSnippet(m, 60));
        }
    }
}

}  // namespace

std::unique_ptr<ByteLevelBpeTokenizer> ByteLevelBpeTokenizer::fromFile(const std::string& path) {
    return fromJson(readTokenizerFile(path, "a tokenizer.json file"), path);
}

std::unique_ptr<ByteLevelBpeTokenizer> ByteLevelBpeTokenizer::fromJson(const std::string& jsonText,
                                                                       const std::string& source) {
    const json root = parseJsonText(jsonText, source);  // bounded depth; the error names line and column
    if (!root.is_object() || !root.contains("model") || !root["model"].is_object())
        throw Error(source + ": not a Hugging Face tokenizer.json (no \"model\" object)");

    Settings s;
    const json& model = root["model"];
    std::string modelType = typeOf(model);
    if (modelType.empty() && model.contains("merges")) modelType = "BPE";  // old files omit the type
    if (modelType != "BPE")
        throw Error(source + ": the tokenizer model is " + (modelType.empty() ? "unknown" : modelType) +
                    "; only byte-level BPE tokenizers (model type BPE) are supported");

    const json preTokenizer = root.value("pre_tokenizer", json());
    if (typeOf(preTokenizer) != "ByteLevel")
        throw Error(source + ": the pre_tokenizer is " +
                    (preTokenizer.is_null() ? std::string("missing") : jsonSnippet(preTokenizer)) +
                    "; only the ByteLevel pre-tokenizer is supported");
    s.addPrefixSpace = flag(preTokenizer, "add_prefix_space", true);
    s.useRegex = flag(preTokenizer, "use_regex", true);

    const json normalizer = root.value("normalizer", json());
    if (typeOf(normalizer) == "NFC") s.nfc = true;
    else if (!normalizer.is_null())
        throw Error(source + ": normalizer " + jsonSnippet(normalizer) + " is not supported (only NFC or none)");

    const json postProcessor = root.value("post_processor", json());
    if (typeOf(postProcessor) == "ByteLevel") {
        s.trimOffsets = flag(postProcessor, "trim_offsets", true);
        s.trimKeepsPrefixSpace = flag(postProcessor, "add_prefix_space", true);
    } else if (!postProcessor.is_null()) {
        throw Error(source + ": post_processor " + jsonSnippet(postProcessor) +
                    " is not supported (only ByteLevel or none)");
    }

    if (model.contains("dropout") && !model["dropout"].is_null() &&
        !(model["dropout"].is_number() && model["dropout"].get<double>() == 0.0))
        throw Error(source + ": BPE dropout is not supported (encoding would be random)");
    if (!isNullOrEmptyString(model, "continuing_subword_prefix") ||
        !isNullOrEmptyString(model, "end_of_word_suffix"))
        throw Error(source + ": continuing_subword_prefix / end_of_word_suffix are not supported "
                             "with the ByteLevel pre-tokenizer");
    if (model.contains("unk_token") && model["unk_token"].is_string())
        s.modelOptions.unkToken = model["unk_token"].get<std::string>();
    s.modelOptions.fuseUnk = flag(model, "fuse_unk", false);
    s.modelOptions.ignoreMerges = flag(model, "ignore_merges", false);

    if (!model.contains("vocab") || !model["vocab"].is_object())
        throw Error(source + ": model.vocab is missing or not an object");
    for (const auto& [token, id] : model["vocab"].items()) {
        if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() > kMaxId)
            throw Error(source + ": vocab entry " + jsonSnippet(json(token), 60) + " has no valid id (" +
                        jsonSnippet(id, 30) + ")");
        s.vocab.emplace(token, id.get<int64_t>());
    }
    if (!model.contains("merges")) throw Error(source + ": model.merges is missing");
    readMerges(model["merges"], source, s.merges);

    for (const json& t : root.value("added_tokens", json::array())) {
        if (!t.is_object() || !t.contains("id") || !t.contains("content") ||
            !t["id"].is_number_integer() || !t["content"].is_string() || t["id"].get<int64_t>() < 0 ||
            t["id"].get<int64_t>() > kMaxId)
            throw Error(source + ": added token " + jsonSnippet(t) + " has no valid id or content");
        AddedToken a;
        a.id = t["id"].get<int64_t>();
        a.content = t["content"].get<std::string>();
        a.special = flag(t, "special", false);
        a.normalized = flag(t, "normalized", !a.special);
        a.singleWord = flag(t, "single_word", false);
        a.lstrip = flag(t, "lstrip", false);
        a.rstrip = flag(t, "rstrip", false);
        a.pattern = a.normalized && s.nfc ? nfcOf(a.content) : utf8::decodeLossy(a.content);
        s.addedTokens.push_back(std::move(a));
    }

    // Ids index a table of every token: they must number the tokens without huge gaps, or a single id of
    // 2^24 would allocate gigabytes for a tokenizer of a few entries.
    int64_t maxId = -1;
    for (const auto& [token, id] : s.vocab) maxId = std::max(maxId, id);
    for (const AddedToken& a : s.addedTokens) maxId = std::max(maxId, a.id);
    const int64_t entries = int64_t(s.vocab.size() + s.addedTokens.size());
    if (maxId >= entries + kMaxIdGap)
        throw Error(source + ": token id " + std::to_string(maxId) + " is far beyond the " + std::to_string(entries) +
                    " tokens the file defines (ids must number the tokens 0, 1, 2, ...)");
    try {
        return std::unique_ptr<ByteLevelBpeTokenizer>(new ByteLevelBpeTokenizer(s));
    } catch (const std::invalid_argument& e) {
        throw Error(source + ": " + e.what());
    }
}

ByteLevelBpeTokenizer::ByteLevelBpeTokenizer(const Settings& s)
    : model_(s.vocab, s.merges, s.modelOptions),
      nfc_(s.nfc),
      addPrefixSpace_(s.addPrefixSpace),
      useRegex_(s.useRegex),
      trimOffsets_(s.trimOffsets),
      trimKeepsPrefixSpace_(s.trimKeepsPrefixSpace) {
    int64_t maxId = -1;
    for (const auto& [token, id] : model_.vocab()) maxId = std::max(maxId, id);
    for (const AddedToken& a : s.addedTokens) maxId = std::max(maxId, a.id);
    tokens_.resize(size_t(maxId + 1));
    leadingSpaces_.assign(tokens_.size(), 0);
    trailingSpaces_.assign(tokens_.size(), 0);

    auto describe = [this](int64_t id, const std::string& token) {
        TokenInfo& info = tokens_[size_t(id)];
        info.token = token;
        info.bytes = byte_level::unspell(token);
        info.display = utf8::toDisplayText(info.bytes);
        info.exists = true;
        const auto [lead, trail] = spaceCounts(utf8::decodeLossy(token));
        leadingSpaces_[size_t(id)] = uint8_t(std::min<size_t>(lead, 255));
        trailingSpaces_[size_t(id)] = uint8_t(std::min<size_t>(trail, 255));
    };
    for (const auto& [token, id] : model_.vocab()) describe(id, token);
    // An added token's id decodes to its content (HF looks added tokens up first).
    std::vector<AddedToken> raw, normalized;
    for (const AddedToken& a : s.addedTokens) {
        describe(a.id, a.content);
        addedTokenIds_.emplace(a.content, a.id);
        (a.normalized ? normalized : raw).push_back(a);
    }
    rawAddedTokens_ = AddedTokenMatcher(std::move(raw));
    normalizedAddedTokens_ = AddedTokenMatcher(std::move(normalized));

    // The end-of-text token: the first of the usual names that this tokenizer has.
    for (const char* name : {"<|endoftext|>", "</s>", "<|end_of_text|>", "<eos>", "<|eos|>"}) {
        if ((eosId_ = tokenToId(name)) >= 0) break;
    }
}

std::string ByteLevelBpeTokenizer::idToToken(int64_t id) const {
    if (id < 0 || id >= int64_t(tokens_.size()) || !tokens_[size_t(id)].exists) return {};
    return tokens_[size_t(id)].token;
}

int64_t ByteLevelBpeTokenizer::tokenToId(const std::string& token) const {
    if (const auto added = addedTokenIds_.find(token); added != addedTokenIds_.end()) return added->second;
    const auto it = model_.vocab().find(token);
    return it == model_.vocab().end() ? -1 : it->second;
}

int64_t ByteLevelBpeTokenizer::vocabSize() const { return int64_t(tokens_.size()); }

std::string ByteLevelBpeTokenizer::decode(const std::vector<int64_t>& ids) const {
    std::string bytes;
    for (int64_t id : ids) {
        if (id >= 0 && id < int64_t(tokens_.size()) && tokens_[size_t(id)].exists)
            bytes += tokens_[size_t(id)].bytes;
    }
    return utf8::toValidLossy(bytes);
}

Encoding ByteLevelBpeTokenizer::encode(const std::string& utf8Text) const {
    Encoding out;
    const std::u32string input = utf8::decodeLossy(utf8Text);
    // Step 1: special (non-normalized) added tokens, on the raw input.
    size_t cursor = 0;
    for (const AddedTokenMatch& m : rawAddedTokens_.find(input)) {
        if (m.begin > cursor) encodePiece(input, cursor, m.begin, out);
        const auto [lead, trail] = spaceCounts(input.substr(m.begin, m.end - m.begin));
        pushToken(out, m.token->id, utf8::encode(input.substr(m.begin, m.end - m.begin)),
                  {int64_t(m.begin), int64_t(m.end)}, lead, trail);
        cursor = m.end;
    }
    if (cursor < input.size()) encodePiece(input, cursor, input.size(), out);
    return out;
}

// Step 2: normalize one piece of the input, then cut out the normalized added tokens.
void ByteLevelBpeTokenizer::encodePiece(const std::u32string& input, size_t begin, size_t end,
                                        Encoding& out) const {
    AlignedText piece = AlignedText::identity(input, begin, end);
    if (nfc_) normalizeNfc(piece);
    size_t cursor = 0;
    for (const AddedTokenMatch& m : normalizedAddedTokens_.find(piece.text)) {
        if (m.begin > cursor) encodeWords(piece, cursor, m.begin, out);
        const std::u32string value = piece.text.substr(m.begin, m.end - m.begin);
        const auto [lead, trail] = spaceCounts(value);
        pushToken(out, m.token->id, utf8::encode(value), piece.span(m.begin, m.end), lead, trail);
        cursor = m.end;
    }
    if (cursor < piece.text.size()) encodeWords(piece, cursor, piece.text.size(), out);
}

// Step 3: pre-tokenize piece.text[begin, end) into words and run BPE on each word's bytes.
void ByteLevelBpeTokenizer::encodeWords(const AlignedText& whole, size_t begin, size_t end,
                                        Encoding& out) const {
    AlignedText prefixed;
    const AlignedText* piece = &whole;
    if (addPrefixSpace_ && whole.text[begin] != U' ') {
        // HF prepends " " sharing the span of the first character.
        prefixed.text = U" " + whole.text.substr(begin, end - begin);
        prefixed.origin.push_back(whole.origin[begin]);
        prefixed.origin.insert(prefixed.origin.end(), whole.origin.begin() + long(begin),
                               whole.origin.begin() + long(end));
        piece = &prefixed;
        end = prefixed.text.size();
        begin = 0;
    }
    const std::u32string_view text = std::u32string_view(piece->text).substr(begin, end - begin);
    std::vector<WordRange> words;
    if (useRegex_) words = splitGpt2Words(text);
    else words.emplace_back(0, text.size());

    std::string bytes;
    std::vector<uint32_t> charOfByte;  // index into piece->text of each byte's character
    for (const auto& [wordBegin, wordEnd] : words) {
        bytes.clear();
        charOfByte.clear();
        for (size_t i = wordBegin; i < wordEnd; ++i) {
            const size_t before = bytes.size();
            utf8::append(bytes, text[i]);
            charOfByte.insert(charOfByte.end(), bytes.size() - before, uint32_t(begin + i));
        }
        for (const BpeToken& t : model_.tokenizeWord(bytes)) {
            const CodePointSpan span{piece->origin[charOfByte[t.byteBegin]].first,
                                     piece->origin[charOfByte[t.byteEnd - 1]].second};
            const size_t id = size_t(t.id);
            pushToken(out, t.id, tokens_[id].display, span, leadingSpaces_[id], trailingSpaces_[id]);
        }
    }
}

// Step 4: record a token, applying the ByteLevel post-processor's trim_offsets rule.
void ByteLevelBpeTokenizer::pushToken(Encoding& out, int64_t id, std::string display, CodePointSpan span,
                                      size_t lead, size_t trail) const {
    if (trimOffsets_ && (lead > 0 || trail > 0)) {
        auto& [start, stop] = span;
        if (lead > 0) {
            const bool isFirst = out.ids.empty() || start == 0;
            if (isFirst && trimKeepsPrefixSpace_ && lead == 1) lead = 0;  // the space HF added itself
            start = std::min(start + int64_t(lead), stop);
        }
        if (trail > 0 && stop >= int64_t(trail)) stop = std::max(stop - int64_t(trail), start);
    }
    out.ids.push_back(id);
    out.pieces.push_back(std::move(display));
    out.offsets.push_back(span);
}

}  // namespace ssmlens
