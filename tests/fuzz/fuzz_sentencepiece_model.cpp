// A sentencepiece tokenizer.model: our check of the protobuf and the normalizer's trie
// (core/text/SentencePieceModelCheck.cpp), then, for what passes it, libsentencepiece loading and
// encoding, as a model folder's tokenizer.model would be used.
#include "FuzzInput.h"

#include "core/Error.h"
#include "core/text/SentencePieceModelCheck.h"
#include "core/text/SentencePieceTokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string bytes(ssmlens::fuzz::asText(data, size));
    try {
        ssmlens::checkSentencePieceModel(bytes, "tokenizer.model");
    } catch (const ssmlens::Error&) {
        return 0;
    }
    try {
        auto tok = ssmlens::SentencePieceTokenizer::fromBytes(bytes, "tokenizer.model");
        for (const char* text : {"Hello world", "  x\xC3\xA9\xEF\xBC\xA1 \xE2\x80\x8B", "\xFF\xFE tail"}) {
            const ssmlens::Encoding e = tok->encode(text);
            (void)tok->decode(e.ids);
        }
    } catch (const ssmlens::Error&) {
    }
    return 0;
}
