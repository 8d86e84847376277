#include "widgets/TokensPerLayerPlot.h"

#include <QVBoxLayout>
#include <qcustomplot.h>

#include "widgets/TokenCurves.h"

namespace ssmlens {

TokensPerLayerPlot::TokensPerLayerPlot(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->plotLayout()->insertRow(0);
    title_ = new QCPTextElement(plot_, tr("Tokens entering each layer"), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
    plot_->plotLayout()->addElement(0, 0, title_);
    dense_ = plot_->addGraph();
    dense_->setName(tr("dense"));
    reduced_ = plot_->addGraph();
    reduced_->setName(tr("with reduction"));
    anchors_ = plot_->addGraph();
    anchors_->setName(tr("anchor (reduces after this layer)"));
    styleTokenCurves(dense_, reduced_, anchors_, 1.25);  // as ScheduleCurvePlot, drawn a little thicker
    plot_->legend->setVisible(true);
    plot_->legend->setBrush(QColor(255, 255, 255, 220));
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignLeft);
    plot_->xAxis->setLabel(tr("layer"));
    plot_->yAxis->setLabel(tr("tokens"));
}

void TokensPerLayerPlot::setData(int promptLength, const std::vector<int64_t>& tokens, const std::vector<int64_t>& anchors,
                                 double flopsSaving, double tokenReduction) {
    setTokenCurves(dense_, reduced_, anchors_, promptLength, tokens, anchors);
    title_->setText(tr("Tokens entering each layer: %1% fewer token-layers, %2% fewer FLOPs")
                        .arg(tokenReduction, 0, 'f', 1)
                        .arg(flopsSaving, 0, 'f', 1));
    plot_->xAxis->setRange(-0.5, std::max<double>(1.0, tokens.size() - 0.5));
    plot_->yAxis->setRange(0, std::max(1, promptLength) * 1.08);
    plot_->replot();
}

int TokensPerLayerPlot::reducedPointCount() const { return reduced_->dataCount(); }

}  // namespace ssmlens
