#pragma once
// What the window asks the worker about a prompt's implicit attention, and what comes back (plain data, no torch:
// the Attention view draws it). The worker answers from the SSM kernels it recorded during the last run of
// ReductionWorker::run; runId names that run, so the window never shows one run's matrices with another's trace.
#include <QMetaType>
#include <QSharedPointer>
#include <vector>

#include "core/attention/LayerAttention.h"

namespace ssmlens {

struct AttentionRequest {
    quint64 id = 0;
    int layer = 0;
    AttentionSelection selection{-1, HeadAggregate::Mean, false};
    bool attribution = false;  // also the rollout attribution of the prediction (all layers; once per run)
};

struct AttentionResponse {
    quint64 id = 0;
    quint64 runId = 0;  // the ReductionRequest whose passes the matrices come from
    LayerAttention layer;
    bool hasAttribution = false;
    std::vector<float> attributionDense, attributionReduced;  // per original position
};

}  // namespace ssmlens

Q_DECLARE_METATYPE(ssmlens::AttentionRequest)
Q_DECLARE_METATYPE(QSharedPointer<const ssmlens::AttentionResponse>)
