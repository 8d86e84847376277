#include "widgets/ImportanceAttentionScatter.h"

#include <QMouseEvent>
#include <QToolTip>
#include <QVBoxLayout>
#include <cmath>
#include <limits>
#include <qcustomplot.h>

#include "core/attention/LayerAttention.h"  // rankCorrelation
#include "widgets/TokenFateStyle.h"
#include "widgets/TokenStrip.h"  // visibleText

namespace ssmlens {

ImportanceAttentionScatter::ImportanceAttentionScatter(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
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
    for (int fate : {FateKept, FateMerged, FatePruned}) {
        QCPGraph* g = plot_->addGraph();
        g->setLineStyle(QCPGraph::lsNone);
        const QColor c = TokenFateStyle::fillColor(fate);
        // Kept in a darker grey than the chips' fill: a dot must show on white.
        g->setScatterStyle(QCPScatterStyle(fate == FatePruned ? QCPScatterStyle::ssCross : QCPScatterStyle::ssDisc,
                                           QPen(fate == FateKept ? QColor(110, 110, 110) : c, fate == FatePruned ? 2.0 : 1.0),
                                           fate == FateKept ? QBrush(QColor(150, 150, 150)) : QBrush(c), 7));
        g->setName(TokenFateStyle::name(fate));
        g->addToLegend();
        byFate_[fate] = g;
    }
    selected_ = plot_->addGraph();
    selected_->setLineStyle(QCPGraph::lsNone);
    selected_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(230, 159, 0), 2.5), Qt::NoBrush, 14));
    plot_->legend->setVisible(true);
    plot_->legend->setBrush(QColor(255, 255, 255, 220));
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    plot_->xAxis->setLabel(tr("importance score (the reduction's metric)"));
    plot_->yAxis->setLabel(tr("attention received"));
    connect(plot_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        const int p = pointAt(e->pos());
        if (p < 0) {
            QToolTip::hideText();
            return;
        }
        const QString label = p < labels_.size() ? TokenStrip::visibleText(labels_[p]) : QString();
        QToolTip::showText(e->globalPosition().toPoint(),
                           tr("token %1 “%2”\nimportance %3, attention received %4")
                               .arg(p)
                               .arg(label)
                               .arg(double(x_[p]), 0, 'g', 4)
                               .arg(double(y_[p]), 0, 'g', 4),
                           plot_);
    });
    connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        const int p = pointAt(e->pos());
        if (e->button() == Qt::LeftButton && p >= 0) Q_EMIT tokenClicked(p);
    });
    clear();
}

void ImportanceAttentionScatter::clear(const QString& message) {
    x_.clear();
    y_.clear();
    labels_.clear();
    correlation_ = std::numeric_limits<double>::quiet_NaN();
    for (QCPGraph* g : byFate_) g->data()->clear();
    selected_->data()->clear();
    title_->setText(message.isEmpty() ? tr("Importance vs attention received") : message);
    plot_->replot();
}

void ImportanceAttentionScatter::setData(int layer, const std::vector<float>& importance,
                                         const std::vector<float>& received, const std::vector<int8_t>& fates,
                                         const QStringList& labels, int selected) {
    x_ = importance;
    y_ = received;
    labels_ = labels;
    for (QCPGraph* g : byFate_) g->data()->clear();
    selected_->data()->clear();
    const size_t n = std::min({x_.size(), y_.size(), fates.size()});
    x_.resize(n);
    y_.resize(n);
    for (size_t p = 0; p < n; ++p) {
        if (!std::isfinite(x_[p]) || !std::isfinite(y_[p]) ||
            (fates[p] != FateKept && fates[p] != FateMerged && fates[p] != FatePruned))
            continue;
        byFate_[fates[p]]->addData(x_[p], y_[p]);
    }
    correlation_ = rankCorrelation(x_, y_);
    title_->setText(std::isfinite(correlation_)
                        ? tr("Layer %1, Spearman ρ = %2").arg(layer).arg(correlation_, 0, 'f', 2)
                        : tr("Layer %1").arg(layer));
    plot_->rescaleAxes();
    for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis}) {
        const QCPRange r = axis->range();
        const double pad = std::max(r.size() * 0.06, 1e-9);
        axis->setRange(r.lower - pad, r.upper + pad);
    }
    placeSelection(selected);
    plot_->replot();
}

void ImportanceAttentionScatter::selectToken(int p) {
    placeSelection(p);
    plot_->replot();
}

void ImportanceAttentionScatter::placeSelection(int p) {
    selected_->data()->clear();
    if (p >= 0 && p < static_cast<int>(x_.size()) && std::isfinite(x_[p]) && std::isfinite(y_[p]))
        selected_->addData(x_[p], y_[p]);
}

int ImportanceAttentionScatter::pointCount() const {
    int n = 0;
    for (const QCPGraph* g : byFate_) n += g->dataCount();
    return n;
}

int ImportanceAttentionScatter::pointAt(const QPoint& pixel) const {
    int best = -1;
    double bestDistance = 8.0 * 8.0;  // pixels
    for (size_t p = 0; p < x_.size(); ++p) {
        if (!std::isfinite(x_[p]) || !std::isfinite(y_[p])) continue;
        const double dx = plot_->xAxis->coordToPixel(x_[p]) - pixel.x(), dy = plot_->yAxis->coordToPixel(y_[p]) - pixel.y();
        if (dx * dx + dy * dy < bestDistance) {
            bestDistance = dx * dx + dy * dy;
            best = static_cast<int>(p);
        }
    }
    return best;
}

}  // namespace ssmlens
