#include "widgets/WidgetExport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QFontInfo>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <cmath>

namespace ssmlens {
namespace {

// QPdfWriter and QSvgGenerator report a bad path only through a failed QPainter::begin (or not at all),
// so check first that the folder exists and the file can be created there.
bool canWrite(const QString& path) {
    const QFileInfo info(path);
    if (!info.absoluteDir().exists()) return false;
    if (info.exists()) return info.isFile() && info.isWritable();
    return QFileInfo(info.absolutePath()).isWritable();
}

}  // namespace

QFont pixelSizedFont(const QFont& font) {
    QFont f(font);
    if (f.pixelSize() <= 0) f.setPixelSize(std::max(1, QFontInfo(font).pixelSize()));
    return f;
}

QString exportPainting(const PaintCallback& paint, const QString& path, int widthPx, int heightPx, double dpi) {
    const QString ext = QFileInfo(path).suffix().toLower();
    if (ext != "png" && ext != "pdf" && ext != "svg")
        return QObject::tr("%1: unknown image format \"%2\" (use .png, .pdf or .svg)").arg(path, ext);
    if (widthPx <= 0 || heightPx <= 0 || !(dpi > 0))
        return QObject::tr("%1: invalid size %2 x %3 at %4 dpi").arg(path).arg(widthPx).arg(heightPx).arg(dpi);
    if (!canWrite(path)) return QObject::tr("%1: could not be written").arg(path);

    const QSize size(widthPx, heightPx);
    bool ok = false;
    if (ext == "png") {
        const double scale = dpi / 96.0;
        QImage image(std::max(1, int(std::lround(widthPx * scale))), std::max(1, int(std::lround(heightPx * scale))),
                     QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        {
            QPainter painter(&image);
            painter.setRenderHint(QPainter::Antialiasing);
            painter.setRenderHint(QPainter::TextAntialiasing);
            painter.scale(double(image.width()) / widthPx, double(image.height()) / heightPx);
            paint(painter, size);
        }
        // Set after painting: the resolution only labels the file, the painter's scale did the work.
        const int dotsPerMeter = int(std::lround(dpi / 0.0254));
        image.setDotsPerMeterX(dotsPerMeter);
        image.setDotsPerMeterY(dotsPerMeter);
        ok = image.save(path, "PNG");
    } else if (ext == "pdf") {
        QPdfWriter pdf(path);
        pdf.setCreator(QCoreApplication::applicationName());
        // A page the size the figure has on a 96 dpi screen (in points: 72 per inch).
        pdf.setPageSize(QPageSize(QSizeF(widthPx * 0.75, heightPx * 0.75), QPageSize::Point, QString(),
                                  QPageSize::ExactMatch));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setResolution(int(std::lround(dpi)));
        QPainter painter;
        if (painter.begin(&pdf)) {
            painter.setRenderHint(QPainter::Antialiasing);
            painter.scale(double(pdf.width()) / widthPx, double(pdf.height()) / heightPx);
            paint(painter, size);
            ok = painter.end();
        }
    } else {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setResolution(int(std::lround(dpi)));
        QPainter painter;
        if (painter.begin(&svg)) {
            painter.setRenderHint(QPainter::Antialiasing);
            paint(painter, size);
            ok = painter.end();
        }
    }
    if (ok) ok = QFileInfo(path).size() > 0;
    return ok ? QString() : QObject::tr("%1: could not be written").arg(path);
}

}  // namespace ssmlens
