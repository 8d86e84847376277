// Engine-only builds without Qt (see the top-level CMakeLists.txt): no tokenizer can be loaded, and saying
// so is better than a link error. Everything that takes token ids works as usual.
#include "core/Error.h"
#include "core/text/Tokenizer.h"

namespace ssmlens {

std::unique_ptr<Tokenizer> loadTokenizer(const std::string& path) {
    throw Error(path + ": this build of SSM Lens has no tokenizers (built without Qt); pass token ids instead");
}

std::unique_ptr<Tokenizer> loadTokenizerFromModelDir(const std::string&) { return nullptr; }

}  // namespace ssmlens

#include "core/text/SentencePieceTokenizer.h"

namespace ssmlens {

void SentencePieceTokenizer::train(const std::string&) {
    throw Error("this build of SSM Lens has no tokenizers (built without Qt): train-tokenizer is unavailable");
}

}  // namespace ssmlens
