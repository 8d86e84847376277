#pragma once
// TuneWorker: runs a schedule search (core/tune/TuningSession.h) on its own thread, so the window's reduction
// worker stays free for slider moves while a search takes minutes. It loads its own copy of the model (the
// folder, dtype, device and tokenizer of the window's model; kept between searches), scores the editor's
// schedule once after the dense pass, and reports every candidate as it is scored. A shared flag stops it:
// the search checks it after every block of the model, so a stop takes effect within a fraction of a second.
#include <QObject>
#include <QSharedPointer>
#include <QString>
#include <atomic>
#include <memory>
#include <utility>
#include <vector>

#include "core/model/Mamba2Model.h"
#include "core/text/Tokenizer.h"
#include "core/tune/TuningSession.h"

namespace ssmlens {

struct TuneStartRequest {
    quint64 id = 0;
    QString folder, dtype, device, tokenizer;  // the model to load (tokenizer empty: the folder's own)
    TuningRequest request;
    ReductionSchedule current;  // the editor's schedule, scored for the plot
    std::shared_ptr<std::atomic<bool>> cancel;
};

// What the panel needs once the calibration data is read.
struct TuneSetupInfo {
    QString calibration;  // description of the calibration split
    std::vector<std::pair<int64_t, int64_t>> lengths;  // for the FLOPs of schedules the search has not scored
    Mamba2Config config;
    double maxReductionPercent = 0;
};

class TuneWorker : public QObject {
    Q_OBJECT
public:
    explicit TuneWorker(QObject* parent = nullptr);
    ~TuneWorker() override;

public Q_SLOTS:
    void start(const ssmlens::TuneStartRequest& request);

Q_SIGNALS:
    void phase(quint64 id, const QString& text, qint64 done, qint64 total);
    void setupReady(quint64 id, const ssmlens::TuneSetupInfo& info);
    void currentScored(quint64 id, const ssmlens::ReductionSchedule& schedule, double objective);
    void candidateScored(quint64 id, QSharedPointer<const ssmlens::TuneCandidate> candidate, bool replayed);
    void finished(quint64 id, int stop);  // a TuneStop
    void failed(quint64 id, const QString& message);

private:
    void ensureModel(const TuneStartRequest& r);
    std::unique_ptr<Mamba2Model> model_;
    std::unique_ptr<Tokenizer> tokenizer_;
    QString loadedKey_;  // folder|dtype|device|tokenizer of model_
};

}  // namespace ssmlens

Q_DECLARE_METATYPE(ssmlens::TuneStartRequest)
Q_DECLARE_METATYPE(ssmlens::TuneSetupInfo)
Q_DECLARE_METATYPE(QSharedPointer<const ssmlens::TuneCandidate>)
