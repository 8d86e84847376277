// tokenizer.json (core/text/ByteLevelBpeTokenizer.cpp): parsed, then used on a few texts.
#include "FuzzInput.h"

#include "core/Error.h"
#include "core/text/ByteLevelBpeTokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        auto tok = ssmlens::ByteLevelBpeTokenizer::fromJson(std::string(ssmlens::fuzz::asText(data, size)), "tokenizer.json");
        for (const char* text : {"Hello world", " <|endoftext|>  x\xC3\xA9\xE2\x80\x8B", "\xFF\xFE tail  "}) {
            const ssmlens::Encoding e = tok->encode(text);
            (void)tok->decode(e.ids);
        }
        (void)tok->decode({0, 1, -5, 1 << 30});
    } catch (const ssmlens::Error&) {
    }
    return 0;
}
