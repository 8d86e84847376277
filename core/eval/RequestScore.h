#pragma once
// The score of one (context, continuation) request (LoglikelihoodScorer.h). Free of libtorch, so results
// can travel to the window and into session files without the engine's headers.
#include <cstdint>

namespace ssmlens {

struct RequestScore {
    double loglikelihood = 0;  // NaN when not scorable
    bool greedy = false;
    bool scorable = true;
    int64_t inputTokens = 0;   // tokens the model read
    int64_t scoredTokens = 0;  // continuation tokens
    // 100 * (1 - mean over layers of tokens entering the layer / inputTokens), as counted in the forward
    // pass (0 when dense). ScoringMode::Paper: of the padded row the sequence was reduced in.
    double measuredTokenReductionPercent = 0;
    // Continuation tokens whose log-probability went into the loglikelihood: scoredTokens, or 0 when not
    // scorable; ScoringMode::Paper (core/eval/ScoringMode.h): the length of lm-eval's slice, which can be shorter.
    int64_t tokensRead = 0;
    // ScoringMode::Paper: some log-probability was read at a position other than the one that predicts
    // its token (or the slice came out short). Always false when scoring correctly.
    bool misread = false;
};

}  // namespace ssmlens
