#pragma once
// Tokens-per-layer curves, shared by TokensPerLayerPlot (the measured run) and ScheduleCurvePlot (the
// schedule editor's analytic preview) so that the two read alike and are fed alike: dense as a grey dashed
// line, the reduced count as a blue step line, anchors as orange downward triangles.
#include <cmath>
#include <cstdint>
#include <qcustomplot.h>
#include <vector>

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

// Ticks on whole layers only, labelled ones a whole number of layers apart as room allows and a small tick
// on every layer between them: a layer 2.5 does not exist.
class LayerAxisTicker : public QCPAxisTickerFixed {
public:
    LayerAxisTicker() {
        setTickStep(1.0);
        setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    }

protected:
    int getSubTickCount(double tickStep) override {
        const int step = int(std::lround(tickStep));
        return step >= 2 && step <= 10 ? step - 1 : 0;
    }
};

inline QSharedPointer<QCPAxisTicker> layerTicker() { return QSharedPointer<QCPAxisTicker>(new LayerAxisTicker); }

// tokens[l]: tokens entering layer l; anchors: layer indices (those outside tokens are skipped).
inline void setTokenCurves(QCPGraph* dense, QCPGraph* reduced, QCPGraph* anchors, int64_t promptLength,
                           const std::vector<int64_t>& tokens, const std::vector<int64_t>& anchorLayers) {
    QVector<double> x, flat, counts, ax, ay;
    for (size_t l = 0; l < tokens.size(); ++l) {
        x << double(l);
        flat << double(promptLength);
        counts << double(tokens[l]);
    }
    for (int64_t a : anchorLayers)
        if (a >= 0 && a < static_cast<int64_t>(tokens.size())) {
            ax << double(a);
            ay << double(tokens[a]);
        }
    dense->setData(x, flat, true);
    reduced->setData(x, counts, true);
    anchors->setData(ax, ay, true);
}

}  // namespace ssmlens
