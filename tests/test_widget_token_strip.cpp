// TokenStrip: the chips and their fate colours at a layer, the merge arrows, wrapping of long prompts, the
// "when each token leaves" grid, clicks on chips and grid cells, the tooltip text, and the export to PNG,
// PDF and SVG. With SSMLENS_FIGURE_DIR set, also writes the figures there for a look by eye.
#include <QCheckBox>
#include <QFile>
#include <QImage>
#include <QScrollArea>
#include <QScrollBar>
#include <QPainter>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <cmath>

#include "widgets/TokenFateStyle.h"
#include "widgets/TokenStrip.h"

using namespace ssmlens;

namespace {

const QStringList kLabels{"The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", ".", "\n", "It"};

// Twelve tokens, four layers. Layer 1 is an anchor: 0 merges into 1, 2 into 3, 6 is pruned.
// Layer 3 is an anchor too: 9 is pruned there.
TokenTrace makeTrace() {
    const float nan = std::nanf("");
    const int L = 12;
    TokenTrace t;
    t.length = L;
    for (int l = 0; l < 4; ++l) {
        LayerTrace lt;
        lt.layer = l;
        lt.anchor = l == 1 || l == 3;
        lt.keepRatio = lt.anchor ? 0.75 : 1.0;
        lt.importance.assign(L, 1.0f);
        lt.fate.assign(L, 0);
        lt.destination.assign(L, -1);
        lt.mergedFraction.assign(L, nan);
        lt.inB.assign(L, -1);
        lt.match.assign(L, -1);
        lt.matchCosine.assign(L, nan);
        for (int p = 0; p < L; ++p) lt.importance[p] = 0.1f * (p + 1);
        if (l >= 2)
            for (int p : {0, 2, 6}) lt.fate[p] = -1, lt.importance[p] = nan;
        if (l == 1) {
            lt.fate[0] = 1, lt.destination[0] = 1, lt.mergedFraction[0] = 0.5f;
            lt.fate[2] = 1, lt.destination[2] = 3, lt.mergedFraction[2] = 1.0f;
            lt.fate[6] = 2;
        }
        if (l == 3) lt.fate[9] = 2;
        lt.tokensIn = l < 2 ? 12 : 9;
        lt.tokensOut = l == 1 ? 9 : l == 3 ? 8 : lt.tokensIn;
        t.layers.push_back(lt);
    }
    return t;
}

// A long prompt: every third token of the first layer merges into its right neighbour.
TokenTrace makeLongTrace(int L, QStringList& labels) {
    TokenTrace t;
    t.length = L;
    labels.clear();
    for (int l = 0; l < 2; ++l) {
        LayerTrace lt;
        lt.layer = l;
        lt.anchor = l == 0;
        lt.keepRatio = l == 0 ? 2.0 / 3.0 : 1.0;
        lt.tokensIn = l == 0 ? L : L - (L + 1) / 3;
        lt.tokensOut = L - (L + 1) / 3;
        lt.importance.assign(L, 1.0f);
        lt.fate.assign(L, 0);
        lt.destination.assign(L, -1);
        for (int p = 0; p < L; ++p) {
            if (p % 3 == 0 && p + 1 < L) {
                if (l == 0) lt.fate[p] = 1, lt.destination[p] = p + 1;
                else lt.fate[p] = -1;
            }
        }
        t.layers.push_back(lt);
    }
    for (int p = 0; p < L; ++p) labels << (p % 7 == 0 ? QString(" interesting%1").arg(p) : QString(" w%1").arg(p));
    return t;
}

bool contains(const QImage& image, const QColor& colour) {
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (image.pixelColor(x, y) == colour) return true;
    return false;
}

// The fills the design gives each fate (docs: kept light grey, merged sky blue, pruned vermillion red),
// written out here rather than read from TokenFateStyle, so a changed palette fails this test.
const QColor kKeptFill(226, 226, 226), kMergedFill(80, 170, 255), kPrunedFill(230, 30, 30);

// The colour drawn inside a chip, clear of its text and rounded border.
QColor chipFill(TokenStrip& strip, int position) {
    const QImage image = strip.canvas()->grab().toImage();
    const QRect r = strip.chipRect(position);
    return image.pixelColor(r.left() + 4, r.top() + 5);
}

// The page size of a one-page PDF in points (its /MediaBox), rounded to a hundredth.
QSizeF pdfPageSize(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    const QByteArray data = f.readAll();
    const qsizetype box = data.indexOf("/MediaBox");
    if (box < 0) return {};
    const QByteArray numbers = data.mid(data.indexOf('[', box) + 1, data.indexOf(']', box) - data.indexOf('[', box) - 1);
    const QList<QByteArray> c = numbers.simplified().split(' ');
    if (c.size() != 4) return {};
    return QSizeF(std::round(c[2].toDouble() * 100) / 100, std::round(c[3].toDouble() * 100) / 100);
}

bool overlaps(const std::vector<QRect>& rects) {
    for (size_t i = 0; i < rects.size(); ++i)
        for (size_t j = i + 1; j < rects.size(); ++j)
            if (rects[i].intersects(rects[j])) return true;
    return false;
}

}  // namespace

class TestTokenStrip : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chipsShowTheFateAtTheLayer() {
        TokenStrip strip;
        strip.resize(700, 600);
        strip.show();
        QVERIFY(QTest::qWaitForWindowExposed(&strip));
        strip.setTrace(makeTrace(), kLabels, {1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011});
        QCOMPARE(strip.layer(), 1);  // the first anchor
        QCOMPARE(strip.fateShown(0), 1);
        QCOMPARE(strip.fateShown(2), 1);
        QCOMPARE(strip.fateShown(6), 2);
        QCOMPARE(strip.fateShown(5), 0);
        QCOMPARE(strip.fateShown(12), TokenStrip::kNoFate);
        // What is drawn: the documented fills, and no two fates alike.
        QCOMPARE(chipFill(strip, 0), kMergedFill);
        QCOMPARE(chipFill(strip, 6), kPrunedFill);
        QCOMPARE(chipFill(strip, 5), kKeptFill);
        // Merged is blue and pruned red for every reader: the dominant channel tells them apart.
        QVERIFY(kMergedFill.blue() > kMergedFill.red() + 100 && kPrunedFill.red() > kPrunedFill.blue() + 100);
        QCOMPARE(strip.linkCount(), 2);

        std::vector<QRect> chips;
        for (int p = 0; p < 12; ++p) {
            const QRect r = strip.chipRect(p);
            QVERIFY(!r.isEmpty());
            QVERIFY(r.right() < strip.canvas()->width());
            chips.push_back(r);
        }
        QVERIFY(!overlaps(chips));
        QVERIFY(strip.chipRect(12).isEmpty());

        strip.setLayer(2);  // not an anchor: the merged and pruned tokens are gone, nothing is linked
        QCOMPARE(strip.fateShown(0), -1);
        QCOMPARE(strip.fateShown(6), -1);
        QCOMPARE(strip.fateShown(1), 0);
        // Gone: hatched light grey, neither a fate's fill nor white paper.
        const QColor gone = chipFill(strip, 0);
        QVERIFY2(gone != kKeptFill && gone != QColor(Qt::white) && qAbs(gone.red() - gone.blue()) < 10 && gone.red() > 150,
                 qPrintable(gone.name()));
        QCOMPARE(strip.linkCount(), 0);
        strip.setLayer(3);
        QCOMPARE(strip.fateShown(9), 2);
        strip.setLayer(99);  // ignored
        QCOMPARE(strip.layer(), 3);

        strip.clear();
        QCOMPARE(strip.layer(), -1);
        QCOMPARE(strip.linkCount(), 0);
        QCOMPARE(strip.fateShown(0), TokenStrip::kNoFate);
    }

    void tooltipSaysWhatHappened() {
        TokenStrip strip;
        strip.setTrace(makeTrace(), kLabels, {1000, 1001});
        const QString merged = strip.describeToken(0);
        QVERIFY2(merged.contains("merged") && merged.contains("into token 1") && merged.contains("50%") &&
                     merged.contains("id 1000"), qPrintable(merged));
        QVERIFY2(strip.describeToken(1).contains("receives tokens 0"), qPrintable(strip.describeToken(1)));
        QVERIFY2(strip.describeToken(9).contains("pruned at layer 3"), qPrintable(strip.describeToken(9)));
        QVERIFY(strip.describeToken(11).contains("reaches the output"));
        QVERIFY(!strip.describeToken(11).contains("id "));  // no id given for it
        QVERIFY(strip.describeToken(10).contains(QChar(0x21B5)));  // the newline token is made visible
        QVERIFY(strip.describeToken(40).isEmpty());
    }

    void longPromptsWrapAndScroll() {
        QStringList labels;
        const TokenTrace trace = makeLongTrace(300, labels);
        TokenStrip strip;
        strip.resize(420, 500);
        strip.show();
        QVERIFY(QTest::qWaitForWindowExposed(&strip));
        strip.setTrace(trace, labels);
        QCOMPARE(strip.linkCount(), 100);
        std::vector<QRect> chips;
        int rows = 0, lastTop = -1;
        for (int p = 0; p < 300; ++p) {
            const QRect r = strip.chipRect(p);
            QVERIFY(r.left() >= 0 && r.right() < strip.canvas()->width());
            if (r.top() != lastTop) ++rows, lastTop = r.top();
            chips.push_back(r);
        }
        QVERIFY(!overlaps(chips));
        QVERIFY2(rows > 20, qPrintable(QString::number(rows)));
        // Taller than the view: the canvas grows and the scroll area scrolls.
        auto* scroll = strip.findChild<QScrollArea*>();
        QVERIFY(scroll);
        QVERIFY(strip.canvas()->height() > scroll->viewport()->height());
        QVERIFY(strip.canvas()->height() >= strip.chipRect(299).bottom());
        QVERIFY(strip.contentHeight(400) > strip.contentHeight(1200));
        // Selecting a token far down scrolls it into view.
        strip.selectToken(290);
        QVERIFY(scroll->verticalScrollBar()->value() > 0);
    }

    void longPromptsShowArrowsOnDemandAndTextUnderTheGrid() {
        // 300 tokens, 100 merges: all arrows at once are a tangle, so only the selected token's are drawn.
        QStringList labels;
        TokenStrip strip;
        strip.resize(900, 600);
        strip.show();
        QVERIFY(QTest::qWaitForWindowExposed(&strip));
        strip.setTrace(makeLongTrace(300, labels), labels);
        QCOMPARE(strip.linkCount(), 100);
        QVERIFY(!strip.allArrows());
        QCOMPARE(strip.arrowsDrawn(), 0);
        strip.selectToken(3);  // merged into 4
        QCOMPARE(strip.arrowsDrawn(), 1);
        strip.selectToken(4);  // receives 3
        QCOMPARE(strip.arrowsDrawn(), 1);
        strip.allArrowsBox()->click();  // all of them, on demand
        QCOMPARE(strip.arrowsDrawn(), 100);
        // The user's choice sticks for the next prompt, short or long.
        strip.setTrace(makeTrace(), kLabels);
        QVERIFY(strip.allArrows());
        QCOMPARE(strip.arrowsDrawn(), strip.linkCount());
        // A short prompt on a fresh strip shows every arrow.
        TokenStrip fresh;
        fresh.setTrace(makeTrace(), kLabels);
        QVERIFY(fresh.allArrows());
        QCOMPARE(fresh.arrowsDrawn(), 2);

        // The grid writes each column's token text under it, in bands that wrap, each label below its cells.
        strip.setTrace(makeLongTrace(300, labels), labels);
        for (int p : {0, 7, 150, 299}) {
            const QRect label = strip.gridLabelRect(p), cell = strip.layerCellRect(1, p);
            QVERIFY2(!label.isEmpty() && label.top() >= cell.bottom() && std::abs(label.center().x() - cell.center().x()) <= 1,
                     qPrintable(QString::number(p)));
            QVERIFY(labels[p].trimmed().startsWith(strip.gridLabel(p).left(3)));
        }
        QVERIFY(strip.layerCellRect(1, 299).top() > strip.layerCellRect(1, 0).bottom());  // a later band
        QVERIFY(strip.layerCellRect(1, 1).width() >= QFontMetrics(strip.font()).height() * 0.6);
    }

    void clicksSelectTokensAndLayers() {
        TokenStrip strip;
        strip.resize(700, 600);
        strip.show();
        QVERIFY(QTest::qWaitForWindowExposed(&strip));
        strip.setTrace(makeTrace(), kLabels);
        QSignalSpy tokens(&strip, &TokenStrip::tokenSelected);
        QSignalSpy layers(&strip, &TokenStrip::layerSelected);
        QTest::mouseClick(strip.canvas(), Qt::LeftButton, Qt::NoModifier, strip.chipRect(7).center());
        QCOMPARE(tokens.count(), 1);
        QCOMPARE(tokens.at(0).at(0).toInt(), 7);
        QCOMPARE(strip.selectedToken(), 7);
        QCOMPARE(layers.count(), 0);

        // A cell of the all-layers grid: shows that layer and selects that token.
        const QRect cell = strip.layerCellRect(2, 4);
        QVERIFY(!cell.isEmpty());
        QTest::mouseClick(strip.canvas(), Qt::LeftButton, Qt::NoModifier, cell.center());
        QCOMPARE(layers.count(), 1);
        QCOMPARE(layers.at(0).at(0).toInt(), 2);
        QCOMPARE(strip.layer(), 2);
        QCOMPARE(tokens.count(), 2);
        QCOMPARE(tokens.at(1).at(0).toInt(), 4);

        // Programmatic changes do not emit.
        strip.setLayer(1);
        strip.selectToken(3);
        QCOMPARE(layers.count(), 1);
        QCOMPARE(tokens.count(), 2);
        QCOMPARE(strip.selectedToken(), 3);
    }

    // The subtitle of an anchor that chose by position alone says so first (read back from the SVG's text).
    void subtitleMarksContentIndependentAnchors() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto subtitleMentions = [&](const TokenTrace& t, const QString& name) {
            TokenStrip strip;
            strip.setTrace(t, kLabels);
            strip.setLayer(1);
            const QString svg = dir.filePath(name);
            if (!strip.exportImage(svg, 900, 600).isEmpty()) return false;
            QFile f(svg);
            return f.open(QIODevice::ReadOnly) && f.readAll().contains("Content-independent anchor");
        };
        TokenTrace t = makeTrace();
        QVERIFY(!subtitleMentions(t, "content.svg"));
        t.layers[1].contentIndependent = true;
        QVERIFY(subtitleMentions(t, "position.svg"));
    }

    void exportsPngPdfSvg() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        TokenStrip strip;
        strip.setTrace(makeTrace(), kLabels);

        const QString png = dir.filePath("strip.png");
        QCOMPARE(strip.exportImage(png, 640, 480), QString());
        QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(640, 480));
        QVERIFY(contains(image, kMergedFill));  // something is drawn: a merged chip
        QVERIFY(contains(image, kPrunedFill));  // and a pruned one

        // The pixels asked for, whatever the dpi; the dpi is recorded (300 dpi: 11811 dots per metre).
        const QString print = dir.filePath("strip300.png");
        QCOMPARE(strip.exportImage(print, 1050, 700, 300), QString());
        QCOMPARE(QImage(print).size(), QSize(1050, 700));
        QCOMPARE(QImage(print).dotsPerMeterX(), 11811);

        const QString svg = dir.filePath("strip.svg");
        QCOMPARE(strip.exportImage(svg, 640, 480), QString());
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        const QByteArray svgText = svgFile.readAll();
        QVERIFY(svgText.contains("<svg") && svgText.contains("</svg>"));
        // A figure for a paper carries no on-screen hints: the grid's heading without "click to show it".
        QVERIFY(svgText.contains("When each token leaves"));
        QVERIFY2(!svgText.contains("click"), "an on-screen hint in the exported figure");
        // It renders back to the same picture: the size, and the merged colour among its pixels.
        QSvgRenderer renderer(svg);
        QVERIFY(renderer.isValid());
        QCOMPARE(renderer.viewBox(), QRect(0, 0, 640, 480));  // (its width and height are in mm, at 96 dpi)
        QVERIFY(svgText.contains("width=\"169.333mm\""));
        QImage fromSvg(640, 480, QImage::Format_ARGB32);
        fromSvg.fill(Qt::white);
        QPainter painter(&fromSvg);
        renderer.render(&painter);
        painter.end();
        QVERIFY(contains(fromSvg, kMergedFill));

        const QString pdf = dir.filePath("strip.pdf");
        QCOMPARE(strip.exportImage(pdf, 640, 480), QString());
        QFile pdfFile(pdf);
        QVERIFY(pdfFile.open(QIODevice::ReadOnly));
        QVERIFY(pdfFile.size() > 500);
        QVERIFY(pdfFile.readAll().startsWith("%PDF-"));
        QCOMPARE(pdfPageSize(pdf), QSizeF(480, 360));  // 640 x 480 px at 96 dpi: 6.67 x 5 in, in points
        // The same pixels at 192 dpi: half as large on paper.
        QCOMPARE(strip.exportImage(pdf, 640, 480, 192), QString());
        QCOMPARE(pdfPageSize(pdf), QSizeF(240, 180));

        QVERIFY(!strip.exportImage(dir.filePath("no/such/folder/strip.png"), 640, 480).isEmpty());
        QVERIFY(!strip.exportImage(dir.filePath("no/such/folder/strip.pdf"), 640, 480).isEmpty());
        QVERIFY(strip.exportImage(dir.filePath("strip.bmp"), 640, 480).contains("bmp"));
        QVERIFY(!QFile::exists(dir.filePath("strip.bmp")));
    }

    void writesFiguresForReview() {
        const QString out = qEnvironmentVariable("SSMLENS_FIGURE_DIR");
        if (out.isEmpty()) QSKIP("set SSMLENS_FIGURE_DIR to write the figures");
        TokenStrip strip;
        strip.setTrace(makeTrace(), kLabels);
        strip.selectToken(2);
        QCOMPARE(strip.exportImage(out + "/strip_anchor.png", 900, 560), QString());
        // The SVG drawn back into a PNG, to compare with the direct one.
        QCOMPARE(strip.exportImage(out + "/strip_anchor.svg", 900, 560), QString());
        QSvgRenderer renderer(out + "/strip_anchor.svg");
        QImage fromSvg(900, 560, QImage::Format_ARGB32);
        fromSvg.fill(Qt::white);
        QPainter painter(&fromSvg);
        renderer.render(&painter);
        painter.end();
        QVERIFY(fromSvg.save(out + "/strip_anchor_from_svg.png"));
        strip.setLayer(2);
        QCOMPARE(strip.exportImage(out + "/strip_plain_layer.png", 900, 560), QString());
        QStringList labels;
        TokenStrip longStrip;
        longStrip.setTrace(makeLongTrace(300, labels), labels);
        QCOMPARE(longStrip.exportImage(out + "/strip_long.png", 1000, longStrip.contentHeight(1000)), QString());
        longStrip.resize(700, 500);
        longStrip.show();
        QVERIFY(QTest::qWaitForWindowExposed(&longStrip));
        QVERIFY(longStrip.grab().save(out + "/strip_screen.png"));
    }
};

QTEST_MAIN(TestTokenStrip)
#include "test_widget_token_strip.moc"
