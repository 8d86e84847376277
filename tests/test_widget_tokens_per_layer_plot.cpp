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
