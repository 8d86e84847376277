// AccuracyBars: a dense and a reduced bar per (task, metric), in percent, labelled, with the caption.
#include <QtTest/QtTest>
#include <cmath>
#include <qcustomplot.h>

#include "widgets/AccuracyBars.h"
#include "widgets/PlotExport.h"
#include "widgets/WidgetExport.h"

using namespace ssmlens;

class TestAccuracyBars : public QObject {
    Q_OBJECT
private slots:
    void drawsPairsInPercent() {
        AccuracyBars bars;
        bars.setData({{"piqa acc", 0.70, 0.65}, {"piqa acc_norm", 0.72, std::nan("")}}, "caption here");
        QCOMPARE(bars.barCount(), 2);
        auto* dense = qobject_cast<QCPBars*>(bars.plot()->plottable(0));
        auto* reduced = qobject_cast<QCPBars*>(bars.plot()->plottable(1));
        QVERIFY(dense && reduced);
        QCOMPARE(dense->data()->at(0)->value, 70.0);
        QCOMPARE(reduced->data()->at(0)->value, 65.0);
        QCOMPARE(reduced->data()->at(1)->value, 0.0);  // absent: drawn as no bar
        QVERIFY(bars.plot()->yAxis->label().contains("%"));
        auto* title = qobject_cast<QCPTextElement*>(bars.plot()->plotLayout()->element(0, 0));
        QCOMPARE(title->text(), QString("caption here"));
        auto ticker = bars.plot()->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
        QVERIFY(ticker && ticker->ticks().value(2.0) == "piqa acc_norm");
    }

    void exportedLegendKeepsItsItemsTogether() {
        // Exported, the legend moves under the plot; its row spans the figure, and its two items used to sit at
        // the left end and the middle (700 px apart in a 1600-px, 96-dpi figure). They stay side by side, centred.
        AccuracyBars bars;
        bars.resize(900, 300);
        bars.setData({{"lambada_openai acc", 0.229, 0.046}}, "caption here");
        QTemporaryDir dir;
        const QString file = dir.filePath("accuracy.png");
        QCOMPARE(exportPlot(bars.plot(), file, FigureSize()), QString());
        const QImage image(file);
        QCOMPARE(image.size(), QSize(1600, 1000));
        // The swatches: the bars' colours in the bottom 40 rows, under the axis title (the bars end above it).
        auto columnsOf = [&](QRgb colour) {
            int first = image.width(), last = -1;
            for (int y = image.height() - 40; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x)
                    if (image.pixel(x, y) == colour) first = std::min(first, x), last = std::max(last, x);
            return std::pair{first, last};
        };
        const auto dense = columnsOf(qRgb(150, 150, 150)), reduced = columnsOf(qRgb(20, 100, 200));
        QVERIFY2(dense.second >= 0 && reduced.second >= 0, "legend swatches not found under the plot");
        QVERIFY2(reduced.first - dense.second < 250, qPrintable(QString("swatches %1 px apart").arg(reduced.first - dense.second)));
        const double middle = (dense.first + reduced.second) / 2.0;
        QVERIFY2(std::abs(middle - image.width() / 2.0) < 0.1 * image.width(), qPrintable(QString("legend centred at %1").arg(middle)));
    }
};

QTEST_MAIN(TestAccuracyBars)
#include "test_widget_accuracy_bars.moc"
