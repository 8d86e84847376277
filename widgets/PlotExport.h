#pragma once
// Saving a QCustomPlot view as PNG, PDF or SVG (the format follows the file extension), sized and lettered
// like every other figure (WidgetExport.h: FigureSize, FigureFonts): for the time of the export the plot's
// title, axis labels, tick labels, legend and text items take the figure's fonts, a title too wide for the
// figure is broken into lines, and a legend drawn inside the axes goes into a row of its own under the plot (as
// the heatmap's always is), so on a single-column figure it neither covers the data nor runs off the page; the
// view on screen keeps its own. Returns an error message naming the file, empty on success.
#include <QString>

#include "widgets/WidgetExport.h"

class QCPLegend;
class QCustomPlot;
class QFont;

namespace ssmlens {

QString exportPlot(QCustomPlot* plot, const QString& path, const FigureSize& size);

// Draws the plot into a painter of an exportPainting callback (a canvas of `canvas` units), with the
// fonts as above. For figures that combine a plot with other drawing.
void paintPlot(QCustomPlot* plot, QPainter& painter, const QSizeF& canvas, const FigureFonts& fonts);

// Lays a legend of items side by side out in rows that fit `width` (canvas units) with `font`: one row when
// all fit, else as many items per row as fit (at least one).
void wrapLegendToWidth(QCPLegend* legend, double width, const QFont& font);

}  // namespace ssmlens
