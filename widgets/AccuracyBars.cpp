#include "widgets/AccuracyBars.h"

#include <QEvent>
#include <QLocale>
#include <QVBoxLayout>
#include <cmath>
#include <qcustomplot.h>

namespace ssmlens {
namespace {

const QColor kDense(150, 150, 150);
const QColor kReduced(20, 100, 200);

}  // namespace

AccuracyBars::AccuracyBars(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->plotLayout()->insertRow(0);
    title_ = new QCPTextElement(plot_, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
    plot_->plotLayout()->addElement(0, 0, title_);
    dense_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    dense_->setPen(Qt::NoPen);
    reduced_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    reduced_->setPen(Qt::NoPen);
    auto* group = new QCPBarsGroup(plot_);
    dense_->setBarsGroup(group);
    reduced_->setBarsGroup(group);
    dense_->setWidth(0.35);
    reduced_->setWidth(0.35);
    plot_->legend->setVisible(true);
    plot_->legend->setBrush(QColor(255, 255, 255, 220));
    plot_->yAxis->setRange(0, 100);
    plot_->xAxis->setTicks(false);  // nothing to name until there are results
    empty_ = new QCPItemText(plot_);
    empty_->position->setType(QCPItemPosition::ptAxisRectRatio);
    empty_->position->setCoords(0.5, 0.5);
    empty_->setColor(QColor(110, 110, 110));
    restyle();
    retranslate();
}

void AccuracyBars::retranslate() {
    dense_->setName(tr("dense"));
    reduced_->setName(tr("with reduction"));
    plot_->yAxis->setLabel(tr("accuracy (%)"));
    plot_->xAxis->setLabel(tr("task and metric"));
    empty_->setText(tr("No results yet: run the accuracy check"));
    title_->setText(caption_.isEmpty() ? tr("Accuracy: dense and reduced") : caption_);
    if (outOfDate_) title_->setText(tr("Out of date: %1").arg(title_->text()));
    plot_->replot();
}

void AccuracyBars::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

void AccuracyBars::restyle() {
    // Out of date: hatched in the same hues, so the numbers stay readable but never pass for current ones.
    dense_->setBrush(outOfDate_ ? QBrush(kDense, Qt::BDiagPattern) : QBrush(kDense));
    reduced_->setBrush(outOfDate_ ? QBrush(kReduced, Qt::BDiagPattern) : QBrush(kReduced));
    dense_->setPen(outOfDate_ ? QPen(kDense) : QPen(Qt::NoPen));
    reduced_->setPen(outOfDate_ ? QPen(kReduced) : QPen(Qt::NoPen));
    title_->setTextColor(outOfDate_ ? QColor(161, 92, 0) : QColor(Qt::black));
}

void AccuracyBars::setOutOfDate(bool outOfDate) {
    if (outOfDate == outOfDate_) return;
    outOfDate_ = outOfDate;
    restyle();
    retranslate();
}

void AccuracyBars::setData(const std::vector<AccuracyBar>& bars, const QString& caption) {
    QVector<double> keys, dense, reduced;
    QSharedPointer<QCPAxisTickerText> ticks(new QCPAxisTickerText);
    for (size_t i = 0; i < bars.size(); ++i) {
        keys << double(i + 1);
        dense << (std::isfinite(bars[i].dense) ? 100.0 * bars[i].dense : 0.0);
        reduced << (std::isfinite(bars[i].reduced) ? 100.0 * bars[i].reduced : 0.0);
        ticks->addTick(double(i + 1), bars[i].label);
    }
    for (QCPItemText* t : values_) plot_->removeItem(t);
    values_.clear();
    const QLocale locale;
    for (size_t i = 0; i < bars.size(); ++i) {  // the numbers, so nobody has to read them off the axis
        auto* t = new QCPItemText(plot_);
        t->position->setCoords(keys[int(i)], std::max(dense[int(i)], reduced[int(i)]) + 2);
        t->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        t->setText(tr("%1 → %2").arg(locale.toString(dense[int(i)], 'f', 1), locale.toString(reduced[int(i)], 'f', 1)));
        values_.push_back(t);
    }
    dense_->setData(keys, dense, true);
    reduced_->setData(keys, reduced, true);
    plot_->xAxis->setTicker(ticks);
    plot_->xAxis->setTicks(!bars.empty());
    empty_->setVisible(bars.empty());
    plot_->xAxis->setRange(0.3, bars.size() + 0.7);
    caption_ = caption;
    retranslate();
}

int AccuracyBars::barCount() const { return dense_->dataCount(); }

}  // namespace ssmlens
