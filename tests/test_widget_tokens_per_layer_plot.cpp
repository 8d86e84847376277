// TokensPerLayerPlot: one point per layer, anchors marked, the savings in the title, axes labelled; and the
// plot exports to PNG, PDF and SVG.
#include <QTemporaryDir>
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
            QCOMPARE(exportPlot(plot.plot(), path, 800, 400, 150), QString());
            QVERIFY2(QFileInfo(path).size() > 1000, ext);
        }
        QFile png(dir.filePath("plot.png"));
        QVERIFY(png.open(QIODevice::ReadOnly));
        QCOMPARE(png.read(4), QByteArray("\x89PNG"));
        QImage image(dir.filePath("plot.png"));
        QCOMPARE(image.width(), int(800 * 150 / 96.0 + 0.5));
        QVERIFY(exportPlot(plot.plot(), dir.filePath("plot.bmpx"), 10, 10).contains("unknown image format"));
    }
};

QTEST_MAIN(TestTokensPerLayerPlot)
#include "test_widget_tokens_per_layer_plot.moc"
