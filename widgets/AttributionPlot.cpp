#include "widgets/AttributionPlot.h"

#include <QMouseEvent>
#include <QToolTip>
#include <QVBoxLayout>
#include <cmath>
#include <qcustomplot.h>

#include "widgets/TokenStrip.h"  // visibleText

namespace ssmlens {

AttributionPlot::AttributionPlot(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    // QCustomPlot asks for its whole layout's width (legend, labels) as a minimum; the Attention tab sits in
    // a window that must fit a 1600-pixel screen, so the plot may be squeezed instead.
    plot_->setMinimumSize(160, 140);
    plot_->setAutoAddPlottableToLegend(false);
    plot_->plotLayout()->insertRow(0);
    title_ = new QCPTextElement(plot_, QString(), QFont(font().family(), 9, QFont::Bold));
    plot_->plotLayout()->addElement(0, 0, title_);
    // The colours of AccuracyBars: grey dense, blue reduced.
    dense_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    dense_->setBrush(QColor(150, 150, 150));
    dense_->setPen(Qt::NoPen);
    dense_->setName(tr("dense"));
    reduced_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    reduced_->setBrush(QColor(20, 100, 200));
    reduced_->setPen(Qt::NoPen);
    reduced_->setName(tr("reduced"));
    auto* group = new QCPBarsGroup(plot_);
    dense_->setBarsGroup(group);
    reduced_->setBarsGroup(group);
    dense_->addToLegend();
    reduced_->addToLegend();
    plot_->legend->setVisible(true);
    plot_->legend->setBrush(QColor(255, 255, 255, 220));
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    marker_ = new QCPItemStraightLine(plot_);
    marker_->setPen(QPen(QColor(230, 159, 0), 2.0, Qt::DashLine));
    marker_->setVisible(false);
    plot_->xAxis->setLabel(tr("token (position in the prompt)"));
    plot_->yAxis->setLabel(tr("share of the prediction"));
    connect(plot_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        const int p = positionAt(e->pos());
        if (p < 0) {
            QToolTip::hideText();
            return;
        }
        auto value = [](const std::vector<float>& v, int i) {
            return i < static_cast<int>(v.size()) && std::isfinite(v[i]) ? QString::number(double(v[i]), 'g', 3)
                                                                         : QStringLiteral("–");
        };
        const QString label = p < labels_.size() ? TokenStrip::visibleText(labels_[p]) : QString();
        QToolTip::showText(e->globalPosition().toPoint(),
                           tr("token %1 “%2”\ndense %3, reduced %4")
                               .arg(p)
                               .arg(label, value(denseValues_, p), value(reducedValues_, p)),
                           plot_);
    });
    connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        const int p = positionAt(e->pos());
        if (e->button() == Qt::LeftButton && p >= 0) Q_EMIT tokenClicked(p);
    });
    clear();
}

void AttributionPlot::clear(const QString& message) {
    denseValues_.clear();
    reducedValues_.clear();
    dense_->data()->clear();
    reduced_->data()->clear();
    marker_->setVisible(false);
    title_->setText(message.isEmpty() ? tr("Next-token attribution (rollout)") : message);
    plot_->replot();
}

void AttributionPlot::setAttribution(const std::vector<float>& dense, const std::vector<float>& reduced,
                                     const QStringList& labels) {
    denseValues_ = dense;
    reducedValues_ = reduced;
    labels_ = labels;
    dense_->data()->clear();
    reduced_->data()->clear();
    double top = 0;
    for (size_t p = 0; p < dense.size(); ++p)
        if (std::isfinite(dense[p])) {
            dense_->addData(p, dense[p]);
            top = std::max(top, double(dense[p]));
        }
    for (size_t p = 0; p < reduced.size(); ++p)
        if (std::isfinite(reduced[p])) {
            reduced_->addData(p, reduced[p]);
            top = std::max(top, double(reduced[p]));
        }
    reduced_->setVisible(!reduced.empty());
    const double width = reduced.empty() ? 0.8 : 0.4;
    dense_->setWidth(width);
    reduced_->setWidth(width);
    title_->setText(tr("Next-token attribution (rollout)"));
    plot_->xAxis->setRange(-0.7, std::max<double>(dense.size(), reduced.size()) - 0.3);
    plot_->yAxis->setRange(0, top > 0 ? top * 1.1 : 1.0);
    plot_->replot();
}

void AttributionPlot::selectToken(int p) {
    const int n = static_cast<int>(std::max(denseValues_.size(), reducedValues_.size()));
    marker_->setVisible(p >= 0 && p < n);
    if (p >= 0 && p < n) {
        marker_->point1->setCoords(p, 0);
        marker_->point2->setCoords(p, 1);
    }
    plot_->replot();
}

int AttributionPlot::barCount() const { return dense_->dataCount() + (reduced_->visible() ? reduced_->dataCount() : 0); }

int AttributionPlot::positionAt(const QPoint& pixel) const {
    const int n = static_cast<int>(std::max(denseValues_.size(), reducedValues_.size()));
    if (n == 0 || !plot_->axisRect()->rect().contains(pixel)) return -1;
    const int p = static_cast<int>(std::lround(plot_->xAxis->pixelToCoord(pixel.x())));
    return p >= 0 && p < n ? p : -1;
}

}  // namespace ssmlens
