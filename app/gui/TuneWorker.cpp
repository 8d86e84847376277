#include "app/gui/TuneWorker.h"

#include <ATen/ATen.h>

#include "core/Error.h"
#include "core/bench/ModelBenchmark.h"
#include "core/eval/LoglikelihoodScorer.h"

namespace ssmlens {

TuneWorker::TuneWorker(QObject* parent) : QObject(parent) {}
TuneWorker::~TuneWorker() = default;

void TuneWorker::ensureModel(const TuneStartRequest& r) {
    const QString key = r.folder + "|" + r.dtype + "|" + r.device + "|" + r.tokenizer;
    if (model_ && key == loadedKey_) return;
    model_.reset();
    tokenizer_.reset();
    loadedKey_.clear();
    Q_EMIT phase(r.id, tr("Loading the model for the search…"), 0, 0);
    LoadOptions o;
    o.dtype = parseDtypeName(r.dtype.toStdString());
    o.device = at::Device(r.device.toStdString());
    if (o.device.is_cuda() && !at::hasCUDA()) throw Error("no CUDA device is available to this build");
    model_ = std::make_unique<Mamba2Model>(Mamba2Model::load(r.folder.toStdString(), o));
    tokenizer_ = r.tokenizer.isEmpty() ? loadTokenizerFromModelDir(r.folder.toStdString())
                                       : loadTokenizer(r.tokenizer.toStdString());
    loadedKey_ = key;
}

void TuneWorker::start(const TuneStartRequest& r) {
    const quint64 id = r.id;
    const std::atomic<bool>* cancel = r.cancel.get();
    try {
        ensureModel(r);
        if (cancel && cancel->load()) throw EvalCancelled();
        TuningSession session(*model_, tokenizer_.get(), r.request);
        TuneSetupInfo info;
        info.calibration = QString::fromStdString(session.data().calibration.description);
        info.lengths = session.data().calibration.lengths();
        info.config = model_->config();
        info.maxReductionPercent = session.budget().maxReductionPercent(r.request.search.method);
        Q_EMIT setupReady(id, info);
        session.prepare([&](int64_t done, int64_t total) { Q_EMIT phase(id, tr("Dense pass over the calibration data"), done, total); },
                        cancel);
        if (!r.current.anchors.empty()) {
            bool stopped = false;
            const CandidateScore s = session.evaluator()->score(r.current, [cancel] { return cancel && cancel->load(); }, &stopped);
            if (stopped) throw EvalCancelled();
            Q_EMIT currentScored(id, r.current, s.objective);
        }
        Q_EMIT phase(id, tr("Searching"), 0, 0);
        const TuneOutcome out = session.run(
            [&](const TuneEvent& e) {
                Q_EMIT candidateScored(id, QSharedPointer<const TuneCandidate>::create(*e.candidate), e.replayed);
            },
            cancel);
        Q_EMIT finished(id, static_cast<int>(out.stop));
    } catch (const EvalCancelled&) {
        Q_EMIT finished(id, static_cast<int>(TuneStop::Cancelled));
    } catch (const std::exception& e) {
        const std::string what = e.what();
        Q_EMIT failed(id, QString::fromStdString(what.substr(0, what.find('\n'))));
    }
}

}  // namespace ssmlens
