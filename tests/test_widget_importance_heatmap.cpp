// ImportanceHeatmap: the cells drawn from a trace (normalised per layer, blank once a token is gone), the
// markers of merged and pruned tokens, the hover text, and the click signal.
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <cmath>
#include <qcustomplot.h>

#include "widgets/ImportanceHeatmap.h"
#include "widgets/PlotExport.h"
#include "widgets/TokenFateStyle.h"
#include "widgets/WidgetExport.h"

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
        QCOMPARE(map.markerCount(FateMerged), 1);
        QCOMPARE(map.markerCount(FatePruned), 1);
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

    // The diamond is part of the figure: an exported PNG has it (its orange is nowhere on the viridis
    // scale), on the anchor's row at the cells' left edge, and has none without such an anchor.
    void exportedFigureShowsTheDiamond() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QColor orange = TokenFateStyle::contentIndependentColor();
        FigureSize size;
        size.widthPx = 800;
        size.heightPx = 500;
        auto orangePixels = [&](bool contentIndependent, QPointF* centre) {
            ImportanceHeatmap map;
            TokenTrace t = makeTrace();
            t.layers[1].contentIndependent = contentIndependent;
            map.setTrace(t, {"A", "B", "C", "D"});
            const QString png = dir.filePath(contentIndependent ? "marked.png" : "plain.png");
            if (!map.exportImage(png, size).isEmpty()) return -1;
            const QImage image(png);
            int n = 0;
            QPointF sum;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x)
                    if (image.pixelColor(x, y) == orange && x < image.width() * 0.15) {  // not the legend's
                        ++n;
                        sum += QPointF(x, y);
                    }
            if (centre && n > 0) *centre = sum / n;
            return n;
        };
        QCOMPARE(orangePixels(false, nullptr), 0);
        QPointF centre;
        const int marked = orangePixels(true, &centre);
        QVERIFY2(marked > 20, qPrintable(QString::number(marked)));
        // Layer 1 of 3 is the middle row: the diamond sits in the middle band of the figure.
        QVERIFY2(centre.y() > size.heightPx * 0.25 && centre.y() < size.heightPx * 0.6, qPrintable(QString::number(centre.y())));
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

    void colourScaleEndsNeverLookGone() {
        // The ends of the scale are strong colours (viridis: dark violet at 0, yellow at 1), never white or the
        // hatch's grey, so a layer's most important token never looks removed.
        ImportanceHeatmap map;
        map.setTrace(makeTrace(), {"A", "B", "C", "D"});
        const QColor low = map.colorForValue(0.0), high = map.colorForValue(1.0);
        QVERIFY2(high.red() > 200 && high.green() > 200 && high.blue() < 80, qPrintable(high.name()));  // yellow
        QVERIFY2(low.blue() > low.green() + 40 && low.lightness() < 80, qPrintable(low.name()));         // dark violet
        for (double v : {0.0, 0.25, 0.5, 0.75, 1.0}) QVERIFY(map.colorForValue(v).hsvSaturation() > 100);
    }

    void goneCellsAreHatchedAndTheSelectionShows() {
        ImportanceHeatmap map;
        map.resize(800, 500);
        map.show();
        QVERIFY(QTest::qWaitForWindowExposed(&map));
        map.setTrace(makeTrace(), {"A", "B", "C", "D"});
        QCustomPlot* plot = map.plot();
        auto cell = [&](int layer, int token) {
            const QPointF c(plot->xAxis->coordToPixel(token), plot->yAxis->coordToPixel(layer));
            const double w = std::abs(plot->xAxis->coordToPixel(1) - plot->xAxis->coordToPixel(0));
            const double h = std::abs(plot->yAxis->coordToPixel(1) - plot->yAxis->coordToPixel(0));
            return QRect(int(c.x() - w * 0.3), int(c.y() - h * 0.3), int(w * 0.6), int(h * 0.6));
        };
        QImage image = plot->grab().toImage();
        // Token 0 is gone at layer 2: light grey with darker grey lines, and nothing else.
        QSet<QRgb> gone;
        const QRect g = cell(2, 0);
        for (int y = g.top(); y <= g.bottom(); ++y)
            for (int x = g.left(); x <= g.right(); ++x) gone.insert(image.pixel(x, y));
        bool light = false, line = false;
        for (QRgb c : gone) {
            QVERIFY2(qAbs(qRed(c) - qBlue(c)) < 8 && qAbs(qRed(c) - qGreen(c)) < 8, qPrintable(QColor(c).name()));  // grey
            light = light || qRed(c) > 225;
            line = line || qRed(c) < 200;
        }
        QVERIFY(light && line);
        // Token 1 at layer 2 is present: one colour of the scale, not grey.
        QCOMPARE(image.pixelColor(cell(2, 1).center()), map.colorForValue(0.5));

        // The selection: layer 1's row and token 3's column are outlined.
        map.setSelection(1, 3);
        image = plot->grab().toImage();
        const int rowTop = int(std::round(std::min(plot->yAxis->coordToPixel(0.5), plot->yAxis->coordToPixel(1.5))));
        int dark = 0;
        for (int x = cell(1, 0).left(); x < cell(1, 0).right(); ++x)
            for (int dy = -2; dy <= 2; ++dy) dark += image.pixelColor(x, rowTop + dy).lightness() < 40;
        QVERIFY2(dark > 0, "no outline along the selected row");
    }

    void longPromptsKeepTheirLabels() {
        // 200 tokens: every label cannot fit, so every k-th shows with its position; zoomed in, each shows.
        TokenTrace t;
        t.length = 200;
        QStringList labels;
        for (int p = 0; p < 200; ++p) labels << QString(" w%1").arg(p);
        for (int l = 0; l < 2; ++l) {
            LayerTrace lt;
            lt.layer = l;
            lt.importance.assign(200, 1.0f);
            lt.fate.assign(200, FateKept);
            lt.destination.assign(200, -1);
            lt.mergedFraction.assign(200, std::nanf(""));
            lt.inB.assign(200, -1);
            lt.match.assign(200, -1);
            lt.matchCosine.assign(200, std::nanf(""));
            t.layers.push_back(lt);
        }
        ImportanceHeatmap map;
        map.resize(900, 500);
        map.show();
        QVERIFY(QTest::qWaitForWindowExposed(&map));
        map.setTrace(t, labels);
        QStringList shown = map.tokenTickLabels();
        QVERIFY2(shown.size() >= 5 && shown.size() < 200, qPrintable(shown.join("|")));
        for (const QString& label : shown) QVERIFY2(label.contains(QRegularExpression("^\\d+ w\\d+$")), qPrintable(label));
        map.showTokens(100, 111);
        shown = map.tokenTickLabels();
        QCOMPARE(shown.size(), 12);
        QCOMPARE(shown.front(), QString("w100"));
        QCOMPARE(shown.back(), QString("w111"));
        // A slider move (same prompt) keeps the zoom; a new prompt shows all of it again.
        map.setTrace(t, labels);
        QCOMPARE(map.firstTokenInView(), 100.0);
        map.showAllTokens();
        QCOMPARE(map.firstTokenInView(), 0.0);
        QCOMPARE(map.lastTokenInView(), 199.0);
    }

    void exportsCellsAsVectorRectangles() {
        // The SVG and PDF draw each cell as a rectangle and the colour bar as a vector gradient; the only
        // picture inside is the colour scale's own bar, left transparent.
        QTemporaryDir dir;
        ImportanceHeatmap map;
        map.setTrace(makeTrace(), {"A", "B", "C", "D"});
        const QString svg = dir.filePath("map.svg");
        QCOMPARE(exportPlot(map.plot(), svg, FigureSize()), QString());
        QFile f(svg);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.count("<image") <= 1);
        const QRegularExpression bar("<image[^>]*width=\"(\\d+)\"[^>]*height=\"(\\d+)\"");
        const QRegularExpressionMatch m = bar.match(QString::fromUtf8(text));
        QVERIFY(!m.hasMatch() || m.captured(1).toInt() < 40);  // narrow: the colour bar, not the cells
        QVERIFY(text.contains("linearGradient"));
        // Ten cells are present (12 minus the two gone); each is a filled path of its own colour.
        QVERIFY2(text.count("fill=\"") >= 10, text.left(400).constData());
    }
};

QTEST_MAIN(TestImportanceHeatmap)
#include "test_widget_importance_heatmap.moc"
