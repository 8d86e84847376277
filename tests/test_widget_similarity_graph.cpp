// SimilarityGraph: the A/B columns and their order, the edges (merges, best matches, similar pairs, each pair
// once), the minimum-cosine filter through the API and the controls, the placeholder at non-anchor layers,
// clicks on nodes, the hover text, and the export to PNG, PDF and SVG. With SSMLENS_FIGURE_DIR set, also
// writes the figures there for a look by eye.
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <cmath>

#include "widgets/SimilarityGraph.h"
#include "widgets/TokenStrip.h"

using namespace ssmlens;
using Kind = SimilarityGraph::EdgeKind;

namespace {

const QStringList kLabels{"The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", ".", " It", " slept"};

// Twelve tokens, four layers; anchors at 1 and 3.
// Layer 1: A = {0, 2, 5, 6, 9}, B = {1, 3, 4, 7, 8, 10, 11}. 0 merges into 1 (cosine 0.92), 2 into 3 (0.81),
// 6 is pruned (best match 8, 0.77); 5 and 9 stay (matches 4 at 0.40, 11 at 0.30). Similar pairs: (0,1) again,
// and five more: (1,3) 0.60, (5,6) 0.55, (2,4) 0.20, (7,8) 0.70, (4,10) 0.65. So 10 edges: 2 merges,
// 3 best matches, 5 similar pairs.
// Layer 3: 9 tokens left; A = {5, 7, 9}, 9 is pruned; no pairs.
TokenTrace makeTrace() {
    const float nan = std::nanf("");
    const int L = 12;
    TokenTrace t;
    t.length = L;
    for (int l = 0; l < 4; ++l) {
        LayerTrace lt;
        lt.layer = l;
        lt.anchor = l == 1 || l == 3;
        lt.importance.assign(L, 1.0f);
        lt.fate.assign(L, 0);
        lt.destination.assign(L, -1);
        lt.mergedFraction.assign(L, nan);
        lt.inB.assign(L, -1);
        lt.match.assign(L, -1);
        lt.matchCosine.assign(L, nan);
        if (l >= 2)
            for (int p : {0, 2, 6}) lt.fate[p] = -1, lt.importance[p] = nan;
        if (l == 1) {
            for (int p : {1, 3, 4, 7, 8, 10, 11}) lt.inB[p] = 1;
            for (int p : {0, 2, 5, 6, 9}) lt.inB[p] = 0;
            auto match = [&](int a, int b, float c) { lt.match[a] = b, lt.matchCosine[a] = c; };
            match(0, 1, 0.92f), match(2, 3, 0.81f), match(5, 4, 0.40f), match(6, 8, 0.77f), match(9, 11, 0.30f);
            lt.fate[0] = 1, lt.destination[0] = 1;
            lt.fate[2] = 1, lt.destination[2] = 3;
            lt.fate[6] = 2;
            lt.similarPairs = {{0, 1, 0.92f}, {1, 3, 0.60f}, {5, 6, 0.55f}, {2, 4, 0.20f}, {7, 8, 0.70f}, {4, 10, 0.65f}};
        }
        if (l == 3) {
            for (int p : {1, 3, 4, 8, 10, 11}) lt.inB[p] = 1;
            for (int p : {5, 7, 9}) lt.inB[p] = 0;
            lt.match[5] = 4, lt.matchCosine[5] = 0.3f;
            lt.match[7] = 8, lt.matchCosine[7] = 0.2f;
            lt.match[9] = 11, lt.matchCosine[9] = 0.5f;
            lt.fate[9] = 2;
        }
        lt.tokensIn = l < 2 ? 12 : 9;
        lt.tokensOut = l == 1 ? 9 : l == 3 ? 8 : lt.tokensIn;
        t.layers.push_back(lt);
    }
    return t;
}

// A long prompt at one anchor: alternate positions, each A token matched to its right neighbour, every fourth
// merged, plus pairs between neighbours of B.
TokenTrace makeLongTrace(int L, QStringList& labels) {
    TokenTrace t;
    t.length = L;
    LayerTrace lt;
    lt.anchor = true;
    lt.keepRatio = 0.875;
    lt.tokensIn = L;
    lt.tokensOut = L - (L + 7) / 8;
    lt.importance.assign(L, 1.0f);
    lt.fate.assign(L, 0);
    lt.destination.assign(L, -1);
    lt.mergedFraction.assign(L, std::nanf(""));
    lt.inB.assign(L, -1);
    lt.match.assign(L, -1);
    lt.matchCosine.assign(L, std::nanf(""));
    labels.clear();
    for (int p = 0; p < L; ++p) {
        lt.inB[p] = p % 2;
        labels << QString(" tok%1").arg(p);
        if (p % 2 == 0 && p + 1 < L) {
            lt.match[p] = p + 1;
            lt.matchCosine[p] = 0.3f + 0.6f * float((p * 37) % 100) / 100.0f;
            if (p % 8 == 0) lt.fate[p] = 1, lt.destination[p] = p + 1;
        }
        if (p % 2 == 1 && p + 2 < L) lt.similarPairs.push_back({p, p + 2, 0.2f + 0.7f * float((p * 53) % 100) / 100.0f});
    }
    t.layers.push_back(lt);
    return t;
}

const SimilarityGraph::Edge* findEdge(const SimilarityGraph& g, int a, int b) {
    for (const auto& e : g.edges())
        if ((e.a == a && e.b == b) || (e.a == b && e.b == a)) return &e;
    return nullptr;
}

}  // namespace

class TestSimilarityGraph : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void nodesInTwoColumnsInPromptOrder() {
        SimilarityGraph graph;
        graph.resize(800, 700);
        graph.show();
        QVERIFY(QTest::qWaitForWindowExposed(&graph));
        graph.setTrace(makeTrace(), kLabels);
        QCOMPARE(graph.layer(), 1);
        QVERIFY(graph.hasGraph());
        QVERIFY(graph.placeholderText().isEmpty());
        QCOMPARE(graph.nodeCount(), 12);
        const QList<int> a{0, 2, 5, 6, 9}, b{1, 3, 4, 7, 8, 10, 11};
        for (int p : a) QCOMPARE(graph.nodeSet(p), 0);
        for (int p : b) QCOMPARE(graph.nodeSet(p), 1);
        const double xA = graph.nodePosition(0).x(), xB = graph.nodePosition(1).x();
        QVERIFY(xA + 100 < xB);
        for (int i = 0; i < a.size(); ++i) {
            QCOMPARE(graph.nodePosition(a[i]).x(), xA);
            if (i > 0) QVERIFY(graph.nodePosition(a[i]).y() > graph.nodePosition(a[i - 1]).y());
        }
        for (int i = 0; i < b.size(); ++i) {
            QCOMPARE(graph.nodePosition(b[i]).x(), xB);
            if (i > 0) QVERIFY(graph.nodePosition(b[i]).y() > graph.nodePosition(b[i - 1]).y());
        }
        QVERIFY(graph.nodePosition(12).isNull());

        graph.setLayer(3);
        QCOMPARE(graph.nodeCount(), 9);
        QCOMPARE(graph.nodeSet(0), -1);  // merged at layer 1: not a node any more
        QVERIFY(graph.nodePosition(0).isNull());
    }

    void edgesOfEachKindOnce() {
        SimilarityGraph graph;
        graph.setTrace(makeTrace(), kLabels);
        QCOMPARE(int(graph.edges().size()), 10);
        QCOMPARE(graph.visibleEdgeCount(Kind::Merge), 2);
        QCOMPARE(graph.visibleEdgeCount(Kind::BestMatch), 3);
        QCOMPARE(graph.visibleEdgeCount(Kind::SimilarPair), 5);
        const auto* merge = findEdge(graph, 0, 1);  // also a similar pair and a best match: drawn as the merge
        QVERIFY(merge);
        QCOMPARE(merge->kind, Kind::Merge);
        QCOMPARE(merge->a, 0);
        QCOMPARE(merge->b, 1);
        QCOMPARE(merge->cosine, 0.92f);
        QCOMPARE(findEdge(graph, 6, 8)->kind, Kind::BestMatch);
        QCOMPARE(findEdge(graph, 5, 6)->kind, Kind::SimilarPair);  // within A
        QCOMPARE(findEdge(graph, 7, 8)->kind, Kind::SimilarPair);  // within B
        QVERIFY(!findEdge(graph, 0, 3));
    }

    void thresholdHidesWeakEdges() {
        SimilarityGraph graph;
        graph.setTrace(makeTrace(), kLabels);
        QSignalSpy changed(&graph, &SimilarityGraph::thresholdChanged);
        QCOMPARE(graph.visibleEdgeCount(), 10);
        graph.setThreshold(0.5);
        QCOMPARE(graph.visibleEdgeCount(), 7);  // 2 merges, (6,8), (1,3), (5,6), (7,8), (4,10)
        QCOMPARE(graph.thresholdBox()->value(), 0.5);
        QCOMPARE(graph.thresholdSlider()->value(), 50);
        graph.setThreshold(0.8);
        QCOMPARE(graph.visibleEdgeCount(), 2);  // the merges always stay
        QCOMPARE(graph.visibleEdgeCount(Kind::Merge), 2);
        QCOMPARE(changed.count(), 0);  // programmatic

        // The controls: the slider and the box drive the same filter and report it.
        graph.thresholdSlider()->setValue(65);
        QCOMPARE(graph.threshold(), 0.65);
        QCOMPARE(graph.visibleEdgeCount(), 5);  // 2 merges, (6,8) 0.77, (7,8) 0.70, (4,10) 0.65
        QCOMPARE(graph.thresholdBox()->value(), 0.65);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toDouble(), 0.65);
        graph.thresholdBox()->setValue(-1.0);
        QCOMPARE(graph.visibleEdgeCount(), 10);
        QCOMPARE(graph.thresholdSlider()->value(), 0);
        graph.setThreshold(5.0);  // clamped
        QCOMPARE(graph.threshold(), 1.0);
    }

    void nonAnchorLayersShowAPlaceholder() {
        SimilarityGraph graph;
        graph.setTrace(makeTrace(), kLabels);
        graph.setLayer(2);
        QVERIFY(!graph.hasGraph());
        QCOMPARE(graph.nodeCount(), 0);
        QCOMPARE(graph.visibleEdgeCount(), 0);
        const QString text = graph.placeholderText();
        QVERIFY2(text.contains("Layer 2 does not reduce tokens") && text.contains("Anchor layers: 1, 3"), qPrintable(text));
        graph.clear();
        QVERIFY(graph.placeholderText().contains("No trace"));
    }

    void clickSelectsANode() {
        SimilarityGraph graph;
        graph.resize(800, 700);
        graph.show();
        QVERIFY(QTest::qWaitForWindowExposed(&graph));
        graph.setTrace(makeTrace(), kLabels);
        QSignalSpy spy(&graph, &SimilarityGraph::tokenSelected);
        QTest::mouseClick(graph.canvas(), Qt::LeftButton, Qt::NoModifier, graph.nodePosition(6).toPoint());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toInt(), 6);
        QCOMPARE(graph.selectedToken(), 6);
        QTest::mouseClick(graph.canvas(), Qt::LeftButton, Qt::NoModifier, graph.nodePosition(11).toPoint());
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.at(1).at(0).toInt(), 11);
        // Empty space between the columns clears the selection without a signal.
        const QPoint middle(int((graph.nodePosition(0).x() + graph.nodePosition(1).x()) / 2), 5);
        QTest::mouseClick(graph.canvas(), Qt::LeftButton, Qt::NoModifier, middle);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(graph.selectedToken(), -1);
    }

    void hoverTextNamesTokensAndCosines() {
        SimilarityGraph graph;
        graph.setTrace(makeTrace(), kLabels);
        const QString pruned = graph.describeToken(6);
        QVERIFY2(pruned.contains("pruned") && pruned.contains("set A") && pruned.contains("cosine 0.770") &&
                     pruned.contains("\"the\""), qPrintable(pruned));
        QVERIFY(graph.describeToken(1).contains("set B"));
        const QString edge = graph.describeEdge(*findEdge(graph, 0, 1));
        QVERIFY2(edge.contains("merged") && edge.contains("cosine 0.920"), qPrintable(edge));
        QVERIFY(graph.describeToken(40).isEmpty());
    }

    void staysOrderlyForLongPrompts() {
        QStringList labels;
        SimilarityGraph graph;
        graph.resize(700, 500);
        graph.show();
        QVERIFY(QTest::qWaitForWindowExposed(&graph));
        graph.setTrace(makeLongTrace(300, labels), labels);
        QCOMPARE(graph.nodeCount(), 300);
        // Rows never overlap: consecutive nodes of a column are at least a text line apart.
        const double line = QFontMetricsF(graph.font()).height();
        for (int p = 2; p < 300; ++p) QVERIFY(graph.nodePosition(p).y() - graph.nodePosition(p - 2).y() >= line);
        QVERIFY(graph.canvas()->height() >= graph.nodePosition(299).y());
        const int all = graph.visibleEdgeCount();
        graph.setThreshold(0.8);
        QVERIFY(graph.visibleEdgeCount() < all / 2);
        QVERIFY(graph.visibleEdgeCount() >= graph.visibleEdgeCount(Kind::Merge));
    }

    void exportsPngPdfSvg() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        SimilarityGraph graph;
        graph.setTrace(makeTrace(), kLabels);

        const QString png = dir.filePath("graph.png");
        QCOMPARE(graph.exportImage(png, 800, 600), QString());
        const QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(800, 600));
        bool red = false;  // the pruned node
        for (int y = 0; y < image.height() && !red; ++y)
            for (int x = 0; x < image.width() && !red; ++x) red = image.pixelColor(x, y) == QColor(230, 30, 30);
        QVERIFY(red);
        QCOMPARE(QImage(png).dotsPerMeterX(), 3780);
        const QString print = dir.filePath("graph300.png");
        QCOMPARE(graph.exportImage(print, 1050, 800, 300), QString());  // 3.5 in wide at 300 dpi
        QCOMPARE(QImage(print).size(), QSize(1050, 800));
        QCOMPARE(QImage(print).dotsPerMeterX(), 11811);

        const QString svg = dir.filePath("graph.svg");
        QCOMPARE(graph.exportImage(svg, 800, 600), QString());
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        const QByteArray svgText = svgFile.readAll();
        QVERIFY(svgText.contains("<svg") && svgText.contains("</svg>"));

        const QString pdf = dir.filePath("graph.pdf");
        QCOMPARE(graph.exportImage(pdf, 800, 600), QString());
        QFile pdfFile(pdf);
        QVERIFY(pdfFile.open(QIODevice::ReadOnly));
        QVERIFY(pdfFile.read(5) == "%PDF-");
        QVERIFY(pdfFile.size() > 500);

        QVERIFY(!graph.exportImage(dir.filePath("missing/graph.svg"), 800, 600).isEmpty());
        QVERIFY(graph.exportImage(dir.filePath("graph.jpeg"), 800, 600).contains("jpeg"));
        graph.setLayer(2);  // the placeholder exports too
        QCOMPARE(graph.exportImage(png, 800, 300), QString());
    }

    void writesFiguresForReview() {
        const QString out = qEnvironmentVariable("SSMLENS_FIGURE_DIR");
        if (out.isEmpty()) QSKIP("set SSMLENS_FIGURE_DIR to write the figures");
        SimilarityGraph graph;
        graph.setTrace(makeTrace(), kLabels);
        QCOMPARE(graph.exportImage(out + "/graph_anchor.png", 900, graph.contentHeight(900)), QString());
        graph.selectToken(6);
        graph.setThreshold(0.5);
        QCOMPARE(graph.exportImage(out + "/graph_selected.png", 900, graph.contentHeight(900)), QString());
        graph.setLayer(2);
        QCOMPARE(graph.exportImage(out + "/graph_placeholder.png", 900, graph.contentHeight(900)), QString());
        QStringList labels;
        SimilarityGraph big;
        big.setTrace(makeLongTrace(300, labels), labels);
        big.setThreshold(0.75);
        QCOMPARE(big.exportImage(out + "/graph_long.png", 900, big.contentHeight(900)), QString());
        big.resize(800, 600);
        big.show();
        QVERIFY(QTest::qWaitForWindowExposed(&big));
        QVERIFY(big.grab().save(out + "/graph_screen.png"));
    }
};

QTEST_MAIN(TestSimilarityGraph)
#include "test_widget_similarity_graph.moc"
