#include "widgets/WidgetExport.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QFontInfo>
#include <QImage>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <cmath>
#include <qcustomplot.h>

namespace ssmlens {
namespace {

constexpr double kCanvasDpi = 96.0;  // canvas units per inch
constexpr double kPointsPerInch = 72.0;

// The context of the export's messages for translators.
class FigureExport {
    Q_DECLARE_TR_FUNCTIONS(ssmlens::FigureExport)
};

}  // namespace

QSizeF FigureSize::canvas() const { return {widthPx * kCanvasDpi / dpi, heightPx * kCanvasDpi / dpi}; }
QSizeF FigureSize::inches() const { return {widthPx / dpi, heightPx / dpi}; }

QString FigureSize::problem() const {
    if (widthPx <= 0 || heightPx <= 0 || !(dpi > 0) || widthPx > 20000 || heightPx > 20000)
        return FigureExport::tr("invalid size %1 x %2 px at %3 dpi").arg(widthPx).arg(heightPx).arg(dpi);
    if (!(fontPt >= 4 && fontPt <= 72)) return FigureExport::tr("invalid font size %1 pt (use 4 to 72)").arg(fontPt);
    return {};
}

QFont pixelSizedFont(const QFont& font) {
    QFont f(font);
    if (f.pixelSize() <= 0) f.setPixelSize(std::max(1, QFontInfo(font).pixelSize()));
    return f;
}

FigureFonts FigureFonts::forPoints(const QFont& family, double fontPt) {
    const double px = fontPt * kCanvasDpi / kPointsPerInch;
    FigureFonts f;
    f.text = family;
    f.text.setPixelSize(std::max(1, int(std::lround(px))));
    f.title = f.text;
    f.title.setBold(true);
    f.title.setPixelSize(std::max(1, int(std::lround(px * kTitleScale))));
    f.small = f.text;
    f.small.setPixelSize(std::max(1, int(std::lround(px * kSmallScale))));
    return f;
}

FigureFonts FigureFonts::forWidget(const QFont& widgetFont) {
    const QFont px = pixelSizedFont(widgetFont);
    return forPoints(px, px.pixelSize() * kPointsPerInch / kCanvasDpi);
}

QString exportPainting(const PaintCallback& paint, const QString& path, const FigureSize& size) {
    const QString ext = QFileInfo(path).suffix().toLower();
    if (ext != "png" && ext != "pdf" && ext != "svg")
        return FigureExport::tr("%1: unknown image format \"%2\" (use .png, .pdf or .svg)").arg(path, ext);
    if (const QString problem = size.problem(); !problem.isEmpty()) return QStringLiteral("%1: %2").arg(path, problem);

    // Written next to the target and renamed over it at the end: a failed export leaves the old file.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return FigureExport::tr("%1: cannot write (%2)").arg(path, file.errorString());
    const QSizeF canvas = size.canvas();
    const double scale = size.dpi / kCanvasDpi;  // device pixels per canvas unit
    bool ok = false;
    if (ext == "png") {
        QImage image(size.widthPx, size.heightPx, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        {
            QCPPainter painter(&image);
            painter.setRenderHint(QPainter::Antialiasing);
            painter.setRenderHint(QPainter::TextAntialiasing);
            painter.scale(scale, scale);
            paint(painter, canvas);
        }
        const int dotsPerMeter = int(std::lround(size.dpi / 0.0254));
        image.setDotsPerMeterX(dotsPerMeter);
        image.setDotsPerMeterY(dotsPerMeter);
        ok = image.save(&file, "PNG");
    } else if (ext == "pdf") {
        QPdfWriter pdf(&file);
        pdf.setCreator(QCoreApplication::applicationName());
        const QSizeF inches = size.inches();
        pdf.setPageSize(QPageSize(inches * kPointsPerInch, QPageSize::Point, QString(), QPageSize::ExactMatch));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setResolution(int(std::lround(size.dpi)));
        QCPPainter painter;
        if (painter.begin(&pdf)) {
            painter.setMode(QCPPainter::pmVectorized);
            painter.setMode(QCPPainter::pmNoCaching);
            painter.setRenderHint(QPainter::Antialiasing);
            painter.scale(pdf.width() / canvas.width(), pdf.height() / canvas.height());
            paint(painter, canvas);
            ok = painter.end();
        }
    } else {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        // Physical size from the pixels and the dpi; drawing coordinates in canvas units (the view box).
        svg.setSize(QSize(size.widthPx, size.heightPx));
        svg.setResolution(int(std::lround(size.dpi)));
        svg.setViewBox(QRectF(QPointF(0, 0), canvas));
        QCPPainter painter;
        if (painter.begin(&svg)) {
            painter.setMode(QCPPainter::pmVectorized);
            painter.setMode(QCPPainter::pmNoCaching);
            painter.setRenderHint(QPainter::Antialiasing);
            paint(painter, canvas);
            ok = painter.end();
        }
    }
    if (!ok || !file.commit()) {
        file.cancelWriting();
        return FigureExport::tr("%1: could not be written (%2)").arg(path, file.errorString());
    }
    return {};
}

}  // namespace ssmlens
