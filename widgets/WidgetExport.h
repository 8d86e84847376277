#pragma once
// Saving a view as a figure: PNG, PDF or SVG (the format follows the file extension), the same way for the
// views that paint themselves (TokenStrip, SimilarityGraph) and the QCustomPlot ones (PlotExport.h).
//
// Size, as in plotting libraries: the figure is widthPx x heightPx pixels at `dpi` dots per inch, so its
// physical size is widthPx / dpi by heightPx / dpi inches in every format — a PNG of exactly those pixels
// (the dpi recorded in it), a PDF page and an SVG of that size (vector: text stays text, cells stay
// rectangles). Text is fontPt points whatever the dpi, so 1050 x 700 px at 300 dpi is a 3.5-inch-wide
// single-column figure with readable 8-point labels, and 1600 x 1000 px at 96 dpi looks as on screen.
// Views lay their figure out in canvas units of 1/96 inch (FigureSize::canvas()), with FigureFonts.
#include <QFont>
#include <QSizeF>
#include <QString>
#include <functional>

class QPainter;

namespace ssmlens {

struct FigureSize {
    int widthPx = 1600, heightPx = 1000;
    double dpi = 96;
    double fontPt = 9;  // the body text; titles are larger, tick labels smaller (FigureFonts)

    QSizeF canvas() const;         // the layout size in 1/96-inch units: widthPx * 96 / dpi, ...
    QSizeF inches() const;         // widthPx / dpi, heightPx / dpi
    // Empty when usable; else what is wrong (sizes and dpi above zero, a font from 4 to 72 points).
    QString problem() const;
};

// The three text sizes of every figure, in pixels of the 1/96-inch canvas (point sizes would grow with the
// resolution of a PDF or an image on top of the painter's own scaling).
struct FigureFonts {
    QFont title, text, small;
    static constexpr double kTitleScale = 1.25, kSmallScale = 0.85;
    // family from `family`, body text fontPt points.
    static FigureFonts forPoints(const QFont& family, double fontPt);
    // For the screen: the widget's own font as the body text.
    static FigureFonts forWidget(const QFont& widgetFont);
};

// Paints into a canvas of size.canvas() (1/96-inch units). The painter is always a QCPPainter, so a
// QCustomPlot can draw into it (PlotExport.cpp); for PDF and SVG it is in QCustomPlot's vectorized mode.
using PaintCallback = std::function<void(QPainter& painter, const QSizeF& canvas)>;

// Returns an error message naming the file, empty on success. The file is replaced only once the new one
// is complete.
QString exportPainting(const PaintCallback& paint, const QString& path, const FigureSize& size);

// A copy of font sized in pixels (see FigureFonts).
QFont pixelSizedFont(const QFont& font);

}  // namespace ssmlens
