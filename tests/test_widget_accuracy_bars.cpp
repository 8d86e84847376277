// AccuracyBars: a dense and a reduced bar per (task, metric), in percent, labelled, with the caption.
#include <QtTest/QtTest>
#include <cmath>
#include <qcustomplot.h>

#include "widgets/AccuracyBars.h"

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
};

QTEST_MAIN(TestAccuracyBars)
#include "test_widget_accuracy_bars.moc"
