#pragma once
// Saving a QCustomPlot as PNG, PDF or SVG at a chosen size and resolution (the format follows the file
// extension). Returns an error message, empty on success.
#include <QString>

class QCustomPlot;

namespace ssmlens {

QString exportPlot(QCustomPlot* plot, const QString& path, int widthPx, int heightPx, double dpi = 96.0);

}  // namespace ssmlens
