#pragma once
// A sentencepiece .model (unigram or BPE), run by libsentencepiece through the separately loaded
// module libssmlens_sentencepiece.so (see SentencePieceModuleLoader.h).
//
// Pieces are shown with sentencepiece's '▁' turned back into a space; byte-fallback pieces keep their
// "<0xE2>" spelling. Offsets are sentencepiece's byte spans of the input converted to code points
// (a span that starts or ends inside a character is widened to the whole character; sentencepiece
// itself gives a byte-fallback character to its last byte piece and empty spans to the others).
#include "core/text/Tokenizer.h"

#include <memory>
#include <string>

struct SsmlensSpProcessor;

namespace ssmlens {

class SentencePieceTokenizer : public Tokenizer {
public:
    // Throw ssmlens::Error naming the file (or sourceName) and the problem.
    static std::unique_ptr<SentencePieceTokenizer> fromFile(const std::string& path);
    static std::unique_ptr<SentencePieceTokenizer> fromBytes(const std::string& modelBytes,
                                                             const std::string& sourceName);

    // Trains a model with sentencepiece's command-line style arguments, e.g.
    // "--input=corpus.txt --model_prefix=out/m --vocab_size=400 --byte_fallback=true".
    // Writes <model_prefix>.model and .vocab. Throws ssmlens::Error with sentencepiece's message.
    static void train(const std::string& args);

    ~SentencePieceTokenizer() override;
    SentencePieceTokenizer(const SentencePieceTokenizer&) = delete;
    SentencePieceTokenizer& operator=(const SentencePieceTokenizer&) = delete;

    Encoding encode(const std::string& utf8Text) const override;
    std::string decode(const std::vector<int64_t>& ids) const override;
    int64_t vocabSize() const override;
    int64_t eosId() const override;
    std::string kind() const override { return "sentencepiece"; }

    // sentencepiece's own spelling of a piece ("▁the", "<0xE2>"); empty when the id is out of range.
    std::string idToPiece(int64_t id) const;

private:
    SentencePieceTokenizer(SsmlensSpProcessor* processor, std::string source);

    SsmlensSpProcessor* processor_;
    std::string source_;
};

}  // namespace ssmlens
