#include "widgets/AccuracySweepPlot.h"

#include <QEvent>
#include <QVBoxLayout>
#include <algorithm>
#include <qcustomplot.h>

namespace ssmlens {
namespace {

// Okabe-Ito colours: distinguishable for colour-blind readers and in greyscale print.
const QColor kColours[] = {{0, 114, 178}, {213, 94, 0}, {0, 158, 115}, {204, 121, 167},
                           {230, 159, 0}, {86, 180, 233}, {0, 0, 0}};

}  // namespace

AccuracySweepPlot::AccuracySweepPlot(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->plotLayout()->insertRow(0);
    title_ = new QCPTextElement(plot_, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
    plot_->plotLayout()->addElement(0, 0, title_);
    plot_->legend->setVisible(true);
    plot_->legend->setBrush(QColor(255, 255, 255, 220));
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignLeft);
    retranslate();
}

void AccuracySweepPlot::retranslate() {
    const QString title = tr("Accuracy against FLOPs reduction (depth-scaled schedules)");
    title_->setText(outOfDate_ ? tr("Out of date (another model): %1").arg(title) : title);
    title_->setTextColor(outOfDate_ ? QColor(161, 92, 0) : QColor(Qt::black));
    plot_->xAxis->setLabel(tr("FLOPs reduction on the task (%)"));
    plot_->yAxis->setLabel(tr("accuracy (%)"));
    redraw();
}

void AccuracySweepPlot::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

void AccuracySweepPlot::setOutOfDate(bool outOfDate) {
    if (outOfDate == outOfDate_) return;
    outOfDate_ = outOfDate;
    retranslate();
}

void AccuracySweepPlot::setSeries(const std::vector<SweepSeries>& series) {
    series_ = series;
    redraw();
}

void AccuracySweepPlot::setCurrent(const std::vector<SweepMarker>& markers) {
    markers_ = markers;
    redraw();
}

void AccuracySweepPlot::redraw() {
    plot_->clearGraphs();
    double xMax = 10, yMin = 100, yMax = 0;
    for (size_t i = 0; i < series_.size(); ++i) {
        const auto& s = series_[i];
        QCPGraph* g = plot_->addGraph();
        const QColor c = kColours[i % std::size(kColours)];
        g->setPen(QPen(c, 2));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, c, Qt::white, 7));
        g->setName(s.label);
        for (size_t k = 0; k < s.accuracy.size(); ++k) {
            g->addData(s.flopsReductionPercent[k], 100.0 * s.accuracy[k]);
            xMax = std::max(xMax, s.flopsReductionPercent[k]);
            yMin = std::min(yMin, 100.0 * s.accuracy[k]);
            yMax = std::max(yMax, 100.0 * s.accuracy[k]);
        }
        for (const auto& m : markers_) {
            if (m.label != s.label) continue;
            QCPGraph* star = plot_->addGraph();
            star->setLineStyle(QCPGraph::lsNone);
            star->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssStar, QPen(c, 2), c, 14));
            star->addData(m.flopsReductionPercent, 100.0 * m.accuracy);
            star->setName(tr("current schedule (%1)").arg(s.label));
            xMax = std::max(xMax, m.flopsReductionPercent);
            yMin = std::min(yMin, 100.0 * m.accuracy);
            yMax = std::max(yMax, 100.0 * m.accuracy);
        }
    }
    if (yMax < yMin) yMin = 0, yMax = 100;
    plot_->xAxis->setRange(-2, xMax * 1.08 + 2);
    plot_->yAxis->setRange(std::max(0.0, yMin - 5), std::min(100.0, yMax + 5));
    plot_->legend->setVisible(!series_.empty());
    plot_->replot();
}

}  // namespace ssmlens
