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

}  // namespace

void paintPlot(QCustomPlot* plot, QPainter& painter, const QSizeF& canvas, const FigureFonts& fonts) {
    {
        PlotFonts guard(plot, fonts);
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
