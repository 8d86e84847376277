#include "widgets/ImportanceHeatmap.h"

#include <QMouseEvent>
#include <QToolTip>
#include <QVBoxLayout>
#include <cmath>
#include <qcustomplot.h>

#include "widgets/TokenStrip.h"  // fateName: one wording of a token's fate in every view

namespace ssmlens {
namespace {

const QColor kContentIndependentColor(230, 130, 0);  // the diamond of an anchor that chose by position alone

}  // namespace

ImportanceHeatmap::ImportanceHeatmap(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->setAutoAddPlottableToLegend(false);
    map_ = new QCPColorMap(plot_->xAxis, plot_->yAxis);
    map_->setInterpolate(false);
    auto* scale = new QCPColorScale(plot_);
    plot_->plotLayout()->addElement(0, 1, scale);
    scale->axis()->setLabel(tr("importance / layer max"));
    map_->setColorScale(scale);
    QCPColorGradient gradient(QCPColorGradient::gpThermal);
    gradient.setNanHandling(QCPColorGradient::nhTransparent);
    map_->setGradient(gradient);
    auto* margins = new QCPMarginGroup(plot_);
    plot_->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    scale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);

    merged_ = plot_->addGraph();
    merged_->setName(tr("merged at this layer"));
    merged_->setLineStyle(QCPGraph::lsNone);
    merged_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 1.2), QBrush(QColor(80, 170, 255)), 8));
    pruned_ = plot_->addGraph();
    pruned_->setName(tr("pruned at this layer"));
    pruned_->setLineStyle(QCPGraph::lsNone);
    pruned_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCross, QPen(QColor(230, 30, 30), 2.0), Qt::NoBrush, 9));
    // A diamond on the row's left edge marks an anchor whose choices ignored the token content. The marks
    // are items (drawn whole across the edge); this empty graph only gives them a legend entry, shown while
    // there are marks.
    contentIndependent_ = plot_->addGraph();
    contentIndependent_->setName(tr("anchor chose by position alone"));
    contentIndependent_->setLineStyle(QCPGraph::lsNone);
    contentIndependent_->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(kContentIndependentColor, 1.0), QBrush(kContentIndependentColor), 9));
    merged_->addToLegend();
    pruned_->addToLegend();
    // The legend goes in a row of its own under the plot, so it never hides cells.
    plot_->legend->setVisible(true);
    plot_->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot_->legend->setBorderPen(Qt::NoPen);
    plot_->axisRect()->insetLayout()->take(plot_->legend);
    auto* legendRow = new QCPLayoutGrid;
    plot_->plotLayout()->addElement(1, 0, legendRow);
    legendRow->addElement(0, 0, plot_->legend);
    legendRow->setMargins(QMargins(0, 0, 0, 4));
    plot_->plotLayout()->setRowStretchFactor(1, 0.001);
    plot_->legend->setMargins(QMargins(4, 0, 4, 0));

    plot_->xAxis->setLabel(tr("token (position in the prompt)"));
    plot_->yAxis->setLabel(tr("layer"));
    plot_->yAxis->setRangeReversed(true);  // layer 0 at the top, as the data flows downwards
    QSharedPointer<QCPAxisTickerFixed> layerTicks(new QCPAxisTickerFixed);
    layerTicks->setTickStep(1.0);
    layerTicks->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    plot_->yAxis->setTicker(layerTicks);

    connect(plot_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        int layer = 0, pos = 0;
        if (cellAt(e->pos(), layer, pos))
            QToolTip::showText(e->globalPosition().toPoint(), describeCell(layer, pos), plot_);
        else
            QToolTip::hideText();
    });
    connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        int layer = 0, pos = 0;
        if (e->button() == Qt::LeftButton && cellAt(e->pos(), layer, pos)) Q_EMIT cellSelected(layer, pos);
    });
    clear();
}

void ImportanceHeatmap::clear() {
    trace_ = TokenTrace();
    labels_.clear();
    map_->data()->clear();
    merged_->data()->clear();
    pruned_->data()->clear();
    setContentIndependentMarks({});
    plot_->xAxis->setRange(-0.5, 9.5);
    plot_->yAxis->setRange(-0.5, 9.5);
    plot_->replot();
}

void ImportanceHeatmap::setTrace(const TokenTrace& trace, const QStringList& tokenLabels) {
    trace_ = trace;
    labels_ = tokenLabels;
    const int L = static_cast<int>(trace.length), layers = static_cast<int>(trace.layers.size());
    merged_->data()->clear();
    pruned_->data()->clear();
    std::vector<int> positionalAnchors;
    for (int l = 0; l < layers; ++l)
        if (trace.layers[l].anchor && trace.layers[l].contentIndependent) positionalAnchors.push_back(l);
    setContentIndependentMarks(positionalAnchors);
    if (L == 0 || layers == 0) {
        clear();
        return;
    }
    map_->data()->setSize(L, layers);
    map_->data()->setRange(QCPRange(0, L - 1), QCPRange(0, layers - 1));
    double lowest = 0.0;
    for (int l = 0; l < layers; ++l) {
        const LayerTrace& lt = trace.layers[l];
        double peak = 0.0;
        for (float v : lt.importance)
            if (std::isfinite(v)) peak = std::max(peak, std::abs(double(v)));
        for (int p = 0; p < L; ++p) {
            const float v = lt.importance[p];
            const double value = std::isfinite(v) && peak > 0 ? v / peak : std::nan("");
            map_->data()->setCell(p, l, value);
            if (std::isfinite(value)) lowest = std::min(lowest, value);
            if (!lt.anchor) continue;
            if (lt.fate[p] == 1) merged_->addData(p, l);
            if (lt.fate[p] == 2) pruned_->addData(p, l);
        }
    }
    map_->setDataRange(QCPRange(lowest, 1.0));

    if (!labels_.isEmpty() && L <= 64) {
        QSharedPointer<QCPAxisTickerText> text(new QCPAxisTickerText);
        for (int p = 0; p < L && p < labels_.size(); ++p) {
            QString label = labels_[p];
            if (label.size() > 10) label = label.left(9) + QChar(0x2026);
            text->addTick(p, label);
        }
        plot_->xAxis->setTicker(text);
        plot_->xAxis->setTickLabelRotation(L > 12 ? 60 : 0);
    } else {
        QSharedPointer<QCPAxisTickerFixed> fixed(new QCPAxisTickerFixed);
        fixed->setTickStep(1.0);
        fixed->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
        plot_->xAxis->setTicker(fixed);
        plot_->xAxis->setTickLabelRotation(0);
    }
    plot_->xAxis->setRange(-0.5, L - 0.5);
    plot_->yAxis->setRange(-0.5, layers - 0.5);
    plot_->replot();
}

double ImportanceHeatmap::cellValue(int layer, int position) const {
    if (layer < 0 || position < 0 || position >= trace_.length || layer >= static_cast<int>(trace_.layers.size()))
        return std::nan("");
    return map_->data()->cell(position, layer);
}

int ImportanceHeatmap::markerCount(int8_t fate) const {
    return fate == 1 ? merged_->dataCount() : fate == 2 ? pruned_->dataCount() : 0;
}

int ImportanceHeatmap::contentIndependentMarkCount() const { return static_cast<int>(contentIndependentMarks_.size()); }

void ImportanceHeatmap::setContentIndependentMarks(const std::vector<int>& layers) {
    for (QCPItemText* mark : contentIndependentMarks_) plot_->removeItem(mark);
    contentIndependentMarks_.clear();
    for (int l : layers) {
        auto* mark = new QCPItemText(plot_);
        mark->setClipToAxisRect(false);
        mark->position->setTypeX(QCPItemPosition::ptAxisRectRatio);  // on the left edge of the cells
        mark->position->setTypeY(QCPItemPosition::ptPlotCoords);     // at the anchor's row
        mark->position->setCoords(0.0, l);
        mark->setPositionAlignment(Qt::AlignCenter);
        mark->setText(QStringLiteral("◆"));
        mark->setColor(kContentIndependentColor);
        QFont bigger = plot_->font();  // larger than the tick labels, so it reads at a glance
        if (bigger.pointSizeF() > 0) bigger.setPointSizeF(bigger.pointSizeF() * 1.5);
        else bigger.setPixelSize(bigger.pixelSize() * 3 / 2);
        mark->setFont(bigger);
        mark->setSelectable(false);
        contentIndependentMarks_.push_back(mark);
    }
    if (layers.empty()) contentIndependent_->removeFromLegend();
    else if (!plot_->legend->hasItemWithPlottable(contentIndependent_)) contentIndependent_->addToLegend();
}

QString ImportanceHeatmap::describeCell(int layer, int p) const {
    if (layer < 0 || layer >= static_cast<int>(trace_.layers.size()) || p < 0 || p >= trace_.length) return {};
    const LayerTrace& lt = trace_.layers[layer];
    QString token = p < labels_.size() ? QStringLiteral("\"%1\"").arg(labels_[p]) : QString::number(p);
    QString text = tr("layer %1, token %2 %3").arg(layer).arg(p).arg(token);
    if (std::isfinite(lt.importance[p])) text += "\n" + tr("importance %1").arg(lt.importance[p], 0, 'g', 4);
    text += "\n" + TokenStrip::fateName(lt.fate[p]);
    if (lt.fate[p] == 1 && lt.destination[p] >= 0) {
        text += " " + tr("into token %1").arg(lt.destination[p]);
        if (std::isfinite(lt.mergedFraction[p]))
            text += " " + tr("(%1% of channels)").arg(100.0 * lt.mergedFraction[p], 0, 'f', 0);
    }
    if (lt.anchor && std::isfinite(lt.matchCosine[p]))
        text += "\n" + tr("best match: token %1, cosine %2").arg(lt.match[p]).arg(lt.matchCosine[p], 0, 'f', 3);
    if (lt.anchor && lt.contentIndependent) text += "\n" + TokenStrip::contentIndependentNote();
    return text;
}

bool ImportanceHeatmap::cellAt(const QPoint& pixel, int& layer, int& position) const {
    if (trace_.length == 0 || !plot_->axisRect()->rect().contains(pixel)) return false;
    position = static_cast<int>(std::lround(plot_->xAxis->pixelToCoord(pixel.x())));
    layer = static_cast<int>(std::lround(plot_->yAxis->pixelToCoord(pixel.y())));
    return position >= 0 && position < trace_.length && layer >= 0 && layer < static_cast<int>(trace_.layers.size());
}


}  // namespace ssmlens
