#include <cmath>
#include <cstdio>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "app/cli/Commands.h"
#include "app/cli/ModelArgs.h"
#include "core/Error.h"

namespace ssmlens::cli {

int runScore(const Args& raw) {
    auto specs = modelOptionSpecs();
    for (const auto& s : promptOptionSpecs()) specs.push_back(s);
    specs.push_back({"json", "", "print JSON"});
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli score [--model DIR] (--text T | --ids IDS) [--json]",
                                   "Log-probability of every token given the ones before it, and the perplexity "
                                   "(the first token has no context and is not scored).",
                                   specs)
                              .c_str());
        return 0;
    }
    Prompt input = promptFrom(args);
    Encoding enc;
    enc.ids = input.ids;
    enc.pieces = input.pieces;
    if (enc.ids.size() < 2) throw Error("scoring needs at least two tokens (the first one is context only)");
    Mamba2Model model = loadModelFrom(args);
    at::Tensor ids = at::tensor(enc.ids, at::kLong);
    at::Tensor logp = at::log_softmax(model.forward(ids.view({1, -1})).logits[0], -1).to(at::kCPU);
    const int64_t L = ids.size(0);
    at::Tensor picked = logp.narrow(0, 0, L - 1).gather(1, ids.narrow(0, 1, L - 1).view({-1, 1})).squeeze(1);
    const double nll = -picked.to(at::kDouble).mean().item<double>();
    auto piece = [&](size_t i) { return i < enc.pieces.size() ? enc.pieces[i] : std::to_string(enc.ids[i]); };
    if (args.has("json")) {
        nlohmann::json tokens = nlohmann::json::array();
        for (int64_t i = 1; i < L; ++i)
            tokens.push_back({{"position", i}, {"id", enc.ids[i]}, {"piece", piece(i)},
                              {"logprob", picked[i - 1].item<double>()}});
        nlohmann::json j = {{"tokens", tokens}, {"mean_nll", nll}, {"perplexity", std::exp(nll)}, {"scored", L - 1}};
        std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        return 0;
    }
    std::printf("%5s %7s %10s  %s\n", "pos", "id", "logprob", "piece");
    for (int64_t i = 1; i < L; ++i)
        std::printf("%5lld %7lld %10.4f  %s\n", static_cast<long long>(i), static_cast<long long>(enc.ids[i]),
                    picked[i - 1].item<double>(),
                    nlohmann::json(piece(i)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    std::printf("tokens scored %lld, mean NLL %.4f, perplexity %.3f\n", static_cast<long long>(L - 1), nll,
                std::exp(nll));
    return 0;
}

}  // namespace ssmlens::cli
