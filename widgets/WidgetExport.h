#pragma once
// Saving a picture that a view paints itself (with QPainter) as PNG, PDF or SVG: the format follows the file
// extension, like exportPlot (PlotExport.h) for the QCustomPlot views. Returns an error message, empty on
// success.
//
// Sizes follow exportPlot's contract: widthPx x heightPx are logical pixels at 96 dpi. A PNG gets
// dpi / 96 times as many pixels (300 dpi: a sharper image of the same figure) and records the dpi; PDF and
// SVG are vector files of the same physical size. The callback always paints into a widthPx x heightPx
// canvas, so views should use pixel-sized fonts (see pixelSizedFont) to look alike on every device.
#include <QFont>
#include <QSize>
#include <QString>
#include <functional>

class QPainter;

namespace ssmlens {

using PaintCallback = std::function<void(QPainter& painter, const QSize& size)>;

QString exportPainting(const PaintCallback& paint, const QString& path, int widthPx, int heightPx,
                       double dpi = 96.0);

// A copy of font sized in pixels: point sizes would grow with the resolution of a PDF or an image on top
// of the painter's own scaling.
QFont pixelSizedFont(const QFont& font);

}  // namespace ssmlens
