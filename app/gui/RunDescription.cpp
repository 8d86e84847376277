#include "app/gui/RunDescription.h"

#include <QFileInfo>
#include <QLocale>
#include <algorithm>

#include "app/gui/WorkerMessages.h"

namespace ssmlens {

QString RunDescription::number(double value, int decimals) { return QLocale().toString(value, 'f', decimals); }

QString RunDescription::model(const QString& folder, const QString& dtype, const QString& device) {
    if (folder.isEmpty()) return tr("no model");
    const QString where = device == "cpu" ? tr("CPU") : device.toUpper();
    return tr("%1 (%2, %3)").arg(QFileInfo(folder).fileName(), dtype, where);
}

QString RunDescription::model(const ModelFacts& facts) { return model(facts.folder, facts.dtype, facts.device); }

QString RunDescription::schedule(const ReductionSchedule& s) {
    if (s.anchors.empty()) return tr("dense (no anchors)");
    double low = 1, high = 0;
    for (const ScheduleAnchor& a : s.anchors) {
        low = std::min(low, a.keepRatio);
        high = std::max(high, a.keepRatio);
    }
    const QString method = QString::fromStdString(methodName(s.method));
    const QString anchors = s.anchors.size() == 1 ? tr("1 anchor") : tr("%1 anchors").arg(s.anchors.size());
    const QString q = low == high ? number(low, 3) : tr("%1 to %2").arg(number(low, 3), number(high, 3));
    return tr("%1, %2, q = %3").arg(method, anchors, q);
}

}  // namespace ssmlens
