// Figures: one size contract for every view (FigureSize: pixels and dpi give the physical size in every
// format, text in points), the same page for a QCustomPlot view and a painted one, fonts put back after an
// export, a failed export leaves the previous file, and the shared arrowhead.
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <cmath>
#include <qcustomplot.h>

#include "widgets/FigurePainting.h"
#include "widgets/PlotExport.h"
#include "widgets/WidgetExport.h"

using namespace ssmlens;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The page size of a one-page PDF in points (its /MediaBox).
QSizeF pdfPageSize(const QString& path) {
    const QByteArray data = readAll(path);
    const qsizetype box = data.indexOf("/MediaBox");
    if (box < 0) return {};
    const qsizetype open = data.indexOf('[', box), close = data.indexOf(']', box);
    const QList<QByteArray> c = data.mid(open + 1, close - open - 1).simplified().split(' ');
    if (c.size() != 4) return {};
    return QSizeF(std::round(c[2].toDouble() * 100) / 100, std::round(c[3].toDouble() * 100) / 100);
}

FigureSize size(int w, int h, double dpi, double pt = 9) {
    FigureSize s;
    s.widthPx = w;
    s.heightPx = h;
    s.dpi = dpi;
    s.fontPt = pt;
    return s;
}

}  // namespace

class TestFigureExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sizeFromPixelsAndDpi() {
        const FigureSize column = size(1050, 700, 300);  // a single-column figure: 3.5 x 2.33 in
        QCOMPARE(column.inches(), QSizeF(3.5, 700 / 300.0));
        QCOMPARE(column.canvas(), QSizeF(336, 224));  // layout units of 1/96 in
        QVERIFY(column.problem().isEmpty());
        QVERIFY(!size(0, 700, 300).problem().isEmpty());
        QVERIFY(!size(100, 100, 96, 2).problem().isEmpty());  // 2 pt text is unreadable
        // 9 pt body text is 12 canvas pixels (9 / 72 in), titles larger, small text smaller.
        const FigureFonts fonts = FigureFonts::forPoints(QFont(), 9);
        QCOMPARE(fonts.text.pixelSize(), 12);
        QCOMPARE(fonts.title.pixelSize(), 15);
        QCOMPARE(fonts.small.pixelSize(), 10);
    }

    void everyFormatHasTheSamePhysicalSize() {
        QTemporaryDir dir;
        QSizeF canvasSeen;
        const PaintCallback paint = [&](QPainter& p, const QSizeF& canvas) {
            canvasSeen = canvas;
            p.fillRect(QRectF(QPointF(0, 0), canvas), Qt::white);
            p.fillRect(QRectF(10, 10, 50, 50), QColor(20, 100, 200));
        };
        // PNG: exactly the pixels asked for, the dpi recorded in it.
        QCOMPARE(exportPainting(paint, dir.filePath("f.png"), size(1050, 700, 300)), QString());
        const QImage png(dir.filePath("f.png"));
        QCOMPARE(png.size(), QSize(1050, 700));
        QCOMPARE(png.dotsPerMeterX(), 11811);  // 300 dpi
        QCOMPARE(canvasSeen, QSizeF(336, 224));
        // The square of 50 canvas units is 50 / 96 in: 156 pixels at 300 dpi.
        QCOMPARE(png.pixelColor(10 * 300 / 96 + 100, 10 * 300 / 96 + 100), QColor(20, 100, 200));
        // PDF: a page of 3.5 x 2.33 in (252 x 168 pt).
        QCOMPARE(exportPainting(paint, dir.filePath("f.pdf"), size(1050, 700, 300)), QString());
        QCOMPARE(pdfPageSize(dir.filePath("f.pdf")), QSizeF(252, 168));
        // SVG: 88.9 mm wide, drawn in canvas units.
        QCOMPARE(exportPainting(paint, dir.filePath("f.svg"), size(1050, 700, 300)), QString());
        const QByteArray svg = readAll(dir.filePath("f.svg"));
        QVERIFY2(svg.contains("width=\"88.9mm\""), svg.left(500).constData());
        QVERIFY2(svg.contains("viewBox=\"0 0 336 224\""), svg.left(500).constData());
    }

    void aPlotAndAPaintedViewGetTheSamePage() {
        QTemporaryDir dir;
        QCustomPlot plot;
        plot.addGraph()->setData({0, 1, 2}, {1, 3, 2});
        plot.xAxis->setLabel("layer");
        const QFont before = plot.xAxis->labelFont();
        QCOMPARE(exportPlot(&plot, dir.filePath("plot.pdf"), size(1600, 1000, 96)), QString());
        QCOMPARE(exportPainting([](QPainter&, const QSizeF&) {}, dir.filePath("painted.pdf"), size(1600, 1000, 96)), QString());
        QCOMPARE(pdfPageSize(dir.filePath("plot.pdf")), QSizeF(1200, 750));
        QCOMPARE(pdfPageSize(dir.filePath("painted.pdf")), QSizeF(1200, 750));
        QCOMPARE(plot.xAxis->labelFont(), before);  // the screen keeps its own fonts
        // The figure's text size: 20 pt labels make a taller axis area than 6 pt ones in the same PNG.
        QCOMPARE(exportPlot(&plot, dir.filePath("small.png"), size(800, 500, 96, 6)), QString());
        QCOMPARE(exportPlot(&plot, dir.filePath("large.png"), size(800, 500, 96, 20)), QString());
        auto firstInkRowFromBottom = [](const QImage& image) {
            for (int y = image.height() - 1; y >= 0; --y)
                for (int x = 0; x < image.width(); ++x)
                    if (image.pixelColor(x, y).lightness() < 128) return image.height() - 1 - y;
            return -1;
        };
        const QImage small(dir.filePath("small.png")), large(dir.filePath("large.png"));
        QVERIFY(firstInkRowFromBottom(small) >= 0);
        // The axis label sits lower in the small-text image (less room taken at the bottom).
        int smallLabelHeight = 0, largeLabelHeight = 0;
        for (const auto& [image, out] : {std::pair{&small, &smallLabelHeight}, std::pair{&large, &largeLabelHeight}}) {
            int rows = 0;
            for (int y = image->height() - 1; y > image->height() - 80; --y) {
                bool ink = false;
                for (int x = image->width() / 3; x < 2 * image->width() / 3 && !ink; ++x) ink = image->pixelColor(x, y).lightness() < 128;
                rows += ink;
            }
            *out = rows;
        }
        QVERIFY2(largeLabelHeight > 2 * smallLabelHeight, qPrintable(QString("%1 vs %2").arg(largeLabelHeight).arg(smallLabelHeight)));
    }

    void aFailedExportLeavesThePreviousFile() {
        QTemporaryDir dir;
        const QString path = dir.filePath("keep.png");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("previous");
        f.close();
        const QString error = exportPainting([](QPainter&, const QSizeF&) {}, path, size(100, 100, 96, 1));
        QVERIFY2(error.contains("keep.png"), qPrintable(error));
        QCOMPARE(readAll(path), QByteArray("previous"));
        QVERIFY(exportPainting([](QPainter&, const QSizeF&) {}, dir.filePath("x.gif"), size(100, 100, 96)).contains("gif"));
        QVERIFY(!exportPainting([](QPainter&, const QSizeF&) {}, dir.filePath("no/such/x.png"), size(100, 100, 96)).isEmpty());
    }

    void arrowHeadsPointAlongTheirLine() {
        auto draw = [](QPointF tip, QPointF from) {
            QImage image(40, 40, QImage::Format_ARGB32);
            image.fill(Qt::white);
            QPainter p(&image);
            p.setPen(Qt::NoPen);
            p.setBrush(Qt::black);
            drawArrowHead(p, tip, from, 10);
            return image;
        };
        // From the left to (30, 20): the head lies left of the tip.
        QImage right = draw({30, 20}, {0, 20});
        QCOMPARE(right.pixelColor(25, 20), QColor(Qt::black));
        QCOMPARE(right.pixelColor(35, 20), QColor(Qt::white));
        // No direction (from == tip): pointing down into the tip, never left out.
        QImage down = draw({20, 30}, {20, 30});
        QCOMPARE(down.pixelColor(20, 25), QColor(Qt::black));
        QCOMPARE(down.pixelColor(20, 35), QColor(Qt::white));
    }
};

QTEST_MAIN(TestFigureExport)
#include "test_widget_figure_export.moc"
