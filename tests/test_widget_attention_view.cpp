// The Attention view (widgets/AttentionView.h and its parts) fed with a hand-made layer: what the matrices draw
// (the upper triangle and absent tokens blank, signed values on a diverging scale, log10 |value| on the log
// scale), the fate marks, the heads box, clicks that select tokens, the strip's row and column, the scatter's
// points and rank correlation, a layer change that blanks what belongs to another layer, and the export.
#include <QComboBox>
#include <QPainter>
#include <QSignalSpy>
#include <QtTest/QtTest>
#include <cmath>
#include <qcustomplot.h>

#include "core/attention/LayerAttention.h"
#include "widgets/AttentionMatrixPlot.h"
#include "widgets/AttentionView.h"
#include "widgets/AttributionPlot.h"
#include "widgets/ImportanceAttentionScatter.h"
#include "widgets/TokenWeightStrip.h"
#include "widgets/WidgetExport.h"

using namespace ssmlens;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr int T = 6;

// Layer 1 of a 6-token prompt: token 2 left at layer 0 (gone), token 1 is merged and token 4 pruned here.
TokenTrace sampleTrace() {
    TokenTrace t;
    t.length = T;
    for (int l = 0; l < 3; ++l) {
        LayerTrace lt;
        lt.layer = l;
        lt.anchor = l <= 1;
        lt.tokensIn = l == 0 ? 6 : l == 1 ? 5 : 3;
        lt.fate = l == 0 ? std::vector<int8_t>{0, 0, 2, 0, 0, 0}
                         : l == 1 ? std::vector<int8_t>{0, 1, -1, 0, 2, 0} : std::vector<int8_t>{0, -1, -1, 0, -1, 0};
        lt.destination.assign(T, -1);
        lt.importance = {6, 5, kNaN, 3, 2, 1};  // descending with position among those present
        if (l == 1) lt.destination[1] = 0;
        t.layers.push_back(lt);
    }
    return t;
}

AttentionMatrix lowerTriangle(float scale, std::vector<int> absent = {}) {
    AttentionMatrix m;
    m.size = T;
    m.values.assign(T * T, 0.0f);
    for (int t = 0; t < T; ++t)
        for (int s = 0; s <= t; ++s) m.values[t * T + s] = scale * float(t + 1) / float(s + 1) * ((t + s) % 3 == 0 ? -1 : 1);
    for (int p : absent)
        for (int i = 0; i < T; ++i) m.values[p * T + i] = m.values[i * T + p] = kNaN;
    return m;
}

LayerAttention sampleLayer(int layer = 1) {
    LayerAttention a;
    a.layer = layer;
    a.heads = 4;
    a.selection = {-1, HeadAggregate::Mean, false};
    a.dense = lowerTriangle(1.0f);
    a.reduced = lowerTriangle(0.5f, {2});
    a.receivedDense = {3, 2, 1, 0.8f, 0.5f, 0.2f};
    a.receivedReduced = {3, 2, kNaN, 1, 0.9f, 0.1f};  // ranks as the importance: rho = 1
    return a;
}

QStringList labels() { return {"The", " old", " light", "house", " keeper", "."}; }

}  // namespace

class TestAttentionView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void drawsBothPassesWithMarks() {
        AttentionView v;
        v.resize(1400, 800);
        v.show();
        v.setTrace(sampleTrace(), labels());
        v.setLayer(1);
        v.setLayerAttention(sampleLayer());
        AttentionMatrixPlot* dense = v.densePlot();
        AttentionMatrixPlot* reduced = v.reducedPlot();
        v.setLogScale(false);  // on by default
        QVERIFY(dense->isVisible() && reduced->isVisible());
        // Lower triangle drawn, upper triangle blank; the reduced pass has no row or column for token 2.
        QCOMPARE(dense->drawnValue(3, 1), double(sampleLayer().dense.at(3, 1)));
        QVERIFY(std::isnan(dense->drawnValue(1, 3)));
        QVERIFY(std::isnan(reduced->drawnValue(2, 0)) && std::isnan(reduced->drawnValue(4, 2)));
        QCOMPARE(reduced->drawnValue(4, 3), double(sampleLayer().reduced.at(4, 3)));
        QVERIFY(dense->diverging());  // signed values
        // Marks at this layer: one merged, one pruned, one gone (on the top strip).
        QCOMPARE(reduced->markerCount(1), 1);
        QCOMPARE(reduced->markerCount(2), 1);
        QCOMPARE(reduced->markerCount(-1), 1);
        // Log scale: log10 |value|.
        v.setLogScale(true);
        QVERIFY(std::abs(dense->drawnValue(3, 1) - std::log10(std::abs(sampleLayer().dense.at(3, 1)))) < 1e-6);
        QVERIFY(dense->describeCell(3, 1).contains("house"));
        QVERIFY(dense->describeCell(1, 3).contains(QStringLiteral("never")));
        QVERIFY(reduced->describeCell(2, 0).contains(QStringLiteral("removed")));
        // Only the reduced pass.
        v.setPasses(AttentionView::Passes::Reduced);
        QVERIFY(!dense->isVisible() && reduced->isVisible());
        QVERIFY(v.statusText().contains("5 of 6"));
    }

    void headsBoxAndSelection() {
        AttentionView v;
        QSignalSpy changed(&v, &AttentionView::selectionChanged);
        v.setTrace(sampleTrace(), labels());
        v.setLayer(1);
        v.setLayerAttention(sampleLayer());  // 4 heads: the box offers mean, max and heads 0..3
        auto* box = v.findChild<QComboBox*>();
        QVERIFY(box);
        QCOMPARE(v.selection().aggregate, HeadAggregate::Mean);
        v.setSelection({2, HeadAggregate::None, true});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(v.selection().head, int64_t(2));
        QVERIFY(v.selection().normalizeRows);
        v.setSelection({2, HeadAggregate::None, true});  // no change, no signal
        QCOMPARE(changed.count(), 1);
        QCOMPARE(AttentionView::selectionText({-1, HeadAggregate::MaxAbs, true}), QString("max |M| over heads, rows normalised"));
    }

    void tokenSelectionStripAndClicks() {
        AttentionView v;
        v.resize(1400, 800);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        QSignalSpy selected(&v, &AttentionView::tokenSelected);
        v.setTrace(sampleTrace(), labels());
        v.setLayer(1);
        v.setLayerAttention(sampleLayer());
        v.selectToken(3);
        // Reads from: row 3 of the reduced pass, blank after the token and where token 2 is gone.
        const AttentionMatrix reduced = sampleLayer().reduced;
        QCOMPARE(v.strip()->weight(0), reduced.at(3, 0));
        QCOMPARE(v.strip()->weight(3), reduced.at(3, 3));
        QVERIFY(std::isnan(v.strip()->weight(2)) && std::isnan(v.strip()->weight(4)));
        QVERIFY(v.strip()->chipColor(0) != v.strip()->chipColor(1));  // weights of opposite sign
        // Is read by: column 3.
        v.setStripShows(AttentionView::StripShows::IsReadBy);
        QCOMPARE(v.strip()->weight(5), reduced.at(5, 3));
        QVERIFY(std::isnan(v.strip()->weight(1)));
        // A click on a chip of the strip, on a matrix cell, on a scatter point selects a token.
        QTest::mouseClick(v.strip(), Qt::LeftButton, {}, v.strip()->chipRect(4).center());
        QCOMPARE(selected.takeLast().at(0).toInt(), 4);
        QCustomPlot* plot = v.reducedPlot()->plot();
        const QPoint cell(int(plot->xAxis->coordToPixel(1)), int(plot->yAxis->coordToPixel(4)));
        QTest::mouseClick(plot, Qt::LeftButton, {}, cell);
        QCOMPARE(selected.takeLast().at(0).toInt(), 1);  // "is read by": the column's token
        v.setStripShows(AttentionView::StripShows::ReadsFrom);
        QTest::mouseClick(plot, Qt::LeftButton, {}, cell);
        QCOMPARE(selected.takeLast().at(0).toInt(), 4);  // "reads from": the row's token
    }

    void scatterAndAttribution() {
        AttentionView v;
        v.setTrace(sampleTrace(), labels());
        v.setLayer(1);
        v.setLayerAttention(sampleLayer());
        // Tokens present at layer 1 with an importance: 0, 1, 3, 4, 5 (token 2 is gone).
        QCOMPARE(v.scatter()->pointCount(), 5);
        QVERIFY(std::abs(v.scatter()->correlation() - 1.0) < 1e-12);
        v.setAttribution({0.1f, 0.2f, 0.1f, 0.2f, 0.2f, 0.2f}, {0.3f, 0.1f, 0.0f, 0.2f, 0.2f, 0.2f});
        QCOMPARE(v.attributionPlot()->barCount(), 12);
        // Spearman with ties, worked by hand: ranks (1.5, 1.5, 3, 4) against (1, 2, 3, 4) give 4.5 / sqrt(22.5).
        QVERIFY(std::abs(rankCorrelation({1, 1, 2, 3}, {1, 2, 3, 4}) - 4.5 / std::sqrt(22.5)) < 1e-12);
        QVERIFY(std::isnan(rankCorrelation({1, 2}, {1, 2})));
        QVERIFY(std::abs(rankCorrelation({1, 2, 3, kNaN}, {3, 2, 1, 0}) + 1.0) < 1e-12);
    }

    void anotherLayerIsNeverShownUnderThisNumber() {
        AttentionView v;
        v.setTrace(sampleTrace(), labels());
        v.setLayer(1);
        v.setLayerAttention(sampleLayer());
        QVERIFY(std::isfinite(v.densePlot()->value(3, 1)));
        v.setLayer(2);  // the window selected another layer: layer 1's data must go
        QVERIFY(std::isnan(v.densePlot()->value(3, 1)));
        v.setLayerAttention(sampleLayer(1));  // a late answer for layer 1 is not drawn as layer 2
        QVERIFY(std::isnan(v.densePlot()->value(3, 1)));
        v.setLayerAttention(sampleLayer(2));
        QVERIFY(std::isfinite(v.densePlot()->value(3, 1)));
        // A new trace (another run) blanks the matrices until its own data comes.
        v.setTrace(sampleTrace(), labels());
        QVERIFY(std::isnan(v.densePlot()->value(3, 1)));
    }

    void aStripTooTallForItsBandKeepsTheWidth() {
        // 60 tokens in a band 900 wide and 60 high (a single-column figure's strip): laid out wider and scaled
        // down, it still spans the band's width instead of shrinking into a column at its left.
        TokenWeightStrip strip;
        QStringList many;
        for (int i = 0; i < 60; ++i) many << QString(" token%1").arg(i);
        strip.setTokens(many);
        strip.setWeights(std::vector<float>(60, 0.5f), 3, "Token 3 reads from:");
        const QSize band(900, 60);
        QVERIFY(strip.contentHeight(band.width()) > 2 * band.height());  // too tall at the band's width
        QImage image(band, QImage::Format_RGB32);
        image.fill(Qt::white);
        {
            QPainter painter(&image);
            strip.paintFigure(painter, band);
        }
        int rightmostInk = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                if (qGray(image.pixel(x, y)) < 200) rightmostInk = std::max(rightmostInk, x);
        QVERIFY2(rightmostInk > band.width() * 8 / 10, qPrintable(QString::number(rightmostInk)));
    }

    void aSingleColumnFigureKeepsItsLabelsApart() {
        // Two matrices in 3.5 inches at 300 dpi with 8-point text: each is laid out at a size its labels fit and
        // scaled down, so no title runs off the figure's edges.
        AttentionView v;
        v.setTrace(sampleTrace(), labels());
        v.setLayer(1);
        v.setLayerAttention(sampleLayer());
        QTemporaryDir dir;
        FigureSize size;
        size.widthPx = 1050;
        size.heightPx = 700;
        size.dpi = 300;
        size.fontPt = 8;
        QCOMPARE(v.exportMatrices(dir.filePath("column.png"), size), QString());
        const QImage image = QImage(dir.filePath("column.png")).convertToFormat(QImage::Format_RGB32);
        for (int x = 0; x < 4; ++x)
            for (int y = 0; y < image.height(); ++y)
                for (int column : {x, image.width() - 1 - x})
                    QVERIFY2(qGray(image.pixel(column, y)) > 200, qPrintable(QString("ink at %1,%2").arg(column).arg(y)));
        // The matrices and their colour scales keep a readable size: some column of colour (a scale, a matrix
        // column) runs over more than a third of the figure's height. Laid out at the small size itself, the
        // labels took the room and the matrices shrank to a sixth of it.
        int longestRun = 0;
        for (int x = 0; x < image.width(); ++x) {
            int run = 0;
            for (int y = 0; y < image.height(); ++y) {
                const QColor c = image.pixelColor(x, y);
                const bool colour = std::max({c.red(), c.green(), c.blue()}) - std::min({c.red(), c.green(), c.blue()}) > 50;
                run = colour ? run + 1 : 0;
                longestRun = std::max(longestRun, run);
            }
        }
        QVERIFY2(longestRun > image.height() / 3, qPrintable(QString::number(longestRun)));
    }

    void exportsPngPdfSvg() {
        AttentionView v;
        v.resize(1400, 800);
        v.setTrace(sampleTrace(), labels());
        v.setLayer(1);
        v.setLayerAttention(sampleLayer());
        v.selectToken(3);
        QTemporaryDir dir;
        for (const char* ext : {"png", "pdf", "svg"}) {
            const QString path = dir.filePath(QString("attention.%1").arg(ext));
            QCOMPARE(v.exportMatrices(path, 1200, 700), QString());
            QVERIFY2(QFileInfo(path).size() > 1000, ext);
        }
        QImage png(dir.filePath("attention.png"));
        QCOMPARE(png.size(), QSize(1200, 700));
        // Vector: the SVG holds text and shapes, not one picture of the plots.
        QFile svg(dir.filePath("attention.svg"));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray content = svg.readAll();
        QVERIFY(content.contains("<text") || content.contains("<path"));
        QVERIFY(content.contains("keeper") || content.contains("house"));
        QVERIFY(!v.exportMatrices(dir.filePath("attention.bmp"), 100, 100).isEmpty());
    }
};

QTEST_MAIN(TestAttentionView)
#include "test_widget_attention_view.moc"
