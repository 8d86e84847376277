#include "widgets/ImportanceHeatmap.h"

#include <QEvent>
#include <QFontMetricsF>
#include <QLabel>
#include <QMouseEvent>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

#include "widgets/PlotExport.h"
#include "widgets/TokenCurves.h"  // layerTicker
#include "widgets/TokenFateStyle.h"
#include "widgets/TokenStrip.h"  // visibleText

namespace ssmlens {
namespace {

// matplotlib's viridis at ten stops: perceptually uniform, readable in greyscale and with colour-vision
// deficiencies, and neither end is white or grey, so no importance looks like a gone (hatched) cell.
QCPColorGradient viridis() {
    QCPColorGradient g;
    g.clearColorStops();
    const QColor stops[] = {{68, 1, 84},    {72, 40, 120},  {62, 74, 137},  {49, 104, 142}, {38, 130, 142},
                            {31, 158, 137}, {53, 183, 121}, {109, 205, 89}, {180, 222, 44}, {253, 231, 37}};
    for (int i = 0; i < 10; ++i) g.setColorStopAt(i / 9.0, stops[i]);
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    g.setLevelCount(256);
    return g;
}

constexpr int kMaxLabelChars = 9;  // longer token texts are elided on the axis (the hover has them whole)
constexpr double kMinTokensInView = 4;  // the most the token axis zooms in

}  // namespace

// The cells: a rectangle per (layer, token), gone cells hatched, the selection outlined. Drawn as vector
// rectangles (PDF, SVG, and on screen while cells are wider than a pixel); as one nearest-neighbour image
// when thousands of cells share a pixel column.
class HeatmapCells : public QCPAbstractPlottable {
public:
    HeatmapCells(QCPAxis* keyAxis, QCPAxis* valueAxis, QCPColorScale* scale)
        : QCPAbstractPlottable(keyAxis, valueAxis), scale_(scale) {
        setSelectable(QCP::stNone);
    }
    // values: row-major, NaN where gone; merged, pruned: (column, row) of the markers.
    void setData(int columns, int rows, std::vector<double> values, std::vector<QPoint> merged, std::vector<QPoint> pruned) {
        columns_ = columns;
        rows_ = rows;
        values_ = std::move(values);
        merged_ = std::move(merged);
        pruned_ = std::move(pruned);
    }
    int markerCount(int fate) const {
        return fate == FateMerged ? int(merged_.size()) : fate == FatePruned ? int(pruned_.size()) : 0;
    }
    void setColours(const QCPColorGradient& gradient, const QCPRange& range) {
        gradient_ = gradient;
        range_ = range;
    }
    void setSelection(int row, int column) {
        selectedRow_ = row;
        selectedColumn_ = column;
    }
    double value(int row, int column) const {
        return row >= 0 && row < rows_ && column >= 0 && column < columns_ ? values_[size_t(row) * columns_ + column]
                                                                           : std::nan("");
    }
    QColor colour(double v) const { return QColor::fromRgb(gradient_.color(v, range_)); }

    double selectTest(const QPointF&, bool, QVariant*) const override { return -1; }  // clicks: the widget
    QCPRange getKeyRange(bool& found, QCP::SignDomain) const override {
        found = columns_ > 0;
        return QCPRange(-0.5, columns_ - 0.5);
    }
    QCPRange getValueRange(bool& found, QCP::SignDomain, const QCPRange&) const override {
        found = rows_ > 0;
        return QCPRange(-0.5, rows_ - 0.5);
    }

protected:
    void draw(QCPPainter* painter) override {
        if (columns_ == 0 || rows_ == 0) return;
        QCPAxis* keys = keyAxis();
        QCPAxis* values = valueAxis();
        const int c0 = std::max(0, int(std::floor(keys->range().lower + 0.5)));
        const int c1 = std::min(columns_ - 1, int(std::ceil(keys->range().upper - 0.5)));
        if (c1 < c0) return;
        auto x = [&](double key) { return keys->coordToPixel(key); };
        auto y = [&](double row) { return values->coordToPixel(row); };
        const QRectF data = QRectF(QPointF(x(c0 - 0.5), y(-0.5)), QPointF(x(c1 + 0.5), y(rows_ - 0.5))).normalized();
        painter->save();
        painter->setClipRect(clipRect(), Qt::IntersectClip);
        TokenFateStyle::paintGone(*painter, data);  // what shows through wherever a token is gone
        painter->setAntialiasing(false);
        const double cellWidth = std::abs(x(1) - x(0));
        if (painter->modes().testFlag(QCPPainter::pmVectorized) || cellWidth >= 1.5) {
            painter->setPen(Qt::NoPen);
            // Each cell reaches a quarter pixel into the next, which overdraws it: no hairline seams where a
            // viewer antialiases the edges of adjacent rectangles.
            const double overlap = painter->modes().testFlag(QCPPainter::pmVectorized) ? 0.25 : 0.0;
            for (int r = 0; r < rows_; ++r)
                for (int c = c0; c <= c1; ++c) {
                    const double v = values_[size_t(r) * columns_ + c];
                    if (!std::isfinite(v)) continue;
                    QRectF cell = QRectF(QPointF(x(c - 0.5), y(r - 0.5)), QPointF(x(c + 0.5), y(r + 0.5))).normalized();
                    const bool nextGone = c + 1 <= c1 && !std::isfinite(values_[size_t(r) * columns_ + c + 1]);
                    cell.adjust(0, 0, nextGone ? 0 : overlap, r + 1 < rows_ ? overlap : 0);
                    painter->fillRect(cell, colour(v));
                }
        } else {
            QImage image(c1 - c0 + 1, rows_, QImage::Format_ARGB32);
            image.fill(Qt::transparent);
            for (int r = 0; r < rows_; ++r)
                for (int c = c0; c <= c1; ++c) {
                    const double v = values_[size_t(r) * columns_ + c];
                    if (std::isfinite(v)) image.setPixel(c - c0, r, colour(v).rgb());
                }
            const bool rowZeroOnTop = y(0) < y(1);  // image row 0 is its top line
            painter->drawImage(data, rowZeroOnTop ? image : image.mirrored(false, true));
        }
        painter->setAntialiasing(true);
        drawMarkers(painter, std::min(cellWidth, std::abs(y(1) - y(0))));
        // The selection: the layer's row and the token's column in a thin line, their cell in a thick one.
        painter->setBrush(Qt::NoBrush);
        if (selectedRow_ >= 0 && selectedRow_ < rows_) {
            painter->setPen(QPen(Qt::white, 3.0));
            const QRectF row = QRectF(QPointF(data.left(), y(selectedRow_ - 0.5)), QPointF(data.right(), y(selectedRow_ + 0.5))).normalized();
            painter->drawRect(row);
            painter->setPen(QPen(Qt::black, 1.4));
            painter->drawRect(row);
        }
        if (selectedColumn_ >= 0 && selectedColumn_ < columns_) {
            const QRectF column = QRectF(QPointF(x(selectedColumn_ - 0.5), data.top()), QPointF(x(selectedColumn_ + 0.5), data.bottom())).normalized();
            painter->setPen(QPen(Qt::white, 3.0));
            painter->drawRect(column);
            painter->setPen(QPen(Qt::black, 1.4));
            painter->drawRect(column);
        }
        painter->restore();
        drawColourBar(painter);
    }
    // Merged: a blue dot; pruned: a red cross over a wider white one, so it stands out on dark and bright
    // cells alike. Sized to the cells, so thousands of tokens do not drown in markers.
    void drawMarkers(QCPPainter* painter, double cell) {
        const double size = std::clamp(cell * 0.7, 3.0, 9.0);
        auto at = [&](const QPoint& m) { return QPointF(keyAxis()->coordToPixel(m.x()), valueAxis()->coordToPixel(m.y())); };
        painter->setPen(QPen(Qt::black, std::max(0.6, size / 7)));
        painter->setBrush(TokenFateStyle::fillColor(FateMerged));
        for (const QPoint& m : merged_) painter->drawEllipse(at(m), size / 2, size / 2);
        const double r = size / 2;
        for (const auto& [colour, width] : {std::pair{QColor(Qt::white), size / 2.0}, std::pair{TokenFateStyle::fillColor(FatePruned), size / 4.5}}) {
            QPen pen(colour, std::max(0.8, width));
            pen.setCapStyle(Qt::FlatCap);
            painter->setPen(pen);
            for (const QPoint& m : pruned_) {
                const QPointF c = at(m);
                painter->drawLine(c + QPointF(-r, -r), c + QPointF(r, r));
                painter->drawLine(c + QPointF(-r, r), c + QPointF(r, -r));
            }
        }
    }
    // The colour bar as a vector gradient over the colour scale's own (transparent) bar: sharp in PDF and
    // SVG at any zoom.
    void drawColourBar(QCPPainter* painter) {
        if (!scale_ || columns_ == 0) return;
        const QRect bar = scale_->axis()->axisRect()->rect();
        if (bar.isEmpty()) return;
        QLinearGradient g(bar.bottomLeft(), bar.topLeft());  // low values at the bottom
        for (int i = 0; i <= 32; ++i) {
            const double t = i / 32.0;
            g.setColorAt(t, colour(range_.lower + t * range_.size()));
        }
        painter->save();
        painter->setClipping(false);
        painter->setPen(Qt::NoPen);
        painter->setBrush(g);
        painter->drawRect(bar);
        painter->restore();
    }
    void drawLegendIcon(QCPPainter* painter, const QRectF& rect) const override {
        const QRectF box = rect.adjusted(2, 2, -2, -2);
        TokenFateStyle::paintGone(*painter, box);
        painter->setPen(QPen(QColor(150, 150, 150), 1));
        painter->setBrush(Qt::NoBrush);
        painter->drawRect(box);
    }

private:
    QCPColorScale* scale_;
    int columns_ = 0, rows_ = 0;
    std::vector<double> values_;  // row-major: layer, then token; NaN gone
    std::vector<QPoint> merged_, pruned_;
    mutable QCPColorGradient gradient_;  // color() refreshes its colour cache
    QCPRange range_{0, 1};
    int selectedRow_ = -1, selectedColumn_ = -1;
};

// The diamonds of content-independent anchors, one on the left edge of each such anchor's row, half over
// the cells and half over the margin, sized to the rows. On the axes' layer, so the axis line and the
// layer ticks do not cross them; drawn as vector polygons in every export.
class ContentIndependentMarks : public QCPLayerable {
public:
    explicit ContentIndependentMarks(QCustomPlot* plot) : QCPLayerable(plot, QStringLiteral("axes")) {}
    void setRows(std::vector<int> rows) { rows_ = std::move(rows); }
    int count() const { return static_cast<int>(rows_.size()); }
    // The room the layer numbers leave at the axis while there are marks (the largest diamond's half).
    static constexpr int kRoom = 8;

protected:
    void applyDefaultAntialiasingHint(QCPPainter* painter) const override { painter->setAntialiasing(true); }
    void draw(QCPPainter* painter) override {
        if (rows_.empty()) return;
        QCPAxis* layers = parentPlot()->yAxis;
        const double left = parentPlot()->axisRect()->left();
        const double row = std::abs(layers->coordToPixel(1) - layers->coordToPixel(0));
        const double size = std::clamp(row * 0.85, 7.0, 2.0 * kRoom - 2);
        for (int r : rows_) TokenFateStyle::paintContentIndependentMark(*painter, QPointF(left, layers->coordToPixel(r)), size);
    }

private:
    std::vector<int> rows_;
};

// The token axis: ticks on whole positions, as many as their labels leave room for (1, 2, 5, 10, ...
// tokens apart), labelled with the token's text, and with its position too when some are skipped.
class TokenAxisTicker : public QCPAxisTicker {
public:
    explicit TokenAxisTicker(QCPAxis* axis) : axis_(axis) {}
    void setLabels(const QStringList& labels, int count) {
        labels_ = labels;
        count_ = count;
    }
    QStringList lastLabels() const { return last_; }

    void generate(const QCPRange& range, const QLocale& locale, QChar formatChar, int precision, QVector<double>& ticks,
                  QVector<double>* subTicks, QVector<QString>* tickLabels) override {
        QCPAxisTicker::generate(range, locale, formatChar, precision, ticks, subTicks, tickLabels);
        if (tickLabels) last_ = QStringList(tickLabels->begin(), tickLabels->end());
    }

protected:
    double getTickStep(const QCPRange& range) override {
        // The axis's length in pixels. Ticks are made before the layout settles on a new size (an export at
        // another size than the screen), so estimate it from the whole plot, of which it takes most.
        const double pixels = std::max(1.0, 0.8 * axis_->parentPlot()->viewport().width());
        const double perToken = pixels / std::max(range.size(), 1e-9);
        // A label written at 60 degrees needs about 1.2 lines of height along the axis.
        const double needed = QFontMetricsF(axis_->tickLabelFont()).height() * (labels_.isEmpty() ? 3.0 : 1.25);
        step_ = 1;
        for (int s : {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000}) {
            step_ = s;
            if (s * perToken >= needed) break;
        }
        return step_;
    }
    int getSubTickCount(double step) override { return step > 1 && step <= 10 ? int(step) - 1 : 0; }
    QVector<double> createTickVector(double step, const QCPRange& range) override {
        QVector<double> ticks;
        const double first = std::max(0.0, std::ceil(range.lower / step) * step);
        for (double t = first; t <= range.upper && t < count_; t += step) ticks << t;
        return ticks;
    }
    QString getTickLabel(double tick, const QLocale& locale, QChar, int) override {
        const int p = int(std::lround(tick));
        if (p < 0 || p >= labels_.size()) return locale.toString(p);
        QString text = TokenStrip::visibleText(labels_[p]);
        if (text.size() > kMaxLabelChars) text = text.left(kMaxLabelChars - 1) + QChar(0x2026);
        return step_ == 1 ? text : QStringLiteral("%1 %2").arg(locale.toString(p), text);
    }

private:
    QCPAxis* axis_;
    QStringList labels_;
    int count_ = 0;
    int step_ = 1;
    QStringList last_;
};

ImportanceHeatmap::ImportanceHeatmap(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_, 1);
    // How to move around, under the plot (not part of an exported figure).
    hint_ = new QLabel(this);
    hint_->setForegroundRole(QPalette::PlaceholderText);
    hint_->setContentsMargins(6, 0, 6, 2);
    layout->addWidget(hint_);
    plot_->setAutoAddPlottableToLegend(false);
    scale_ = new QCPColorScale(plot_);
    plot_->plotLayout()->addElement(0, 1, scale_);
    // The scale's own bar (a picture) stays transparent; HeatmapCells paints a vector gradient over it.
    QCPColorGradient invisible;
    invisible.clearColorStops();
    invisible.setColorStopAt(0, Qt::transparent);
    invisible.setColorStopAt(1, Qt::transparent);
    scale_->setGradient(invisible);
    scale_->setBarWidth(14);
    scale_->setDataRange(QCPRange(0, 1));
    cells_ = new HeatmapCells(plot_->xAxis, plot_->yAxis, scale_);
    contentIndependentMarks_ = new ContentIndependentMarks(plot_);
    tickLabelPadding_ = plot_->yAxis->tickLabelPadding();
    auto* margins = new QCPMarginGroup(plot_);
    plot_->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    scale_->setMarginGroup(QCP::msBottom | QCP::msTop, margins);

    // Legend entries only (HeatmapCells draws the markers themselves, sized to the cells).
    merged_ = plot_->addGraph();
    merged_->setLineStyle(QCPGraph::lsNone);
    merged_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 1.2),
                                             QBrush(TokenFateStyle::fillColor(FateMerged)), 8));
    pruned_ = plot_->addGraph();
    pruned_->setLineStyle(QCPGraph::lsNone);
    pruned_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCross, QPen(TokenFateStyle::fillColor(FatePruned), 2.0),
                                             Qt::NoBrush, 9));
    // The diamonds of content-independent anchors are drawn by ContentIndependentMarks; this empty graph
    // only gives them a legend entry, shown while there are some.
    contentIndependent_ = plot_->addGraph();
    contentIndependent_->setLineStyle(QCPGraph::lsNone);
    contentIndependent_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(QColor(60, 30, 0), 1.0),
                                                         QBrush(TokenFateStyle::contentIndependentColor()), 10));
    merged_->addToLegend();
    pruned_->addToLegend();
    cells_->addToLegend();
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
    plot_->legend->setWrap(0);

    plot_->yAxis->setRangeReversed(true);  // layer 0 at the top, as the data flows downwards
    plot_->yAxis->setTicker(layerTicker());
    ticker_.reset(new TokenAxisTicker(plot_->xAxis));
    plot_->xAxis->setTicker(ticker_);

    // The token axis zooms (wheel) and pans (drag); the layers always all show.
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->axisRect()->setRangeDrag(Qt::Horizontal);
    plot_->axisRect()->setRangeZoom(Qt::Horizontal);
    connect(plot_->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, &ImportanceHeatmap::clampTokenRange);

    connect(plot_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        int layer = 0, pos = 0;
        if (e->buttons() == Qt::NoButton && cellAt(e->pos(), layer, pos))
            QToolTip::showText(e->globalPosition().toPoint(), describeCell(layer, pos), plot_);
        else
            QToolTip::hideText();
    });
    // A click selects; a press that turns into a drag pans instead.
    auto pressedAt = std::make_shared<QPoint>();
    connect(plot_, &QCustomPlot::mousePress, this, [pressedAt](QMouseEvent* e) { *pressedAt = e->pos(); });
    connect(plot_, &QCustomPlot::mouseRelease, this, [this, pressedAt](QMouseEvent* e) {
        int layer = 0, pos = 0;
        if (e->button() == Qt::LeftButton && (e->pos() - *pressedAt).manhattanLength() < 5 && cellAt(e->pos(), layer, pos))
            Q_EMIT cellSelected(layer, pos);
    });
    connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this] { showAllTokens(); });
    retranslate();
    clear();
}

void ImportanceHeatmap::retranslate() {
    scale_->axis()->setLabel(tr("rel. importance"));
    merged_->setName(tr("merged here"));
    pruned_->setName(tr("pruned here"));
    cells_->setName(tr("gone earlier"));
    contentIndependent_->setName(tr("anchor chose by position alone"));
    plot_->xAxis->setLabel(tr("token (position in the prompt)"));
    hint_->setText(tr("Colour: importance ÷ layer max · hatched: removed earlier · click: select · wheel: zoom · "
                      "drag: pan · double click: all tokens"));
    hint_->setWordWrap(true);
    plot_->yAxis->setLabel(tr("layer"));
    plot_->replot();
}

void ImportanceHeatmap::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

void ImportanceHeatmap::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    fitLegend(plot_->width(), plot_->legend->font());
}

void ImportanceHeatmap::fitLegend(double width, const QFont& font) { wrapLegendToWidth(plot_->legend, width, font); }

int ImportanceHeatmap::legendRows() const { return plot_->legend->rowCount(); }

QString ImportanceHeatmap::exportImage(const QString& path, const FigureSize& size) {
    const FigureFonts fonts = FigureFonts::forPoints(plot_->font(), size.fontPt);
    fitLegend(size.canvas().width(), fonts.small);
    const QString error = exportPlot(plot_, path, size);
    fitLegend(plot_->width(), plot_->legend->font());
    return error;
}

void ImportanceHeatmap::clear() {
    trace_ = TokenTrace();
    labels_.clear();
    cells_->setData(0, 0, {}, {}, {});
    cells_->setSelection(-1, -1);
    setContentIndependentMarks({});
    ticker_->setLabels({}, 0);
    plot_->xAxis->setTickLabelRotation(0);
    plot_->xAxis->setRange(-0.5, 9.5);
    plot_->yAxis->setRange(-0.5, 9.5);
    plot_->replot();
}

void ImportanceHeatmap::setTrace(const TokenTrace& trace, const QStringList& tokenLabels) {
    const int L = static_cast<int>(trace.length), layers = static_cast<int>(trace.layers.size());
    bool consistent = L > 0 && layers > 0;
    for (const LayerTrace& lt : trace.layers)
        consistent = consistent && static_cast<int>(lt.importance.size()) == L && static_cast<int>(lt.fate.size()) == L;
    if (!consistent) {
        clear();
        return;
    }
    const bool sameLength = trace_.length == L;
    trace_ = trace;
    labels_ = tokenLabels;
    std::vector<double> values(size_t(layers) * L);
    std::vector<QPoint> merged, pruned;
    double lowest = 0.0;
    for (int l = 0; l < layers; ++l) {
        const LayerTrace& lt = trace.layers[l];
        double peak = 0.0;
        for (float v : lt.importance)
            if (std::isfinite(v)) peak = std::max(peak, std::abs(double(v)));
        for (int p = 0; p < L; ++p) {
            const float v = lt.importance[p];
            const double value = std::isfinite(v) && peak > 0 && lt.fate[p] != FateGone ? v / peak : std::nan("");
            values[size_t(l) * L + p] = value;
            if (std::isfinite(value)) lowest = std::min(lowest, value);
            if (!lt.anchor) continue;
            if (lt.fate[p] == FateMerged) merged.emplace_back(p, l);
            if (lt.fate[p] == FatePruned) pruned.emplace_back(p, l);
        }
    }
    cells_->setData(L, layers, std::move(values), std::move(merged), std::move(pruned));
    std::vector<int> positionalAnchors;
    for (int l = 0; l < layers; ++l)
        if (trace.layers[l].anchor && trace.layers[l].contentIndependent) positionalAnchors.push_back(l);
    setContentIndependentMarks(positionalAnchors);
    scale_->setDataRange(QCPRange(lowest, 1.0));
    cells_->setColours(viridis(), QCPRange(lowest, 1.0));
    ticker_->setLabels(labels_, L);
    plot_->xAxis->setTickLabelRotation(labels_.isEmpty() ? 0 : 60);
    if (!sameLength) plot_->xAxis->setRange(-0.5, L - 0.5);
    plot_->yAxis->setRange(-0.5, layers - 0.5);
    plot_->replot();
}

void ImportanceHeatmap::setSelection(int layer, int position) {
    cells_->setSelection(layer, position);
    // Keep the selected token in view when the axis is zoomed in.
    if (position >= 0 && (position < firstTokenInView() || position > lastTokenInView())) {
        const double span = plot_->xAxis->range().size();
        plot_->xAxis->setRange(position - span / 2, position + span / 2);
    }
    plot_->replot();
}

void ImportanceHeatmap::clampTokenRange() {
    const double L = std::max<double>(trace_.length, 1);
    QCPRange r = plot_->xAxis->range();
    const double span = std::clamp(r.size(), std::min(kMinTokensInView, L), L);
    double lower = std::clamp(r.lower, -0.5, L - 0.5 - span);
    if (std::abs(span - r.size()) > 1e-9 || std::abs(lower - r.lower) > 1e-9) {
        const QSignalBlocker block(plot_->xAxis);
        plot_->xAxis->setRange(lower, lower + span);
    }
}

double ImportanceHeatmap::firstTokenInView() const { return std::max(0.0, plot_->xAxis->range().lower + 0.5); }
double ImportanceHeatmap::lastTokenInView() const {
    return std::min<double>(trace_.length - 1, plot_->xAxis->range().upper - 0.5);
}

void ImportanceHeatmap::showTokens(double first, double last) {
    plot_->xAxis->setRange(first - 0.5, last + 0.5);
    clampTokenRange();
    plot_->replot();
}

void ImportanceHeatmap::showAllTokens() {
    if (trace_.length > 0) showTokens(0, trace_.length - 1);
}

QStringList ImportanceHeatmap::tokenTickLabels() const {
    plot_->replot();  // the ticks are made while drawing
    return ticker_->lastLabels();
}

double ImportanceHeatmap::cellValue(int layer, int position) const { return cells_->value(layer, position); }

QColor ImportanceHeatmap::colorForValue(double value) const { return cells_->colour(value); }

int ImportanceHeatmap::markerCount(int fate) const { return cells_->markerCount(fate); }

int ImportanceHeatmap::contentIndependentMarkCount() const { return contentIndependentMarks_->count(); }

void ImportanceHeatmap::setContentIndependentMarks(const std::vector<int>& layers) {
    contentIndependentMarks_->setRows(layers);
    // The layer numbers step aside for the diamonds, which straddle the cells' left edge.
    plot_->yAxis->setTickLabelPadding(tickLabelPadding_ + (layers.empty() ? 0 : ContentIndependentMarks::kRoom));
    if (layers.empty()) contentIndependent_->removeFromLegend();
    else if (!plot_->legend->hasItemWithPlottable(contentIndependent_)) contentIndependent_->addToLegend();
    fitLegend(plot_->width(), plot_->legend->font());
}

QString ImportanceHeatmap::describeCell(int layer, int p) const {
    if (layer < 0 || layer >= static_cast<int>(trace_.layers.size()) || p < 0 || p >= trace_.length) return {};
    const LayerTrace& lt = trace_.layers[layer];
    const QLocale locale;
    QString token = p < labels_.size() ? QStringLiteral("\"%1\"").arg(TokenStrip::visibleText(labels_[p])) : QString::number(p);
    QString text = tr("layer %1, token %2 %3").arg(layer).arg(p).arg(token);
    if (std::isfinite(lt.importance[p])) text += "\n" + tr("importance %1").arg(locale.toString(lt.importance[p], 'g', 4));
    text += "\n" + TokenFateStyle::name(lt.fate[p]);
    if (lt.fate[p] == FateMerged && lt.destination[p] >= 0) {
        text += " " + tr("into token %1").arg(lt.destination[p]);
        if (std::isfinite(lt.mergedFraction[p]))
            text += " " + tr("(%1% of channels)").arg(locale.toString(100.0 * lt.mergedFraction[p], 'f', 0));
    }
    if (lt.anchor && std::isfinite(lt.matchCosine[p]))
        text += "\n" + tr("best match: token %1, cosine %2").arg(lt.match[p]).arg(locale.toString(lt.matchCosine[p], 'f', 3));
    if (lt.anchor && lt.contentIndependent) text += "\n" + TokenFateStyle::contentIndependentNote();
    return text;
}

bool ImportanceHeatmap::cellAt(const QPoint& pixel, int& layer, int& position) const {
    if (trace_.length == 0 || !plot_->axisRect()->rect().contains(pixel)) return false;
    position = static_cast<int>(std::lround(plot_->xAxis->pixelToCoord(pixel.x())));
    layer = static_cast<int>(std::lround(plot_->yAxis->pixelToCoord(pixel.y())));
    return position >= 0 && position < trace_.length && layer >= 0 && layer < static_cast<int>(trace_.layers.size());
}

}  // namespace ssmlens
