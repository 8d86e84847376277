#pragma once
// One-line descriptions of what a result was computed for, shared by the window's caption, the accuracy
// panel and the continuations: "demo-model (fp32, CPU)", "utr, 7 anchors, q = 0.905" — translated, with the
// locale's number format.
#include <QCoreApplication>
#include <QString>

#include "core/reduction/ReductionSchedule.h"

namespace ssmlens {

struct ModelFacts;

class RunDescription {
    Q_DECLARE_TR_FUNCTIONS(ssmlens::RunDescription)
public:
    static QString model(const QString& folder, const QString& dtype, const QString& device);
    static QString model(const ModelFacts& facts);
    static QString schedule(const ReductionSchedule& schedule);
    static QString number(double value, int decimals);  // in the current locale ("0,905" in German)
};

}  // namespace ssmlens
