#include "widgets/AttentionMatrixPlot.h"

#include <QMouseEvent>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

#include "widgets/TokenFateStyle.h"  // one look of a token's fate in every view
#include "widgets/TokenStrip.h"  // visibleText

namespace ssmlens {
namespace {

// Colour-blind-safe scales that keep clear of the fate colours (sky blue merged, red pruned): purple-green
// (ColorBrewer PRGn) around white for signed values, viridis for magnitudes and logarithms.
QCPColorGradient divergingGradient() {
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.0, QColor(64, 0, 75));
    g.setColorStopAt(0.25, QColor(153, 112, 171));
    g.setColorStopAt(0.5, QColor(247, 247, 247));
    g.setColorStopAt(0.75, QColor(90, 174, 97));
    g.setColorStopAt(1.0, QColor(0, 68, 27));
    g.setNanHandling(QCPColorGradient::nhTransparent);
    return g;
}

QCPColorGradient sequentialGradient() {
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.0, QColor(253, 231, 37));   // small: light, so the background reads as "nothing"
    g.setColorStopAt(0.25, QColor(94, 201, 98));
    g.setColorStopAt(0.5, QColor(33, 145, 140));
    g.setColorStopAt(0.75, QColor(59, 82, 139));
    g.setColorStopAt(1.0, QColor(68, 1, 84));
    g.setNanHandling(QCPColorGradient::nhTransparent);
    return g;
}

// Decades shown on the log scale below the largest magnitude.
constexpr double kLogDecades = 6.0;

QColor selectedColour() { return QColor(230, 159, 0); }  // Okabe-Ito orange, as the similarity graph's selection

}  // namespace

AttentionMatrixPlot::AttentionMatrixPlot(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    // QCustomPlot asks for its whole layout's width (legend, labels) as a minimum; the Attention tab sits in
    // a window that must fit a 1600-pixel screen, so the plot may be squeezed instead.
    plot_->setMinimumSize(160, 140);
    plot_->setAutoAddPlottableToLegend(false);
    plot_->plotLayout()->insertRow(0);
    plot_->plotLayout()->addElement(0, 0, new QCPTextElement(plot_, QString(), QFont(font().family(), 9, QFont::Bold)));
    map_ = new QCPColorMap(plot_->xAxis, plot_->yAxis);
    map_->setInterpolate(false);
    scale_ = new QCPColorScale(plot_);
    plot_->plotLayout()->addElement(1, 1, scale_);
    map_->setColorScale(scale_);
    auto* margins = new QCPMarginGroup(plot_);
    plot_->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    scale_->setMarginGroup(QCP::msBottom | QCP::msTop, margins);

    auto strip = [this](QCPScatterStyle style) {
        QCPGraph* g = plot_->addGraph();
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(style);
        return g;
    };
    for (int i = 0; i < 2; ++i) {
        gone_[i] = strip(QCPScatterStyle(QCPScatterStyle::ssSquare, QPen(QColor(170, 170, 170)), QBrush(QColor(225, 225, 225)), 5));
        merged_[i] = strip(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 1.0), QBrush(TokenFateStyle::fillColor(FateMerged)), 7));
        pruned_[i] = strip(QCPScatterStyle(QCPScatterStyle::ssCross, QPen(TokenFateStyle::fillColor(FatePruned), 2.0), Qt::NoBrush, 8));
    }
    // Short names: the status line says "at this layer"; the legend must fit under a narrow matrix.
    merged_[0]->setName(TokenFateStyle::name(FateMerged));
    pruned_[0]->setName(TokenFateStyle::name(FatePruned));
    gone_[0]->setName(tr("gone before"));
    plot_->legend->setVisible(true);
    for (QCPGraph* g : {merged_[0], pruned_[0], gone_[0]}) g->addToLegend();
    plot_->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot_->legend->setBorderPen(Qt::NoPen);
    plot_->axisRect()->insetLayout()->take(plot_->legend);
    auto* legendRow = new QCPLayoutGrid;
    plot_->plotLayout()->addElement(2, 0, legendRow);
    legendRow->addElement(0, 0, plot_->legend);
    plot_->plotLayout()->setRowStretchFactor(2, 0.001);
    plot_->plotLayout()->setRowStretchFactor(0, 0.001);

    for (QCPItemRect** box : {&rowBox_, &columnBox_}) {
        *box = new QCPItemRect(plot_);
        (*box)->setPen(QPen(selectedColour(), 2.0));
        (*box)->setBrush(Qt::NoBrush);
        (*box)->setVisible(false);
    }
    message_ = new QCPItemText(plot_);
    message_->position->setType(QCPItemPosition::ptAxisRectRatio);
    message_->position->setCoords(0.5, 0.5);
    message_->setColor(QColor(110, 110, 110));
    message_->setVisible(false);

    plot_->xAxis->setLabel(tr("token read (s)"));
    plot_->yAxis->setLabel(tr("token reading (t)"));
    plot_->yAxis->setRangeReversed(true);  // row 0 at the top, as a matrix is written

    connect(plot_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        int row = 0, column = 0;
        if (cellAt(e->pos(), row, column))
            QToolTip::showText(e->globalPosition().toPoint(), describeCell(row, column), plot_);
        else
            QToolTip::hideText();
    });
    connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        int row = 0, column = 0;
        if (e->button() == Qt::LeftButton && cellAt(e->pos(), row, column)) Q_EMIT cellClicked(row, column);
    });
    clear();
}

void AttentionMatrixPlot::clear(const QString& message) {
    matrix_ = AttentionMatrix();
    labels_.clear();
    map_->data()->clear();
    for (int i = 0; i < 2; ++i)
        for (QCPGraph* g : {merged_[i], pruned_[i], gone_[i]}) g->data()->clear();
    rowBox_->setVisible(false);
    columnBox_->setVisible(false);
    message_->setText(message);
    message_->setVisible(!message.isEmpty());
    static_cast<QCPTextElement*>(plot_->plotLayout()->element(0, 0))->setText(QString());
    plot_->xAxis->setRange(-0.5, 9.5);
    plot_->yAxis->setRange(-0.5, 9.5);
    plot_->replot();
}

void AttentionMatrixPlot::setMatrix(const AttentionMatrix& matrix, const LayerTrace* fates, const QStringList& labels,
                                    const QString& title, ColourScale scale, int selected) {
    if (matrix.empty()) {
        clear();
        return;
    }
    matrix_ = matrix;
    labels_ = labels;
    colourScale_ = scale;
    message_->setVisible(false);
    static_cast<QCPTextElement*>(plot_->plotLayout()->element(0, 0))->setText(title);
    const int T = static_cast<int>(matrix.size);

    // The range of what is drawn: lower triangle, finite values.
    double lo = 0, hi = 0, peak = 0;
    for (int t = 0; t < T; ++t)
        for (int s = 0; s <= t; ++s) {
            const float v = matrix.at(t, s);
            if (!std::isfinite(v)) continue;
            lo = std::min(lo, double(v));
            hi = std::max(hi, double(v));
            peak = std::max(peak, std::abs(double(v)));
        }
    diverging_ = scale == ColourScale::Linear && lo < 0;
    map_->data()->setSize(T, T);
    map_->data()->setRange(QCPRange(0, T - 1), QCPRange(0, T - 1));
    const double nan = std::nan("");
    for (int t = 0; t < T; ++t)
        for (int s = 0; s < T; ++s) {
            const float v = matrix.at(t, s);
            double cell = nan;
            if (s <= t && std::isfinite(v))
                cell = scale == ColourScale::Log ? (v != 0 ? std::log10(std::abs(double(v))) : nan) : double(v);
            map_->data()->setCell(s, t, cell);
        }
    if (scale == ColourScale::Log) {
        const double top = peak > 0 ? std::log10(peak) : 0.0;
        map_->setGradient(sequentialGradient());
        map_->setDataRange(QCPRange(top - kLogDecades, top));
        scale_->axis()->setLabel(tr("log10 |value|"));
    } else if (diverging_) {
        map_->setGradient(divergingGradient());
        map_->setDataRange(QCPRange(-peak, peak));
        scale_->axis()->setLabel(tr("value (signed)"));
    } else {
        map_->setGradient(sequentialGradient());
        map_->setDataRange(QCPRange(0, hi > 0 ? hi : 1.0));
        scale_->axis()->setLabel(tr("value"));
    }

    // The strips: marks above (columns) and left (rows) of the matrix.
    strip_ = std::max(1.5, T * 0.035);
    const double mark = -0.5 - strip_ / 2;
    for (int i = 0; i < 2; ++i)
        for (QCPGraph* g : {merged_[i], pruned_[i], gone_[i]}) g->data()->clear();
    if (fates)
        for (int p = 0; p < T && p < static_cast<int>(fates->fate.size()); ++p) {
            const int fate = fates->fate[p];
            QCPGraph** target = fate == FateMerged ? merged_ : fate == FatePruned ? pruned_ : fate == FateGone ? gone_ : nullptr;
            if (!target) continue;
            target[0]->addData(p, mark);
            target[1]->addData(mark, p);
        }

    placeTicks();
    plot_->xAxis->setRange(-0.5 - strip_, T - 0.5);
    plot_->yAxis->setRange(-0.5 - strip_, T - 0.5);
    placeSelection(selected);
    plot_->replot();
}

void AttentionMatrixPlot::placeTicks() {
    // Ticks inside the matrix only: the tokens' words when each gets room (about 14 pixels), else positions at
    // a round step that leaves about 40 pixels between labels at the plot's width.
    const int T = static_cast<int>(matrix_.size);
    if (T == 0) return;
    const double pixels = std::max(60, std::min(plot_->width(), plot_->height()) - 110);
    const bool words = !labels_.isEmpty() && T <= 40 && pixels / T >= 14;
    int step = 1;
    if (!words) {
        const double wanted = T * 40.0 / pixels;
        for (int base = 1; step < wanted; base *= 10)
            for (int m : {1, 2, 5})
                if (step < wanted) step = m * base;
    }
    QSharedPointer<QCPAxisTickerText> xTicks(new QCPAxisTickerText), yTicks(new QCPAxisTickerText);
    for (int p = 0; p < T; p += step) {
        QString label = QString::number(p);
        if (words && p < labels_.size()) {
            label = TokenStrip::visibleText(labels_[p]);
            if (label.size() > 8) label = label.left(7) + QChar(0x2026);
        }
        xTicks->addTick(p, label);
        yTicks->addTick(p, label);
    }
    plot_->xAxis->setTicker(xTicks);
    plot_->yAxis->setTicker(yTicks);
    plot_->xAxis->setTickLabelRotation(words && T > 8 ? 60 : 0);
}

void AttentionMatrixPlot::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    if (matrix_.empty()) return;
    placeTicks();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void AttentionMatrixPlot::selectToken(int p) {
    placeSelection(p);
    plot_->replot();
}

void AttentionMatrixPlot::placeSelection(int p) {
    const int T = static_cast<int>(matrix_.size);
    const bool show = p >= 0 && p < T;
    rowBox_->setVisible(show);
    columnBox_->setVisible(show);
    if (show) {
        rowBox_->topLeft->setCoords(-0.5, p - 0.5);
        rowBox_->bottomRight->setCoords(T - 0.5, p + 0.5);
        columnBox_->topLeft->setCoords(p - 0.5, -0.5);
        columnBox_->bottomRight->setCoords(p + 0.5, T - 0.5);
    }
}

double AttentionMatrixPlot::drawnValue(int row, int column) const {
    const int T = static_cast<int>(matrix_.size);
    if (row < 0 || column < 0 || row >= T || column >= T) return std::nan("");
    return map_->data()->cell(column, row);
}

int AttentionMatrixPlot::markerCount(int fate) const {
    const QCPGraph* g = fate == FateMerged ? merged_[0] : fate == FatePruned ? pruned_[0] : fate == FateGone ? gone_[0] : nullptr;
    return g ? g->dataCount() : 0;
}

QString AttentionMatrixPlot::tokenName(int p) const {
    if (p < labels_.size()) return tr("%1 “%2”").arg(p).arg(TokenStrip::visibleText(labels_[p]));
    return QString::number(p);
}

QString AttentionMatrixPlot::describeCell(int row, int column) const {
    const int T = static_cast<int>(matrix_.size);
    if (row < 0 || column < 0 || row >= T || column >= T) return {};
    const float v = matrix_.at(row, column);
    QString text = tr("token %1 reads token %2").arg(tokenName(row), tokenName(column));
    if (column > row) return text + "\n" + tr("never: a token reads only itself and earlier tokens");
    if (!std::isfinite(v)) return text + "\n" + tr("not in this pass: a token was removed before this layer");
    text += "\n" + tr("value %1").arg(double(v), 0, 'g', 4);
    if (colourScale_ == ColourScale::Log && v != 0) text += "  " + tr("(log10 |value| %1)").arg(std::log10(std::abs(double(v))), 0, 'f', 2);
    return text;
}

bool AttentionMatrixPlot::cellAt(const QPoint& pixel, int& row, int& column) const {
    const int T = static_cast<int>(matrix_.size);
    if (T == 0 || !plot_->axisRect()->rect().contains(pixel)) return false;
    column = static_cast<int>(std::lround(plot_->xAxis->pixelToCoord(pixel.x())));
    row = static_cast<int>(std::lround(plot_->yAxis->pixelToCoord(pixel.y())));
    // A click on a mark of the strips selects that token (row = column).
    const double x = plot_->xAxis->pixelToCoord(pixel.x()), y = plot_->yAxis->pixelToCoord(pixel.y());
    if (y < -0.5 && column >= 0 && column < T) row = column;
    else if (x < -0.5 && row >= 0 && row < T) column = row;
    return row >= 0 && row < T && column >= 0 && column < T;
}

}  // namespace ssmlens
