// The sentencepiece part of ssmlens_text in a build without libsentencepiece (see core/CMakeLists.txt):
// it replaces SentencePieceTokenizer.cpp and SentencePieceModuleLoader.cpp. Every entry point throws an
// ssmlens::Error saying so, which is better than a link error; byte-level BPE (tokenizer.json) works as usual.
#include "core/Error.h"
#include "core/text/SentencePieceModuleLoader.h"
#include "core/text/SentencePieceTokenizer.h"
#include "core/text/TokenizerFile.h"

namespace ssmlens {
namespace {

[[noreturn]] void unavailable(const std::string& what) {
    throw Error(what + ": unavailable: this SSM Lens was built without sentencepiece (libsentencepiece was not "
                       "found, or SSMLENS_SENTENCEPIECE=OFF); install libsentencepiece-dev and rebuild, or use a "
                       "tokenizer.json");
}

}  // namespace

const SentencePieceModule& sentencePieceModule() { unavailable("the sentencepiece module"); }

SentencePieceTokenizer::SentencePieceTokenizer(SsmlensSpProcessor* processor, std::string source)
    : processor_(processor), source_(std::move(source)) {}

SentencePieceTokenizer::~SentencePieceTokenizer() = default;

std::unique_ptr<SentencePieceTokenizer> SentencePieceTokenizer::fromFile(const std::string& path) {
    readTokenizerFile(path, "a sentencepiece .model file");  // the same "not found" errors as with sentencepiece
    unavailable(path);
}

std::unique_ptr<SentencePieceTokenizer> SentencePieceTokenizer::fromBytes(const std::string&,
                                                                         const std::string& sourceName) {
    unavailable(sourceName);
}

void SentencePieceTokenizer::train(const std::string&) { unavailable("sentencepiece training"); }

// No SentencePieceTokenizer can be made in this build, so these are never reached.
Encoding SentencePieceTokenizer::encode(const std::string&) const { unavailable(source_); }
std::string SentencePieceTokenizer::decode(const std::vector<int64_t>&) const { unavailable(source_); }
int64_t SentencePieceTokenizer::vocabSize() const { unavailable(source_); }
int64_t SentencePieceTokenizer::eosId() const { unavailable(source_); }
std::string SentencePieceTokenizer::idToPiece(int64_t) const { unavailable(source_); }

}  // namespace ssmlens
