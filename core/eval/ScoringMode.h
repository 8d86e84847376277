#pragma once
// How the loglikelihoods of a reduced forward pass are read (docs/evaluation.md). Torch-free, so the
// window's request structs can carry it.
#include <cstdint>
#include <string>

#include "core/Error.h"

namespace ssmlens {

enum class ScoringMode {
    Correct,  // each scored position found among the survivors by its original position (the default)
    Paper,    // as the paper's evaluation read it: lm-eval's slice, counted from the shortened end
};

inline std::string scoringModeName(ScoringMode m) { return m == ScoringMode::Paper ? "paper" : "correct"; }

// Throws ssmlens::Error listing the valid names.
inline ScoringMode parseScoringModeName(const std::string& n) {
    if (n == "correct") return ScoringMode::Correct;
    if (n == "paper") return ScoringMode::Paper;
    throw Error("unknown scoring mode \"" + n + "\" (one of correct, paper)");
}

// The batch size of the paper's evaluation script (wuyushuwys/ToR_SSM, evaluate_mamba.sh: --batch_size 96).
// In ScoringMode::Paper the batches decide the padding, and the padding decides what is removed and read.
constexpr int64_t kPaperEvaluationBatchSize = 96;

}  // namespace ssmlens
