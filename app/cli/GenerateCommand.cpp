#include <cstdio>

#include <nlohmann/json.hpp>

#include "app/cli/Commands.h"
#include "app/cli/ModelArgs.h"
#include "core/Error.h"
#include "core/model/Generation.h"

namespace ssmlens::cli {

int runGenerate(const Args& raw) {
    auto specs = modelOptionSpecs();
    for (const auto& s : promptOptionSpecs()) specs.push_back(s);
    for (OptionSpec s : std::vector<OptionSpec>{
             {"max-new-tokens", "N", "tokens to generate (default 32)"},
             {"greedy", "", "always take the most likely token (default unless --temperature is given)"},
             {"temperature", "X", "sampling temperature (default 1)"},
             {"top-k", "K", "sample among the K most likely tokens (0 = all)"},
             {"top-p", "P", "sample from the smallest set whose probability reaches P (1 = all)"},
             {"seed", "S", "random seed for sampling (default 0)"},
             {"stop-at-eos", "", "stop after the end-of-text token"},
             {"decode-path", "P", "aten, fused or graph (default: graph on a GPU, aten on the CPU)"},
             {"json", "", "print {\"ids\": [prompt and new ids], \"text\": ...} at the end instead of streaming"}})
        specs.push_back(s);
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli generate [--model DIR] (--text T | --ids IDS) [--max-new-tokens N] "
                                   "[--greedy] [--json]",
                                   "Continues a prompt token by token, printing text as it is produced.", specs)
                              .c_str());
        return 0;
    }
    Prompt input = promptFrom(args);
    const std::vector<int64_t>& prompt = input.ids;
    const Tokenizer* tok = input.tokenizer.get();
    Mamba2Model model = loadModelFrom(args);
    SamplingOptions o;
    o.maxNewTokens = args.getInt("max-new-tokens", 32);
    o.greedy = args.has("greedy") || !(args.has("temperature") || args.has("top-k") || args.has("top-p"));
    o.temperature = args.getDouble("temperature", 1.0);
    o.topK = args.getInt("top-k", 0);
    o.topP = args.getDouble("top-p", 1.0);
    o.seed = static_cast<uint64_t>(args.getInt("seed", 0));
    if (args.has("stop-at-eos")) o.eosId = tok ? tok->eosId() : model.config().eosId;
    if (args.has("decode-path")) {
        o.decodePath = parseDecodePath(args.get("decode-path"));
        Decoder check(model, *o.decodePath);  // throws now, with the reason, when the path cannot run here
    }
    const bool json = args.has("json");
    std::vector<int64_t> produced;
    std::string printed;
    auto onToken = [&](int64_t id) {
        produced.push_back(id);
        if (json || !tok) return true;
        // Print only complete characters: a token may end inside a multi-byte UTF-8 sequence.
        std::string text = tok->decode(produced);
        if (text.size() >= 3 && text.compare(text.size() - 3, 3, "\xEF\xBF\xBD") == 0) return true;
        std::fputs(text.substr(printed.size()).c_str(), stdout);
        std::fflush(stdout);
        printed = text;
        return true;
    };
    generate(model, prompt, o, onToken);
    if (json) {
        std::vector<int64_t> all = prompt;
        all.insert(all.end(), produced.begin(), produced.end());
        nlohmann::json j = {{"ids", all}, {"text", tok ? tok->decode(produced) : std::string()}};
        std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    } else if (!tok) {
        for (int64_t id : produced) std::printf("%lld ", static_cast<long long>(id));
        std::printf("\n");
    } else {
        std::printf("\n");
    }
    return 0;
}

}  // namespace ssmlens::cli
