#include "core/eval/RequestEncoding.h"

#include "core/Error.h"
#include "core/eval/PythonText.h"

namespace ssmlens {

TokenizedRequest encodeRequest(const Tokenizer& tokenizer, const LoglikelihoodRequest& request) {
    const std::string context = python_text::rstrip(request.context);
    const std::string continuation = request.context.substr(context.size()) + request.continuation;
    TokenizedRequest out;
    if (request.context.empty() || context.empty()) {
        // lm-eval: `if context == "": context_enc = [eot_token_id]`. A context of whitespace only would
        // leave lm-eval with no token before the continuation; we treat it the same way.
        const int64_t eos = tokenizer.eosId();
        if (eos < 0) throw Error("a request has an empty context, which is scored after the end-of-text token, "
                                 "but the " + tokenizer.kind() + " tokenizer has none");
        out.context = {eos};
        out.continuation = tokenizer.encode(continuation).ids;
        return out;
    }
    out.context = tokenizer.encode(context).ids;
    const std::vector<int64_t> whole = tokenizer.encode(context + continuation).ids;
    if (whole.size() > out.context.size()) out.continuation.assign(whole.begin() + out.context.size(), whole.end());
    return out;
}

}  // namespace ssmlens
