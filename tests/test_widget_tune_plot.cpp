// TunePlot: candidates, the Pareto front, presets, the budget line, the editor's schedule (scored: a star;
// not scored: a line), selection by click, and stopped-early candidates kept apart.
#include <QSignalSpy>
#include <QtTest/QtTest>
#include <qcustomplot.h>

#include "widgets/TunePlot.h"

using namespace ssmlens;

namespace {

std::vector<TunePlotPoint> points() {
    std::vector<TunePlotPoint> p(5);
    const double x[] = {13.5, 25.0, 25.1, 25.2, 35.0};
    const double y[] = {0.27, 0.19, 0.60, 0.90, 0.89};
    for (int i = 0; i < 5; ++i) {
        p[i].index = i;
        p[i].flopsReductionPercent = x[i];
        p[i].objective = y[i];
    }
    p[0].preset = p[2].preset = p[4].preset = true;
    p[0].onFront = p[1].onFront = p[4].onFront = true;
    p[3].complete = false;
    return p;
}

QStringList legend(QCustomPlot* plot) {
    QStringList names;
    for (int i = 0; i < plot->legend->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(plot->legend->item(i))) names << item->plottable()->name();
    return names;
}

}  // namespace

class TestTunePlot : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void drawsWhatItIsGiven() {
        TunePlot plot;
        plot.resize(700, 420);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setTarget(25);
        plot.setPoints(points());
        QCOMPARE(plot.pointCount(), 5);
        QCOMPARE(plot.frontCount(), 3);
        const QStringList names = legend(plot.plot());
        QVERIFY(names.contains("candidate") && names.contains("paper preset") && names.contains("Pareto front") &&
                names.contains("stopped early (clearly worse)"));
        QVERIFY(!names.contains("schedule in the editor"));
        // The front is a line through its points in FLOPs order.
        QCPGraph* front = nullptr;
        for (int i = 0; i < plot.plot()->graphCount(); ++i)
            if (plot.plot()->graph(i)->name() == "Pareto front") front = plot.plot()->graph(i);
        QVERIFY(front);
        QCOMPARE(front->dataCount(), 3);
        QCOMPARE(front->data()->at(1)->key, 25.0);
        // The budget as a line (an item), the editor's schedule as a dotted line until it is scored.
        const int items = plot.plot()->itemCount();
        plot.setCurrent(30, NAN);
        QVERIFY(plot.plot()->itemCount() > items);
        QVERIFY(!legend(plot.plot()).contains("schedule in the editor"));
        plot.setCurrent(25.0, 0.19);
        QVERIFY(legend(plot.plot()).contains("schedule in the editor"));
        QCOMPARE(plot.currentObjective(), 0.19);
        plot.clearCurrent();
        QVERIFY(std::isnan(plot.currentObjective()));
    }

    void aClickSelectsTheNearestCandidate() {
        TunePlot plot;
        plot.resize(700, 420);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setPoints(points());
        QSignalSpy clicked(&plot, &TunePlot::candidateClicked);
        for (int i : {1, 4}) {
            const QPointF at = plot.widgetPositionOf(i);
            QVERIFY(at.x() > 0 && at.y() > 0);
            QCOMPARE(plot.candidateAt(at), i);
            QTest::mouseClick(plot.plot(), Qt::LeftButton, {}, plot.plot()->mapFrom(&plot, at.toPoint()));
            QCOMPARE(clicked.count(), 1);
            QCOMPARE(clicked.takeFirst().at(0).toInt(), i);
            QCOMPARE(plot.selected(), i);
        }
        // Far from every point: nothing.
        QCOMPARE(plot.candidateAt(QPointF(2, 2)), -1);
        QVERIFY(legend(plot.plot()).contains("selected"));
    }
};

QTEST_MAIN(TestTunePlot)
#include "test_widget_tune_plot.moc"
