#include "core/text/SentencePieceTokenizer.h"

#include "core/Error.h"
#include "core/text/SentencePieceModelCheck.h"
#include "core/text/SentencePieceModuleLoader.h"
#include "core/text/TokenizerFile.h"
#include "core/text/Utf8.h"

#include <algorithm>
#include <climits>

namespace ssmlens {
namespace {

// Sinks for the module's callbacks: they append to the std::string passed as `user`.
void appendText(void* user, const char* text, size_t size) {
    static_cast<std::string*>(user)->append(text, size);
}

// sentencepiece marks word starts with U+2581 '▁'; show it as the space it stands for.
std::string displayPiece(const std::string& piece) {
    static const std::string kSpaceMark = "\xE2\x96\x81";
    std::string out;
    out.reserve(piece.size());
    for (size_t i = 0; i < piece.size();) {
        if (piece.compare(i, kSpaceMark.size(), kSpaceMark) == 0) {
            out.push_back(' ');
            i += kSpaceMark.size();
        } else {
            out.push_back(piece[i++]);
        }
    }
    return out;
}

}  // namespace

SentencePieceTokenizer::SentencePieceTokenizer(SsmlensSpProcessor* processor, std::string source)
    : processor_(processor), source_(std::move(source)) {}

SentencePieceTokenizer::~SentencePieceTokenizer() { sentencePieceModule().free(processor_); }

std::unique_ptr<SentencePieceTokenizer> SentencePieceTokenizer::fromFile(const std::string& path) {
    return fromBytes(readTokenizerFile(path, "a sentencepiece .model file"), path);
}

std::unique_ptr<SentencePieceTokenizer> SentencePieceTokenizer::fromBytes(const std::string& modelBytes,
                                                                         const std::string& source) {
    if (modelBytes.empty()) throw Error(source + ": empty file, not a sentencepiece model");
    // libsentencepiece trusts the file's normalization trie; a damaged one crashes it (SentencePieceModelCheck.h).
    checkSentencePieceModel(modelBytes, source);
    const SentencePieceModule& sp = sentencePieceModule();
    SsmlensSpProcessor* processor = nullptr;
    std::string error;
    if (sp.loadBytes(modelBytes.data(), modelBytes.size(), &processor, &error, appendText) != 0)
        throw Error(source + ": not a sentencepiece model (" + error + ")");
    return std::unique_ptr<SentencePieceTokenizer>(new SentencePieceTokenizer(processor, source));
}

void SentencePieceTokenizer::train(const std::string& args) {
    std::string error;
    if (sentencePieceModule().train(args.c_str(), &error, appendText) != 0)
        throw Error("sentencepiece training failed (" + args + "): " + error);
}

Encoding SentencePieceTokenizer::encode(const std::string& utf8Text) const {
    struct Collected {
        Encoding encoding;
        std::vector<std::pair<uint32_t, uint32_t>> byteSpans;
        std::string error;
    } c;
    auto onPiece = [](void* user, int32_t id, const char* piece, size_t size, uint32_t begin, uint32_t end) {
        auto* out = static_cast<Collected*>(user);
        out->encoding.ids.push_back(id);
        out->encoding.pieces.push_back(displayPiece(std::string(piece, size)));
        out->byteSpans.emplace_back(begin, end);
    };
    auto onError = [](void* user, const char* text, size_t size) {
        static_cast<Collected*>(user)->error.assign(text, size);
    };
    if (sentencePieceModule().encode(processor_, utf8Text.data(), utf8Text.size(), &c, onPiece, onError) != 0)
        throw Error(source_ + ": sentencepiece could not encode the text: " + c.error);

    // Byte offsets -> code point offsets: a start inside a character moves to that character's start,
    // an end inside a character moves to its end.
    std::vector<size_t> starts;  // byte where each code point starts, plus the total size
    utf8::decodeLossy(utf8Text, starts);
    c.encoding.offsets.reserve(c.byteSpans.size());
    for (const auto& [begin, end] : c.byteSpans) {
        const auto first = std::upper_bound(starts.begin(), starts.end(), size_t(begin)) - starts.begin() - 1;
        const auto last = std::lower_bound(starts.begin(), starts.end(), size_t(end)) - starts.begin();
        c.encoding.offsets.emplace_back(std::max<int64_t>(first, 0), std::max<int64_t>(last, first));
    }
    return std::move(c.encoding);
}

std::string SentencePieceTokenizer::decode(const std::vector<int64_t>& ids) const {
    // Ids outside the vocabulary are skipped (as the byte-level tokenizer does, following HF);
    // libsentencepiece does not check them itself.
    const int64_t pieceCount = vocabSize();
    std::vector<int32_t> valid;
    valid.reserve(ids.size());
    for (int64_t id : ids)
        if (id >= 0 && id < pieceCount) valid.push_back(int32_t(id));

    struct Collected {
        std::string text, error;
    } c;
    auto onText = [](void* user, const char* text, size_t size) {
        static_cast<Collected*>(user)->text.append(text, size);
    };
    auto onError = [](void* user, const char* text, size_t size) {
        static_cast<Collected*>(user)->error.assign(text, size);
    };
    if (sentencePieceModule().decode(processor_, valid.data(), valid.size(), &c, onText, onError) != 0)
        throw Error(source_ + ": sentencepiece could not decode the ids: " + c.error);
    return c.text;
}

int64_t SentencePieceTokenizer::vocabSize() const { return sentencePieceModule().vocabSize(processor_); }

int64_t SentencePieceTokenizer::eosId() const { return sentencePieceModule().eosId(processor_); }

std::string SentencePieceTokenizer::idToPiece(int64_t id) const {
    std::string piece;
    if (id < 0 || id > INT32_MAX) return piece;
    sentencePieceModule().idToPiece(processor_, int32_t(id), &piece, appendText);
    return piece;
}

}  // namespace ssmlens
