#include "widgets/ScheduleCurvePlot.h"

#include <QVBoxLayout>
#include <algorithm>
#include <qcustomplot.h>

#include "widgets/TokenCurves.h"

namespace ssmlens {

ScheduleCurvePlot::ScheduleCurvePlot(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    dense_ = plot_->addGraph();
    dense_->setName(tr("dense"));
    reduced_ = plot_->addGraph();
    reduced_->setName(tr("with schedule"));
    anchors_ = plot_->addGraph();
    anchors_->setName(tr("anchor"));
    styleTokenCurves(dense_, reduced_, anchors_);  // as TokensPerLayerPlot

    // The legend as one row above the axes: inside them it would hide the curve in a small plot.
    plot_->plotLayout()->insertRow(0);
    plot_->axisRect()->insetLayout()->take(plot_->legend);
    plot_->plotLayout()->addElement(0, 0, plot_->legend);
    plot_->plotLayout()->setRowStretchFactor(0, 0.001);
    plot_->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot_->legend->setBorderPen(Qt::NoPen);
    plot_->legend->setMargins(QMargins(4, 5, 4, 0));  // off the top edge
    plot_->legend->setVisible(true);
    plot_->xAxis->setTicker(layerTicker());
    plot_->xAxis->setLabel(tr("layer"));
    plot_->yAxis->setLabel(tr("tokens"));
    setMinimumSize(200, 120);
}

void ScheduleCurvePlot::setData(int64_t promptLength, const std::vector<int64_t>& tokens,
                                const std::vector<int64_t>& anchors) {
    setTokenCurves(dense_, reduced_, anchors_, promptLength, tokens, anchors);
    plot_->xAxis->setRange(-0.5, std::max<double>(1.0, tokens.size() - 0.5));
    plot_->yAxis->setRange(0, std::max<double>(1.0, double(promptLength)) * 1.08);
    // Queued: a slider drag asks for many redraws; the event loop draws the latest once.
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

int ScheduleCurvePlot::reducedPointCount() const { return reduced_->dataCount(); }
int ScheduleCurvePlot::anchorPointCount() const { return anchors_->dataCount(); }

}  // namespace ssmlens
