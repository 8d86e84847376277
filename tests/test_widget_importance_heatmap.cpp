// ImportanceHeatmap: the cells drawn from a trace (normalised per layer, blank once a token is gone), the
// markers of merged and pruned tokens, the hover text, and the click signal.
#include <QSignalSpy>
#include <QtTest/QtTest>
#include <cmath>
#include <qcustomplot.h>

#include "widgets/ImportanceHeatmap.h"

using namespace ssmlens;

namespace {

// Four tokens, three layers. Layer 1 is an anchor: token 0 merges into 1, token 2 is pruned.
TokenTrace makeTrace() {
    TokenTrace t;
    t.length = 4;
    const float nan = std::nanf("");
    for (int l = 0; l < 3; ++l) {
        LayerTrace lt;
        lt.layer = l;
        lt.anchor = l == 1;
        lt.tokensIn = l < 2 ? 4 : 2;
        lt.tokensOut = l == 1 ? 2 : lt.tokensIn;
        lt.importance = l < 2 ? std::vector<float>{1, 2, 3, 4} : std::vector<float>{nan, 5, nan, 10};
        lt.fate = l == 1 ? std::vector<int8_t>{1, 0, 2, 0} : l == 0 ? std::vector<int8_t>{0, 0, 0, 0}
                                                                    : std::vector<int8_t>{-1, 0, -1, 0};
        lt.destination = l == 1 ? std::vector<int64_t>{1, -1, -1, -1} : std::vector<int64_t>(4, -1);
        lt.mergedFraction = l == 1 ? std::vector<float>{0.5f, nan, nan, nan} : std::vector<float>(4, nan);
        lt.inB = std::vector<int8_t>(4, -1);
        lt.match = l == 1 ? std::vector<int64_t>{1, -1, 3, -1} : std::vector<int64_t>(4, -1);
        lt.matchCosine = l == 1 ? std::vector<float>{0.9f, nan, 0.2f, nan} : std::vector<float>(4, nan);
        t.layers.push_back(lt);
    }
    return t;
}

}  // namespace

class TestImportanceHeatmap : public QObject {
    Q_OBJECT
private slots:
    void drawsNormalisedCellsAndMarkers() {
        ImportanceHeatmap map;
        map.resize(800, 500);
        map.setTrace(makeTrace(), {"A", "B", "C", "D"});
        QCOMPARE(map.cellValue(0, 3), 1.0);
        QCOMPARE(map.cellValue(0, 1), 0.5);
        QCOMPARE(map.cellValue(2, 1), 0.5);  // 5 / 10 at layer 2
        QVERIFY(std::isnan(map.cellValue(2, 0)));  // gone
        QCOMPARE(map.markerCount(1), 1);
        QCOMPARE(map.markerCount(2), 1);
        QVERIFY(map.plot()->xAxis->label().contains("token"));
        QVERIFY(map.plot()->yAxis->label().contains("layer"));
        QVERIFY(map.plot()->legend->visible());
    }

    // An anchor that chose by position alone gets a diamond at its row's left edge and a line in the hover.
    void marksContentIndependentAnchors() {
        ImportanceHeatmap map;
        TokenTrace t = makeTrace();
        map.setTrace(t, {"A", "B", "C", "D"});
        QCOMPARE(map.contentIndependentMarkCount(), 0);
        QVERIFY(!map.describeCell(1, 0).contains("position alone"));
        t.layers[1].contentIndependent = true;
        map.setTrace(t, {"A", "B", "C", "D"});
        QCOMPARE(map.contentIndependentMarkCount(), 1);
        QVERIFY(map.describeCell(1, 0).contains("position alone"));
        QVERIFY(!map.describeCell(0, 0).contains("position alone"));
        map.clear();
        QCOMPARE(map.contentIndependentMarkCount(), 0);
    }

    void hoverTextSaysWhatHappened() {
        ImportanceHeatmap map;
        map.setTrace(makeTrace(), {"A", "B", "C", "D"});
        const QString merged = map.describeCell(1, 0);
        QVERIFY2(merged.contains("merged") && merged.contains("into token 1") && merged.contains("50%"), qPrintable(merged));
        QVERIFY(map.describeCell(1, 2).contains("pruned"));
        QVERIFY(map.describeCell(2, 0).contains("gone"));
        QVERIFY(map.describeCell(9, 9).isEmpty());
    }

    void clickSelectsLayerAndToken() {
        ImportanceHeatmap map;
        map.resize(800, 500);
        map.show();
        QVERIFY(QTest::qWaitForWindowExposed(&map));
        map.setTrace(makeTrace(), {"A", "B", "C", "D"});
        QSignalSpy spy(&map, &ImportanceHeatmap::cellSelected);
        const QPoint at(int(map.plot()->xAxis->coordToPixel(2)), int(map.plot()->yAxis->coordToPixel(1)));
        QTest::mouseClick(map.plot(), Qt::LeftButton, Qt::NoModifier, at);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toInt(), 1);
        QCOMPARE(spy.at(0).at(1).toInt(), 2);
    }
};

QTEST_MAIN(TestImportanceHeatmap)
#include "test_widget_importance_heatmap.moc"
