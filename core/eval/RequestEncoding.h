#pragma once
// Text requests to token ids, exactly as lm-evaluation-harness v0.4 (HFLM._encode_pair) does it:
//   - trailing whitespace of the context moves to the front of the continuation;
//   - context ids = encode(context); continuation ids = encode(context + continuation)[len(context ids):]
//     (the whole string is encoded once, so a BPE merge across the boundary is seen as the model sees it);
//   - an empty context becomes the end-of-text token.
// (lm-eval before v0.4 encoded the two strings separately; the two agree whenever the tokenizer splits
// words at the leading space of the continuation, as GPT-NeoX's does.)
#include <cstdint>
#include <vector>

#include "core/eval/EvalTask.h"
#include "core/text/Tokenizer.h"

namespace ssmlens {

struct TokenizedRequest {
    std::vector<int64_t> context;
    std::vector<int64_t> continuation;
};

// Throws ssmlens::Error for an empty context when the tokenizer has no end-of-text token.
TokenizedRequest encodeRequest(const Tokenizer& tokenizer, const LoglikelihoodRequest& request);

}  // namespace ssmlens
