#pragma once
// The look of a tokens-per-layer curve, shared by TokensPerLayerPlot (the measured run) and ScheduleCurvePlot
// (the schedule editor's analytic preview), so that the two read alike: dense as a grey dashed line, the
// reduced count as a blue step line, anchors as orange downward triangles.
#include <qcustomplot.h>

namespace ssmlens {

// scale: 1 for the compact editor plot; the main view draws thicker (about 1.3).
inline void styleTokenCurves(QCPGraph* dense, QCPGraph* reduced, QCPGraph* anchors, double scale = 1.0) {
    const QColor anchorColour(220, 90, 0);
    dense->setPen(QPen(QColor(120, 120, 120), 1.5 * scale, Qt::DashLine));
    reduced->setPen(QPen(QColor(20, 100, 200), 2.0 * scale));
    reduced->setLineStyle(QCPGraph::lsStepLeft);
    anchors->setLineStyle(QCPGraph::lsNone);
    anchors->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssTriangleInverted, QPen(anchorColour), QBrush(anchorColour), 8 * scale));
}

}  // namespace ssmlens
