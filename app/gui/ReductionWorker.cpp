#include "app/gui/ReductionWorker.h"

#include <QRegularExpression>
#include <optional>

#include <ATen/ATen.h>

#include "core/Error.h"
#include "core/attention/AttentionRollout.h"
#include "core/attention/AttentionSummaries.h"
#include "core/bench/ModelBenchmark.h"  // parseDtypeName
#include "core/eval/AccuracySweep.h"
#include "core/eval/EvalRun.h"
#include "core/eval/TaskReaders.h"
#include "core/model/Generation.h"
#include "core/model/Mamba2Model.h"
#include "core/reduction/ReductionRun.h"
#include "core/reduction/TokenReductionHook.h"
#include "core/text/PieceLabels.h"
#include "core/text/Tokenizer.h"

namespace ssmlens {

namespace {

// A message for the user, already translated; thrown inside the worker's slots and shown as it is.
struct UserMessage {
    QString text;
};

// The first line of an error: the views and the status bar show one line; details stay in the exception.
QString firstLine(const std::exception& e) {
    const std::string what = e.what();
    return QString::fromStdString(what.substr(0, what.find('\n')));
}

}  // namespace

struct ReductionWorker::AttentionKernels {
    std::optional<PassKernels> dense, reduced;
    std::vector<int64_t> denseIds;  // the prompt of `dense`
    TokenTrace trace;               // of the reduced pass
    quint64 runId = 0;              // the run whose reduced pass `reduced` is
    QString error;                  // why the last run's kernels are missing, if they are
    std::vector<float> attributionDense;    // for denseIds; empty until asked for
    std::vector<float> attributionReduced;  // for runId; empty until asked for
    void reset() { *this = AttentionKernels(); }
};

ReductionWorker::ReductionWorker(QObject* parent)
    : QObject(parent), denseCache_(std::make_unique<DenseRunCache>()), attention_(std::make_unique<AttentionKernels>()) {}
ReductionWorker::~ReductionWorker() = default;

void ReductionWorker::loadModel(const QString& folder, const QString& dtype, const QString& device,
                                const QString& tokenizerFile) {
    try {
        LoadOptions o;
        o.dtype = parseDtypeName(dtype.toStdString());
        o.device = at::Device(device.toStdString());
        if (o.device.is_cuda() && !at::hasCUDA())
            throw UserMessage{tr("%1: no CUDA device is available to this build").arg(device)};
        auto model = std::make_unique<Mamba2Model>(Mamba2Model::load(folder.toStdString(), o));
        std::unique_ptr<Tokenizer> tokenizer;
        QString tokenizerPath;
        if (!tokenizerFile.isEmpty()) {
            tokenizer = ssmlens::loadTokenizer(tokenizerFile.toStdString());  // throws with the file's name
            tokenizerPath = tokenizerFile;
        } else {
            tokenizer = loadTokenizerFromModelDir(folder.toStdString());
            if (tokenizer) tokenizerPath = QString::fromStdString(tokenizerFileInModelDir(folder.toStdString()));
        }
        ModelFacts facts;
        facts.tokenizer = tokenizerPath;
        facts.folder = folder;
        facts.summary = QString::fromStdString(model->config().summary());
        facts.dtype = dtype;
        facts.device = device;
        facts.config = model->config();
        facts.layers = static_cast<int>(model->config().nLayer);
        facts.parameters = model->config().parameterCount();
        facts.hasTokenizer = tokenizer != nullptr;
        facts.generation = facts_.generation + 1;
        for (const std::string& w : model->loadWarnings()) facts.warnings << QString::fromStdString(w);
        model_ = std::move(model);
        tokenizer_ = std::move(tokenizer);
        facts_ = facts;
        denseCache_->reset();
        attention_->reset();
        Q_EMIT modelLoaded(facts);
    } catch (const UserMessage& m) {
        Q_EMIT failed(0, m.text);
    } catch (const std::exception& e) {
        Q_EMIT failed(0, firstLine(e));
    }
}

void ReductionWorker::loadTokenizer(const QString& path) {
    try {
        if (!model_) throw UserMessage{tr("Open a model before choosing its tokenizer.")};
        std::unique_ptr<Tokenizer> tokenizer = ssmlens::loadTokenizer(path.toStdString());
        tokenizer_ = std::move(tokenizer);
        denseCache_->reset();
        facts_.tokenizer = path;
        facts_.hasTokenizer = true;
        attention_->reset();
        ++facts_.generation;  // the same prompt now has other tokens: earlier results are out of date
        Q_EMIT modelLoaded(facts_);
    } catch (const UserMessage& m) {
        Q_EMIT failed(0, m.text);
    } catch (const std::exception& e) {
        Q_EMIT failed(0, firstLine(e));
    }
}

std::vector<int64_t> ReductionWorker::promptIds(const QString& prompt, QStringList* labels) const {
    std::vector<int64_t> ids;
    if (tokenizer_) {
        Encoding e = tokenizer_->encode(prompt.toStdString());
        ids = e.ids;
        if (labels)
            for (const std::string& p : readablePieceLabels(e.pieces)) *labels << QString::fromStdString(p);
        return ids;
    }
    // No tokenizer in the folder: the prompt is a list of token ids.
    for (const QString& part : prompt.split(QRegularExpression("[,\\s]+"), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qint64 id = part.toLongLong(&ok);
        if (!ok)
            throw UserMessage{tr("This model folder has no tokenizer: type token ids separated by commas, or choose "
                                 "a tokenizer file (\"%1\" is not a token id).").arg(part)};
        ids.push_back(id);
        if (labels) *labels << part;
    }
    return ids;
}

void ReductionWorker::run(const ReductionRequest& request) {
    try {
        if (!model_) throw UserMessage{tr("No model is loaded.")};
        auto response = QSharedPointer<ReductionResponse>::create();
        response->id = request.id;
        response->request = request;
        response->modelGeneration = facts_.generation;
        response->ids = promptIds(request.prompt, &response->tokenLabels);
        if (response->ids.empty()) throw UserMessage{tr("The prompt is empty.")};
        ReductionRunOptions options;
        options.allReducedLogits = false;  // the views show the next token only
        options.cache = reuseDensePass_ ? denseCache_.get() : nullptr;  // a slider move reruns the reduced pass only
        // The Attention view's kernels, recorded in both passes (a few small copies per layer). The dense pass's
        // stay valid as long as the prompt does, like the dense cache, which must not answer without them.
        const int64_t layers = model_->config().nLayer, T = static_cast<int64_t>(response->ids.size());
        ActivationRecorder denseKernels(ssmKernelHookPoints(layers), {false, true});
        ActivationRecorder reducedKernels(ssmKernelHookPoints(layers), {false, true});
        options.denseProbe = &denseKernels;
        options.reducedProbe = &reducedKernels;
        if (options.cache && (!attention_->dense || attention_->denseIds != response->ids)) options.cache->reset();
        ReductionRunResult run = runReduction(*model_, response->ids, request.schedule, tokenizer_.get(), options);
        try {
            if (!run.denseFromCache) {
                attention_->dense.reset();
                attention_->dense = passKernelsFrom(denseKernels, layers, T);
                attention_->denseIds = response->ids;
                attention_->attributionDense.clear();
            }
            attention_->reduced = passKernelsFrom(reducedKernels, layers, T, &run.trace);
            attention_->trace = run.trace;
            attention_->error.clear();
        } catch (const std::exception& e) {  // the other views do not need the kernels: say so in the Attention view
            attention_->reduced.reset();
            attention_->error = firstLine(e);
        }
        attention_->runId = request.id;
        attention_->attributionReduced.clear();
        response->run.trace = std::move(run.trace);
        response->run.flops = std::move(run.flops);
        response->run.denseFromCache = run.denseFromCache;
        response->run.denseMs = run.denseMs;
        response->run.reducedMs = run.reducedMs;
        Q_EMIT finished(response);
    } catch (const UserMessage& m) {
        Q_EMIT failed(request.id, m.text);
    } catch (const std::exception& e) {
        Q_EMIT failed(request.id, firstLine(e));
    }
}

void ReductionWorker::evaluate(const EvalRequest& request) {
    try {
        if (!model_) throw UserMessage{tr("No model is loaded.")};
        if (!tokenizer_) throw UserMessage{tr("Accuracy checks need a tokenizer: choose one for this model.")};
        EvalTaskData data = loadEvalTask(request.task.toStdString(), request.dataPath.toStdString());
        EvalSettings settings;
        settings.schedule = request.schedule;
        if (request.limit > 0) settings.selection.limit = request.limit;
        settings.scoring.mode = request.scoring;
        if (request.scoring == ScoringMode::Paper) settings.scoring.batchSize = kPaperEvaluationBatchSize;
        settings.scoring.cancel = request.cancel.get();
        const quint64 id = request.id;
        settings.scoring.progress = [this, id](int64_t done, int64_t total) { Q_EMIT evalProgress(id, done, total); };
        settings.modelName = facts_.folder.toStdString();
        auto result = QSharedPointer<EvalResult>::create(runEvaluation(*model_, *tokenizer_, data, settings));
        Q_EMIT evalFinished(id, result);
    } catch (const EvalCancelled&) {
        Q_EMIT evalCancelled(request.id);
    } catch (const UserMessage& m) {
        Q_EMIT evalFailed(request.id, m.text);
    } catch (const std::exception& e) {
        Q_EMIT evalFailed(request.id, firstLine(e));
    }
}

void ReductionWorker::sweep(const SweepRequest& request) {
    try {
        if (!model_) throw UserMessage{tr("No model is loaded.")};
        if (!tokenizer_) throw UserMessage{tr("Accuracy checks need a tokenizer: choose one for this model.")};
        std::vector<EvalTaskData> tasks{loadEvalTask(request.task.toStdString(), request.dataPath.toStdString())};
        SweepSettings settings;
        settings.methods = {request.method};
        settings.keepRatios = request.keepRatios;
        settings.scorings = {request.scoring};
        if (request.scoring == ScoringMode::Paper) settings.scoring.batchSize = kPaperEvaluationBatchSize;
        if (request.limit > 0) settings.selection.limit = request.limit;
        settings.scoring.cancel = request.cancel.get();
        const quint64 id = request.id;
        settings.scoring.progress = [this, id](int64_t done, int64_t total) { Q_EMIT evalProgress(id, done, total); };
        auto points = QSharedPointer<SweepPoints>::create(runSweep(*model_, *tokenizer_, tasks, settings));
        Q_EMIT sweepFinished(id, points);
    } catch (const EvalCancelled&) {
        Q_EMIT evalCancelled(request.id);
    } catch (const UserMessage& m) {
        Q_EMIT evalFailed(request.id, m.text);
    } catch (const std::exception& e) {
        Q_EMIT evalFailed(request.id, firstLine(e));
    }
}

void ReductionWorker::continueText(const ContinuationRequest& request) {
    try {
        if (!model_) throw UserMessage{tr("No model is loaded.")};
        const std::vector<int64_t> ids = promptIds(request.prompt, nullptr);
        if (ids.empty()) throw UserMessage{tr("The prompt is empty.")};
        SamplingOptions o;
        o.maxNewTokens = request.newTokens;
        o.eosId = model_->config().eosId;
        // The text before the end-of-text token (decoded, it is empty or a control name), and whether it came.
        auto text = [&](std::vector<int64_t> out, bool* ended) {
            *ended = !out.empty() && o.eosId >= 0 && out.back() == o.eosId;
            if (*ended) out.pop_back();
            if (tokenizer_) return QString::fromStdString(tokenizer_->decode(out));
            QStringList parts;
            for (int64_t id : out) parts << QString::number(id);
            return parts.join(", ");
        };
        auto result = QSharedPointer<ContinuationResult>::create();
        result->id = request.id;
        result->request = request;
        result->dense = text(generate(*model_, ids, o), &result->denseEnded);
        TokenReductionHook hook(request.schedule);
        result->reduced = text(generate(*model_, ids, o, {}, &hook), &result->reducedEnded);
        Q_EMIT continuationsReady(result);
    } catch (const UserMessage& m) {
        Q_EMIT failed(request.id, m.text);
    } catch (const std::exception& e) {
        Q_EMIT failed(request.id, firstLine(e));
    }
}

void ReductionWorker::attention(const AttentionRequest& request) {
    try {
        AttentionKernels& k = *attention_;
        if (!k.error.isEmpty()) throw Error(k.error.toStdString());
        if (!k.dense || !k.reduced || k.runId == 0) throw UserMessage{tr("No prompt has run yet.")};
        auto response = QSharedPointer<AttentionResponse>::create();
        response->id = request.id;
        response->runId = k.runId;
        response->layer = layerAttentionOf(*k.dense, &*k.reduced, request.layer, request.selection);
        if (request.attribution) {
            // Every layer's normalised matrix, once per prompt (dense) and once per run (reduced).
            if (k.attributionDense.empty()) {
                const at::Tensor a = attentionRollout(normalizedMeanAttention(*k.dense), nullptr).attribution;
                k.attributionDense.assign(a.data_ptr<float>(), a.data_ptr<float>() + a.numel());
            }
            if (k.attributionReduced.empty()) {
                const at::Tensor a = attentionRollout(normalizedMeanAttention(*k.reduced), &k.trace).attribution;
                k.attributionReduced.assign(a.data_ptr<float>(), a.data_ptr<float>() + a.numel());
            }
            response->hasAttribution = true;
            response->attributionDense = k.attributionDense;
            response->attributionReduced = k.attributionReduced;
        }
        Q_EMIT attentionReady(response);
    } catch (const UserMessage& m) {
        Q_EMIT attentionFailed(request.id, m.text);
    } catch (const std::exception& e) {
        Q_EMIT attentionFailed(request.id, firstLine(e));
    }
}

}  // namespace ssmlens
