#pragma once
// Saving a QCustomPlot view as PNG, PDF or SVG (the format follows the file extension), sized and lettered
// like every other figure (WidgetExport.h: FigureSize, FigureFonts): for the time of the export the plot's
// title, axis labels, tick labels, legend and text items take the figure's fonts; the view on screen keeps
// its own. Returns an error message naming the file, empty on success.
#include <QString>

#include "widgets/WidgetExport.h"

class QCustomPlot;

namespace ssmlens {

QString exportPlot(QCustomPlot* plot, const QString& path, const FigureSize& size);

// Draws the plot into a painter of an exportPainting callback (a canvas of `canvas` units), with the
// fonts as above. For figures that combine a plot with other drawing.
void paintPlot(QCustomPlot* plot, QPainter& painter, const QSizeF& canvas, const FigureFonts& fonts);

}  // namespace ssmlens
