#include "widgets/TokensPerLayerPlot.h"

#include <QEvent>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QVBoxLayout>
#include <cmath>
#include <qcustomplot.h>

#include "widgets/TokenCurves.h"

namespace ssmlens {

TokensPerLayerPlot::TokensPerLayerPlot(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->plotLayout()->insertRow(0);
    title_ = new QCPTextElement(plot_, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
    plot_->plotLayout()->addElement(0, 0, title_);
    // What the two percentages mean, under the plot (not part of an exported figure: a caption's job).
    explanation_ = new QLabel(this);
    explanation_->setWordWrap(true);
    explanation_->setContentsMargins(8, 2, 8, 4);
    explanation_->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(explanation_);
    // Under the curves: the selected layer as a pale band across the whole height.
    selection_ = new QCPItemRect(plot_);
    selection_->setPen(QPen(QColor(230, 159, 0), 1.5));
    selection_->setBrush(QColor(230, 159, 0, 50));
    selection_->setVisible(false);
    dense_ = plot_->addGraph();
    reduced_ = plot_->addGraph();
    anchors_ = plot_->addGraph();
    styleTokenCurves(dense_, reduced_, anchors_, 1.25);  // as ScheduleCurvePlot, drawn a little thicker
    plot_->legend->setVisible(true);
    plot_->legend->setBrush(QColor(255, 255, 255, 220));
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignLeft);
    plot_->xAxis->setTicker(layerTicker());
    connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        const int layer = layerAt(e->pos());
        if (e->button() != Qt::LeftButton || layer < 0) return;
        setSelectedLayer(layer);
        Q_EMIT layerSelected(layer);
    });
    retranslate();
}

void TokensPerLayerPlot::retranslate() {
    dense_->setName(tr("dense"));
    reduced_->setName(tr("with reduction"));
    anchors_->setName(tr("anchor (reduces after this layer)"));
    plot_->xAxis->setLabel(tr("layer"));
    plot_->yAxis->setLabel(tr("tokens"));
    title_->setText(titleText());
    explanation_->setText(tr("A token-layer is one token passing through one layer: the layers' work. The FLOPs also "
                             "count the output head, which reads the last token whatever the schedule, so they fall "
                             "a little less. Click a layer to select it in every view."));
    plot_->replot();
}

void TokensPerLayerPlot::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

QString TokensPerLayerPlot::titleText() const {
    if (!hasData_) return tr("Tokens entering each layer");
    const QLocale locale;
    return tr("Tokens entering each layer: %1% fewer token-layers, %2% fewer FLOPs")
        .arg(locale.toString(tokens_, 'f', 1), locale.toString(flops_, 'f', 1));
}

void TokensPerLayerPlot::setData(int promptLength, const std::vector<int64_t>& tokens, const std::vector<int64_t>& anchors,
                                 double flopsSaving, double tokenReduction) {
    setTokenCurves(dense_, reduced_, anchors_, promptLength, tokens, anchors);
    layers_ = static_cast<int>(tokens.size());
    flops_ = flopsSaving;
    tokens_ = tokenReduction;
    hasData_ = true;
    title_->setText(titleText());
    plot_->xAxis->setRange(-0.5, std::max<double>(1.0, tokens.size() - 0.5));
    plot_->yAxis->setRange(0, std::max(1, promptLength) * 1.08);
    setSelectedLayer(selected_ < layers_ ? selected_ : -1);
}

void TokensPerLayerPlot::clear() {
    setTokenCurves(dense_, reduced_, anchors_, 0, {}, {});
    layers_ = 0;
    hasData_ = false;
    title_->setText(titleText());
    setSelectedLayer(-1);
}

void TokensPerLayerPlot::setSelectedLayer(int layer) {
    selected_ = layer >= 0 && layer < layers_ ? layer : -1;
    selection_->setVisible(selected_ >= 0);
    if (selected_ >= 0) {
        selection_->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
        selection_->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
        selection_->topLeft->setCoords(selected_ - 0.5, 0);
        selection_->bottomRight->setCoords(selected_ + 0.5, 1);
    }
    plot_->replot();
}

int TokensPerLayerPlot::layerAt(const QPoint& pixel) const {
    if (layers_ == 0 || !plot_->axisRect()->rect().contains(pixel)) return -1;
    const int layer = static_cast<int>(std::lround(plot_->xAxis->pixelToCoord(pixel.x())));
    return layer >= 0 && layer < layers_ ? layer : -1;
}

int TokensPerLayerPlot::reducedPointCount() const { return reduced_->dataCount(); }

}  // namespace ssmlens
