#include "core/eval/EvalRun.h"

#include "core/eval/EvalMetrics.h"
#include "core/reduction/FlopsModel.h"

namespace ssmlens {

PreparedEval prepareEval(const Tokenizer& tokenizer, const EvalTaskData& data, const ExampleSelection& selection) {
    PreparedEval p;
    EvalResult& r = p.result;
    r.task = data.task;
    r.source = data.source;
    r.selection = selection;
    r.totalExamples = static_cast<int64_t>(data.examples.size());
    for (int64_t doc : selectExamples(r.totalExamples, selection)) {
        const EvalExample& e = data.examples[static_cast<size_t>(doc)];
        ExampleResult x;
        x.doc = e.doc;
        x.gold = e.gold;
        for (size_t k = 0; k < e.requests.size(); ++k) {
            TokenizedRequest t = encodeRequest(tokenizer, e.requests[k]);
            ChoiceResult c;
            c.context = e.requests[k].context;
            c.continuation = e.requests[k].continuation;
            c.contextTokens = static_cast<int64_t>(t.context.size());
            c.continuationTokens = static_cast<int64_t>(t.continuation.size());
            c.normLength = k < e.normLengths.size() ? e.normLengths[k] : 1.0;
            x.choices.push_back(std::move(c));
            p.requests.push_back(std::move(t));
        }
        r.examples.push_back(std::move(x));
    }
    return p;
}

EvalResult assembleEval(const PreparedEval& prepared, const Mamba2Model& model, const ScoringOptions& scoring,
                        const std::vector<RequestScore>& dense, const ReductionSchedule* schedule,
                        const std::vector<RequestScore>* reduced) {
    EvalResult r = prepared.result;
    const Mamba2Config& config = model.config();
    r.modelLayers = config.nLayer;
    r.modelWidth = config.dModel;
    r.modelVocabRows = model.vocabRows();
    r.maxLength = scoring.maxLength;
    r.reduced = schedule && reduced;
    if (r.reduced) r.schedule = *schedule;
    r.scoring = scoring.mode;
    r.batchSize = scoring.batchSize;
    const ReductionSchedule none;
    size_t i = 0;
    for (ExampleResult& e : r.examples)
        for (ChoiceResult& c : e.choices) {
            c.dense = dense.at(i);
            if (r.reduced) c.reduced = reduced->at(i);
            ++i;
            if (c.dense.inputTokens == 0) continue;  // an empty continuation: no forward pass
            const FlopsReport f = scheduleFlops(config, r.reduced ? r.schedule : none, c.dense.inputTokens,
                                                c.dense.scoredTokens);
            c.denseFlops = f.denseTotal;
            c.reducedFlops = r.reduced ? f.reducedTotal : f.denseTotal;
            c.tokenReductionPercent = r.reduced ? f.tokenReductionPercent : 0.0;
        }
    r.summary = summarizeEval(r.task, r.examples, r.reduced);
    return r;
}

EvalResult runEvaluation(const Mamba2Model& model, const Tokenizer& tokenizer, const EvalTaskData& data,
                         const EvalSettings& settings) {
    PreparedEval prepared = prepareEval(tokenizer, data, settings.selection);
    prepared.result.model = settings.modelName;
    const ReductionSchedule* schedule = settings.schedule ? &*settings.schedule : nullptr;
    const int64_t n = static_cast<int64_t>(prepared.requests.size()), passes = schedule ? 2 : 1;
    // One progress scale over both passes.
    ScoringOptions options = settings.scoring;
    auto pass = [&](int64_t index) {
        ScoringOptions o = options;
        if (options.progress)
            o.progress = [&, index](int64_t done, int64_t) { options.progress(index * n + done, passes * n); };
        return o;
    };
    const std::vector<RequestScore> dense = scoreLoglikelihoods(model, prepared.requests, nullptr, pass(0));
    std::vector<RequestScore> reduced;
    if (schedule) reduced = scoreLoglikelihoods(model, prepared.requests, schedule, pass(1));
    return assembleEval(prepared, model, settings.scoring, dense, schedule, schedule ? &reduced : nullptr);
}

}  // namespace ssmlens
