#pragma once
// EvalResult as versioned JSON ("ssmlens-eval-result", version 1): the settings, the summary, and every
// example with each choice's request strings, token counts and dense/reduced scores. Loglikelihoods are
// written with full precision (a NaN, not scorable, as null), so a merge of shard files reproduces the
// unsharded numbers exactly. Layout in docs/evaluation.md.
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/eval/EvalResult.h"

namespace ssmlens {

nlohmann::json evalResultToJson(const EvalResult& result);
// Throws ssmlens::Error naming `source` when the JSON is not an eval result.
EvalResult evalResultFromJson(const nlohmann::json& j, const std::string& source);
void saveEvalResult(const EvalResult& result, const std::string& path);  // atomically (AtomicFile.h)
EvalResult loadEvalResult(const std::string& path);

nlohmann::json evalSummaryToJson(const EvalSummary& summary, bool reduced);

}  // namespace ssmlens
