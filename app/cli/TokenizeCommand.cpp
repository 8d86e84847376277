#include <cstdio>

#include <nlohmann/json.hpp>

#include "app/cli/Commands.h"
#include "app/cli/ModelArgs.h"

namespace ssmlens::cli {

int runTokenize(const Args& raw) {
    const std::vector<OptionSpec> specs = {
        {"model", "DIR", "take the tokenizer of this model folder (default: the demo model)"},
        {"tokenizer", "FILE", "tokenizer.json (byte-level BPE) or a sentencepiece .model"},
        {"text", "T", "the text to tokenize"},
        {"json", "", "print {\"ids\", \"pieces\", \"offsets\"} (offsets in code points)"}};
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli tokenize (--model DIR | --tokenizer FILE) --text T [--json]",
                                   "Splits text into tokens: ids, pieces and the character span of each token.", specs)
                              .c_str());
        return 0;
    }
    auto tok = tokenizerFrom(args);
    Encoding e = tok->encode(args.required("text"));
    if (args.has("json")) {
        nlohmann::json offsets = nlohmann::json::array();
        for (const auto& o : e.offsets) offsets.push_back({o.first, o.second});
        nlohmann::json j = {{"ids", e.ids}, {"pieces", e.pieces}, {"offsets", offsets}};
        std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        return 0;
    }
    for (size_t i = 0; i < e.ids.size(); ++i)
        std::printf("%6lld  [%lld, %lld)  %s\n", static_cast<long long>(e.ids[i]),
                    static_cast<long long>(e.offsets[i].first), static_cast<long long>(e.offsets[i].second),
                    nlohmann::json(e.pieces[i]).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    std::printf("%zu tokens\n", e.ids.size());
    return 0;
}

}  // namespace ssmlens::cli
