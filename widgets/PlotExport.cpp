#include "widgets/PlotExport.h"

#include <QFileInfo>
#include <QSvgGenerator>
#include <qcustomplot.h>

namespace ssmlens {

QString exportPlot(QCustomPlot* plot, const QString& path, int widthPx, int heightPx, double dpi) {
    const QString ext = QFileInfo(path).suffix().toLower();
    const double scale = dpi / 96.0;
    bool ok = false;
    if (ext == "png") {
        ok = plot->savePng(path, widthPx, heightPx, scale, -1, int(dpi));
    } else if (ext == "pdf") {
        ok = plot->savePdf(path, widthPx, heightPx);
    } else if (ext == "svg") {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(QSize(widthPx, heightPx));
        svg.setViewBox(QRect(0, 0, widthPx, heightPx));
        svg.setResolution(int(dpi));
        QCPPainter painter;
        if (painter.begin(&svg)) {
            plot->toPainter(&painter, widthPx, heightPx);
            ok = painter.end();
        }
    } else {
        return QObject::tr("%1: unknown image format \"%2\" (use .png, .pdf or .svg)").arg(path, ext);
    }
    return ok ? QString() : QObject::tr("%1: could not be written").arg(path);
}

}  // namespace ssmlens
