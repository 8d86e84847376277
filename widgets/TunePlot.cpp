#include "widgets/TunePlot.h"

#include <QMouseEvent>
#include <QVBoxLayout>
#include <algorithm>
#include <qcustomplot.h>

namespace ssmlens {
namespace {

// Okabe-Ito colours (as the other plots): candidates blue, front vermillion, presets bluish green, current
// schedule reddish purple.
const QColor kCandidate(0, 114, 178), kFront(213, 94, 0), kPreset(0, 158, 115), kCurrent(204, 121, 167),
    kStopped(170, 170, 170), kTarget(90, 90, 90);

}  // namespace

TunePlot::TunePlot(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->plotLayout()->insertRow(0);
    plot_->plotLayout()->addElement(0, 0, new QCPTextElement(plot_, tr("Schedule search: objective against FLOPs reduction"),
                                                             QFont(font().family(), font().pointSize() + 1, QFont::Bold)));
    plot_->xAxis->setLabel(tr("FLOPs reduction (%)"));
    plot_->yAxis->setLabel(tr("mean KL to dense (nats, log)"));
    plot_->yAxis->setScaleType(QCPAxis::stLogarithmic);
    plot_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    plot_->yAxis->setNumberFormat("gb");
    // The legend in a column of its own to the right, so it never hides a candidate.
    plot_->legend->setVisible(true);
    plot_->legend->setBrush(QColor(255, 255, 255, 220));
    auto* side = new QCPLayoutGrid;
    plot_->plotLayout()->addElement(1, 1, side);
    side->addElement(0, 0, plot_->legend);
    side->setRowStretchFactor(0, 0.01);
    side->addElement(1, 0, new QCPLayoutElement(plot_));
    side->setMargins(QMargins(0, 0, 4, 0));
    plot_->plotLayout()->setColumnStretchFactor(1, 0.001);
    plot_->legend->setFillOrder(QCPLegend::foRowsFirst);
    connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        const int i = candidateAt(plot_->mapTo(this, e->pos()));
        if (i < 0) return;
        setSelected(i);
        Q_EMIT candidateClicked(i);
    });
    redraw();
}

void TunePlot::setPoints(const std::vector<TunePlotPoint>& points) {
    points_ = points;
    redraw();
}

void TunePlot::setTarget(double x) {
    target_ = x;
    redraw();
}

void TunePlot::setCurrent(double x, double y) {
    currentX_ = x;
    currentY_ = y;
    redraw();
}

void TunePlot::clearCurrent() { setCurrent(NAN, NAN); }

void TunePlot::setSelected(int index) {
    selected_ = index;
    redraw();
}

int TunePlot::frontCount() const {
    return static_cast<int>(std::count_if(points_.begin(), points_.end(), [](const TunePlotPoint& p) { return p.onFront; }));
}

QPointF TunePlot::widgetPositionOf(int index) const {
    for (const auto& p : points_)
        if (p.index == index)
            return plot_->mapTo(this, QPoint(int(plot_->xAxis->coordToPixel(p.flopsReductionPercent)),
                                             int(plot_->yAxis->coordToPixel(p.objective))));
    return {-1, -1};
}

int TunePlot::candidateAt(const QPointF& pos) const {
    const QPointF local = pos - plot_->mapTo(this, QPoint(0, 0));
    int best = -1;
    double bestD = 12.0 * 12.0;
    for (const auto& p : points_) {
        if (!(p.objective > 0)) continue;
        const double dx = plot_->xAxis->coordToPixel(p.flopsReductionPercent) - local.x();
        const double dy = plot_->yAxis->coordToPixel(p.objective) - local.y();
        if (dx * dx + dy * dy < bestD) bestD = dx * dx + dy * dy, best = p.index;
    }
    return best;
}

void TunePlot::redraw() {
    plot_->clearGraphs();
    plot_->clearItems();
    auto scatter = [&](const QString& name, QCPScatterStyle style, bool line = false) {
        QCPGraph* g = plot_->addGraph();
        g->setName(name);
        g->setLineStyle(line ? QCPGraph::lsLine : QCPGraph::lsNone);
        g->setScatterStyle(style);
        return g;
    };
    QCPGraph* stopped = scatter(tr("stopped early (clearly worse)"), QCPScatterStyle(QCPScatterStyle::ssDisc, kStopped, kStopped, 4));
    QCPGraph* candidates = scatter(tr("candidate"), QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(kCandidate, 1.5), Qt::white, 7));
    QCPGraph* presets = scatter(tr("paper preset"), QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(kPreset, 2), kPreset, 10));
    QCPGraph* front = scatter(tr("Pareto front"), QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(kFront, 2), kFront, 8), true);
    front->setPen(QPen(kFront, 2));
    double xMin = 0, xMax = 10, yMin = INFINITY, yMax = 0;
    std::vector<TunePlotPoint> frontPoints;
    for (const auto& p : points_) {
        if (!(p.objective > 0)) continue;  // log scale: a dense-equal schedule has no place
        QCPGraph* g = !p.complete ? stopped : p.preset ? presets : candidates;
        g->addData(p.flopsReductionPercent, p.objective);
        if (p.onFront) frontPoints.push_back(p);
        xMax = std::max(xMax, p.flopsReductionPercent);
        yMin = std::min(yMin, p.objective);
        yMax = std::max(yMax, p.objective);
    }
    std::sort(frontPoints.begin(), frontPoints.end(),
              [](const TunePlotPoint& a, const TunePlotPoint& b) { return a.flopsReductionPercent < b.flopsReductionPercent; });
    for (const auto& p : frontPoints) front->addData(p.flopsReductionPercent, p.objective);
    if (std::isfinite(currentX_)) {
        xMax = std::max(xMax, currentX_);
        if (currentY_ > 0) {
            QCPGraph* star = scatter(tr("schedule in the editor"), QCPScatterStyle(QCPScatterStyle::ssStar, QPen(kCurrent, 2.5), kCurrent, 16));
            star->addData(currentX_, currentY_);
            yMin = std::min(yMin, currentY_);
            yMax = std::max(yMax, currentY_);
        }
    }
    if (!std::isfinite(yMin)) yMin = 0.01, yMax = 1;
    if (std::isfinite(target_)) xMax = std::max(xMax, target_);
    plot_->xAxis->setRange(xMin - 1, xMax * 1.05 + 2);
    plot_->yAxis->setRange(yMin / 1.4, yMax * 1.4);
    auto vertical = [&](double x, const QPen& pen, const QString& label) {
        auto* line = new QCPItemStraightLine(plot_);
        line->point1->setCoords(x, yMin / 1.4);
        line->point2->setCoords(x, yMax * 1.4);
        line->setPen(pen);
        auto* text = new QCPItemText(plot_);
        text->position->setType(QCPItemPosition::ptPlotCoords);
        text->position->setCoords(x, yMax * 1.3);
        text->setPositionAlignment(Qt::AlignTop | Qt::AlignLeft);
        text->setText(label);
        text->setColor(pen.color());
        text->setPadding(QMargins(4, 0, 0, 0));
    };
    if (std::isfinite(target_)) vertical(target_, QPen(kTarget, 1.5, Qt::DashLine), tr("budget %1%").arg(target_, 0, 'f', 1));
    if (std::isfinite(currentX_) && !(currentY_ > 0))
        vertical(currentX_, QPen(kCurrent, 1.5, Qt::DotLine), tr("editor (not scored)"));
    for (const auto& p : points_)
        if (p.index == selected_ && p.objective > 0) {
            QCPGraph* ring = scatter(tr("selected"), QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 2), Qt::NoBrush, 17));
            ring->addData(p.flopsReductionPercent, p.objective);
        }
    // The legend lists only what is drawn.
    for (int i = plot_->graphCount() - 1; i >= 0; --i)
        if (plot_->graph(i)->dataCount() == 0) plot_->graph(i)->removeFromLegend();
    plot_->legend->setVisible(!points_.empty());
    plot_->replot();
}

}  // namespace ssmlens
