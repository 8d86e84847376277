#include "widgets/PlotExport.h"

#include <cmath>
#include <functional>
#include <vector>
#include <qcustomplot.h>

namespace ssmlens {
namespace {

// Sets the figure's fonts on every text-bearing part of the plot and puts the old ones back when it ends.
class PlotFonts {
public:
    PlotFonts(QCustomPlot* plot, const FigureFonts& f) : plot_(plot) {
        for (QCPAxisRect* rect : plot->axisRects())
            for (QCPAxis* axis : rect->axes()) setAxis(axis, f);
        for (QCPLayoutElement* e : plot->plotLayout()->elements(true)) {
            if (auto* scale = qobject_cast<QCPColorScale*>(e)) setAxis(scale->axis(), f);
            if (auto* text = qobject_cast<QCPTextElement*>(e)) set(text, &QCPTextElement::font, &QCPTextElement::setFont, f.title);
            if (auto* legend = qobject_cast<QCPLegend*>(e)) {
                set(legend, &QCPLegend::font, &QCPLegend::setFont, f.small);
                // Icons in proportion to the text (QCustomPlot's 32 x 18 suit the screen's font only).
                const double h = QFontMetricsF(f.small).height();
                const QSize oldIcon = legend->iconSize();
                legend->setIconSize(QSize(int(std::lround(2.4 * h)), int(std::lround(1.2 * h))));
                restore_.push_back([legend, oldIcon] { legend->setIconSize(oldIcon); });
                for (int i = 0; i < legend->itemCount(); ++i)
                    if (QCPAbstractLegendItem* item = legend->item(i))  // a wrapped legend has empty cells
                        set(item, &QCPAbstractLegendItem::font, &QCPAbstractLegendItem::setFont, f.small);
            }
        }
        for (int i = 0; i < plot->itemCount(); ++i)
            if (auto* text = qobject_cast<QCPItemText*>(plot->item(i)))
                set(text, &QCPItemText::font, &QCPItemText::setFont, f.small);
    }
    ~PlotFonts() {
        for (auto it = restore_.rbegin(); it != restore_.rend(); ++it) (*it)();
    }
    PlotFonts(const PlotFonts&) = delete;
    PlotFonts& operator=(const PlotFonts&) = delete;

private:
    template <class T>
    void set(T* object, QFont (T::*get)() const, void (T::*put)(const QFont&), const QFont& font) {
        const QFont old = (object->*get)();
        (object->*put)(font);
        restore_.push_back([object, put, old] { (object->*put)(old); });
    }
    void setAxis(QCPAxis* axis, const FigureFonts& f) {
        set(axis, &QCPAxis::labelFont, &QCPAxis::setLabelFont, f.text);
        set(axis, &QCPAxis::tickLabelFont, &QCPAxis::setTickLabelFont, f.small);
    }
    QCustomPlot* plot_;
    std::vector<std::function<void()>> restore_;
};

// Breaks the text of every title wider than the figure into lines at spaces, for the time of an export.
class TitlesFitWidth {
public:
    TitlesFitWidth(QCustomPlot* plot, double width) {
        for (QCPLayoutElement* e : plot->plotLayout()->elements(true)) {
            auto* title = qobject_cast<QCPTextElement*>(e);
            if (!title || title->text().contains('\n')) continue;
            const QFontMetricsF fm(title->font());
            const double room = width - 16;  // the element's margins
            if (fm.horizontalAdvance(title->text()) <= room) continue;
            // "q = 0.700" stays on one line.
            QString text = title->text();
            text.replace(QStringLiteral(" = "), QStringLiteral("\u00a0=\u00a0"));
            QStringList lines{QString()};
            for (const QString& word : text.split(' ', Qt::SkipEmptyParts)) {
                const QString longer = lines.back().isEmpty() ? word : lines.back() + ' ' + word;
                if (!lines.back().isEmpty() && fm.horizontalAdvance(longer) > room) lines << word;
                else lines.back() = longer;
            }
            restore_.emplace_back(title, title->text());
            title->setText(lines.join('\n'));
        }
    }
    ~TitlesFitWidth() {
        for (auto& [title, text] : restore_) title->setText(text);
    }
    TitlesFitWidth(const TitlesFitWidth&) = delete;
    TitlesFitWidth& operator=(const TitlesFitWidth&) = delete;

private:
    std::vector<std::pair<QCPTextElement*, QString>> restore_;
};

// Moves a legend drawn inside the axes into a row under the plot, its items side by side, for the time of an
// export; puts it back where it was (its inset alignment or rectangle, its wrap and fill order) at the end.
class LegendUnderPlot {
public:
    LegendUnderPlot(QCustomPlot* plot, double width, const QFont& font) : plot_(plot) {
        QCPLegend* legend = plot->legend;
        if (!legend || !legend->visible() || !plot->axisRect()) return;
        QCPLayoutInset* inset = plot->axisRect()->insetLayout();
        for (int i = 0; i < inset->elementCount(); ++i)
            if (inset->elementAt(i) == legend) {
                placement_ = inset->insetPlacement(i);
                alignment_ = inset->insetAlignment(i);
                rect_ = inset->insetRect(i);
                inset_ = inset;
            }
        wrap_ = legend->wrap();
        order_ = legend->fillOrder();
        if (!inset_) {
            // The view placed it in a row of its own: its items side by side, in as many rows as the width needs.
            if (order_ == QCPLayoutGrid::foColumnsFirst) {
                rewrapped_ = true;
                wrapLegendToWidth(legend, width, font);
            }
            return;
        }
        border_ = legend->borderPen();
        inset_->take(legend);
        auto* grid = plot->plotLayout();
        row_ = grid->rowCount();
        grid->addElement(row_, 0, legend);
        grid->setRowStretchFactor(row_, 0.001);  // its own height, the rest to the plot
        legend->setBorderPen(Qt::NoPen);
        legend->setWrap(0);
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
        wrapLegendToWidth(legend, width, font);
        centre(legend, width, font);
    }
    ~LegendUnderPlot() {
        QCPLegend* legend = plot_->legend;
        if (centred_) {
            legend->setMargins(margins_);
            legend->setColumnSpacing(spacing_);
        }
        if (rewrapped_ && legend->wrap() != wrap_) {
            legend->setWrap(wrap_);
            legend->setFillOrder(order_, true);
        }
        if (!inset_) return;
        plot_->plotLayout()->take(legend);
        plot_->plotLayout()->simplify();  // drops the emptied row
        legend->setWrap(wrap_);
        legend->setFillOrder(order_, true);
        legend->setBorderPen(border_);
        if (placement_ == QCPLayoutInset::ipBorderAligned) inset_->addElement(legend, alignment_);
        else inset_->addElement(legend, rect_);
    }
    LegendUnderPlot(const LegendUnderPlot&) = delete;
    LegendUnderPlot& operator=(const LegendUnderPlot&) = delete;

private:
    // A row spans the figure: its columns would share the whole width (two items of a 96-dpi accuracy export sat
    // 700 px apart). Margins as wide as the spare room keep the items together, in the middle, a little more than
    // a line's height apart.
    void centre(QCPLegend* legend, double width, const QFont& font) {
        margins_ = legend->margins();
        spacing_ = legend->columnSpacing();
        centred_ = true;
        legend->setColumnSpacing(std::max(spacing_, int(std::lround(1.5 * QFontMetricsF(font).height()))));
        // The items' own least widths, with their fonts as exported (PlotFonts set them), and the spacing.
        const int used = legend->minimumOuterSizeHint().width() - margins_.left() - margins_.right();
        const int side = std::max(margins_.left(), int((width - used) / 2));
        legend->setMargins(QMargins(side, margins_.top(), side, margins_.bottom()));
    }

    QCustomPlot* plot_;
    QMargins margins_;
    int spacing_ = 0;
    bool centred_ = false;
    QCPLayoutInset* inset_ = nullptr;
    QCPLayoutInset::InsetPlacement placement_ = QCPLayoutInset::ipBorderAligned;
    Qt::Alignment alignment_;
    QRectF rect_;
    int wrap_ = 0, row_ = 0;
    bool rewrapped_ = false;  // a legend under the plot already, wrapped to the figure's width
    QCPLayoutGrid::FillOrder order_ = QCPLayoutGrid::foRowsFirst;
    QPen border_;
};

}  // namespace

void wrapLegendToWidth(QCPLegend* legend, double width, const QFont& font) {
    const QFontMetricsF fm(font);
    std::vector<double> widths;  // of each item, in order
    for (int i = 0; i < legend->itemCount(); ++i) {
        auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i));
        if (!item) continue;  // an empty cell of a wrapped legend
        widths.push_back(legend->iconSize().width() + legend->iconTextPadding() +
                         fm.horizontalAdvance(item->plottable()->name()) + 24);
    }
    // The most items per row whose columns (each as wide as its widest item) fit; 0 means all in one row.
    const int n = static_cast<int>(widths.size());
    int perRow = 1;
    for (int k = n; k > 1; --k) {
        std::vector<double> column(k, 0.0);
        for (int i = 0; i < n; ++i) column[i % k] = std::max(column[i % k], widths[i]);
        double total = 0;
        for (double c : column) total += c;
        if (total <= width * 0.95) {
            perRow = k;
            break;
        }
    }
    if (perRow >= n) perRow = 0;
    if (legend->wrap() != perRow) {
        legend->setWrap(perRow);
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);  // re-flows the items
    }
}

void paintPlot(QCustomPlot* plot, QPainter& painter, const QSizeF& canvas, const FigureFonts& fonts) {
    {
        PlotFonts guard(plot, fonts);
        TitlesFitWidth titles(plot, canvas.width());
        LegendUnderPlot legend(plot, canvas.width(), fonts.small);
        // exportPainting paints with a QCPPainter (WidgetExport.h), the only kind toPainter takes.
        plot->toPainter(static_cast<QCPPainter*>(&painter), int(std::lround(canvas.width())),
                        int(std::lround(canvas.height())));
    }
    plot->replot(QCustomPlot::rpQueuedReplot);  // the screen's layout, with the screen's fonts
}

QString exportPlot(QCustomPlot* plot, const QString& path, const FigureSize& size) {
    const FigureFonts fonts = FigureFonts::forPoints(plot->font(), size.fontPt);
    return exportPainting([&](QPainter& p, const QSizeF& canvas) { paintPlot(plot, p, canvas, fonts); }, path, size);
}

}  // namespace ssmlens
