// TokensPerLayerPlot: one point per layer, anchors marked, the savings in the title, axes labelled; and the
// plot exports to PNG, PDF and SVG.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <cmath>
#include <QtTest/QtTest>
#include <qcustomplot.h>

#include "widgets/PlotExport.h"
#include "widgets/TokensPerLayerPlot.h"

using namespace ssmlens;

class TestTokensPerLayerPlot : public QObject {
    Q_OBJECT
private slots:
    void drawsEveryLayer() {
        TokensPerLayerPlot plot;
        plot.setData(100, {100, 100, 90, 90, 81}, {1, 3}, 12.5, 14.0);
        QCOMPARE(plot.reducedPointCount(), 5);
        QCOMPARE(plot.plot()->graph(2)->dataCount(), 2);  // anchors
        QCOMPARE(plot.plot()->graph(2)->data()->at(1)->value, 90.0);
        QVERIFY(plot.plot()->xAxis->label().contains("layer"));
        QVERIFY(plot.plot()->yAxis->label().contains("tokens"));
        auto* title = qobject_cast<QCPTextElement*>(plot.plot()->plotLayout()->element(0, 0));
        QVERIFY(title && title->text().contains("12.5% fewer FLOPs"));
    }

    void exportsEveryFormat() {
        TokensPerLayerPlot plot;
        plot.setData(10, {10, 5}, {0}, 40.0, 25.0);
        QTemporaryDir dir;
        for (const char* ext : {"png", "pdf", "svg"}) {
            const QString path = dir.filePath(QString("plot.") + ext);
            FigureSize size;
            size.widthPx = 800;
            size.heightPx = 400;
            size.dpi = 150;
            QCOMPARE(exportPlot(plot.plot(), path, size), QString());
            QVERIFY2(QFileInfo(path).size() > 1000, ext);
        }
        QFile png(dir.filePath("plot.png"));
        QVERIFY(png.open(QIODevice::ReadOnly));
        QCOMPARE(png.read(4), QByteArray("\x89PNG"));
        QImage image(dir.filePath("plot.png"));
        QCOMPARE(image.size(), QSize(800, 400));  // the pixels asked for; 150 dpi makes it 5.3 in wide
        QVERIFY(exportPlot(plot.plot(), dir.filePath("plot.bmpx"), FigureSize()).contains("unknown image format"));
    }

    void aSingleColumnFigureFitsItsText() {
        // 3.5 inches at 300 dpi with 8-point text: the title breaks into lines instead of running off both edges,
        // and the legend goes under the plot instead of over the curves; the view on screen keeps both.
        TokensPerLayerPlot plot;
        plot.setData(44, {44, 44, 44, 44, 31, 31, 22, 22, 16, 12, 9, 9, 7, 7, 7, 5}, {3, 4, 6, 7, 8, 9, 11}, 53.9, 54.3);
        auto* title = qobject_cast<QCPTextElement*>(plot.plot()->plotLayout()->element(0, 0));
        QVERIFY(title);
        const QString titleBefore = title->text();
        QCPLayoutInset* inset = plot.plot()->axisRect()->insetLayout();
        QCOMPARE(inset->elementCount(), 1);
        QCOMPARE(inset->elementAt(0), plot.plot()->legend);
        const Qt::Alignment alignmentBefore = inset->insetAlignment(0);
        QTemporaryDir dir;
        FigureSize size;
        size.widthPx = 1050;
        size.heightPx = 700;
        size.dpi = 300;
        size.fontPt = 8;
        QCOMPARE(exportPlot(plot.plot(), dir.filePath("column.png"), size), QString());
        const QImage image = QImage(dir.filePath("column.png")).convertToFormat(QImage::Format_RGB32);
        QCOMPARE(image.size(), QSize(1050, 700));
        // No ink near the figure's left and right edges (a title too wide leaves cut letters there).
        for (int x = 0; x < 6; ++x)
            for (int y = 0; y < image.height(); ++y)
                for (int column : {x, image.width() - 1 - x})
                    QVERIFY2(qGray(image.pixel(column, y)) > 200, qPrintable(QString("ink at %1,%2").arg(column).arg(y)));
        // The legend is under the axes: the anchors' orange triangle of its last row lies in the figure's bottom
        // tenth, below the x-axis label (inside the axes the legend would sit above the x axis, over the curves).
        bool orangeAtTheBottom = false;
        for (int y = image.height() * 9 / 10; y < image.height() && !orangeAtTheBottom; ++y)
            for (int x = 0; x < image.width() && !orangeAtTheBottom; ++x) {
                const QColor c = image.pixelColor(x, y);
                orangeAtTheBottom = c.red() > 180 && c.green() > 50 && c.green() < 140 && c.blue() < 60;
            }
        QVERIFY(orangeAtTheBottom);
        // The screen's layout is back.
        QCOMPARE(title->text(), titleBefore);
        QCOMPARE(inset->elementCount(), 1);
        QCOMPARE(inset->elementAt(0), plot.plot()->legend);
        QCOMPARE(inset->insetAlignment(0), alignmentBefore);
        QCOMPARE(plot.plot()->plotLayout()->rowCount(), 2);  // the title and the axes
        QCOMPARE(plot.plot()->legend->wrap(), 0);
    }

    void layersAreWholeAndClickable() {
        TokensPerLayerPlot plot;
        plot.resize(800, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setData(100, {100, 100, 90, 90, 81, 81, 81, 81, 73, 73}, {1, 3, 7}, 12.5, 14.0);
        // Ticks on whole layers only: no layer 2.5.
        QVector<double> ticks, subTicks;
        QVector<QString> labels;
        plot.plot()->xAxis->ticker()->generate(plot.plot()->xAxis->range(), QLocale(), 'g', 6, ticks, &subTicks, &labels);
        QVERIFY(!ticks.isEmpty());
        for (double t : ticks + subTicks) QCOMPARE(t, std::round(t));
        // A click picks the layer under the mouse and marks it.
        QSignalSpy selected(&plot, &TokensPerLayerPlot::layerSelected);
        const QPoint at(int(plot.plot()->xAxis->coordToPixel(7.2)), plot.plot()->axisRect()->center().y());
        QTest::mouseClick(plot.plot(), Qt::LeftButton, Qt::NoModifier, at);
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.at(0).at(0).toInt(), 7);
        QCOMPARE(plot.selectedLayer(), 7);
        const QImage image = plot.plot()->toPixmap().toImage();
        const QColor band = image.pixelColor(int(plot.plot()->xAxis->coordToPixel(7)), plot.plot()->axisRect()->top() + 5);
        QVERIFY2(band.red() > band.blue() + 20, qPrintable(band.name()));  // the orange band of the selected layer
        plot.setSelectedLayer(-1);
        QCOMPARE(plot.selectedLayer(), -1);
    }
};

QTEST_MAIN(TestTokensPerLayerPlot)
#include "test_widget_tokens_per_layer_plot.moc"
