// PromptTokenChips: the chips of a prompt's tokens, wrapping to the width (heightForWidth, in a layout and
// in a scroll area), visible spaces, newlines and control tokens, tooltips, clicks, clear(), mismatched
// inputs and painting. With SSMLENS_FIGURE_DIR set, also writes prompt_token_chips.png there for a look by eye.
#include <QImage>
#include <QScrollArea>
#include <QSignalSpy>
#include <QVBoxLayout>
#include <QtTest/QtTest>
#include <set>

#include "widgets/PromptTokenChips.h"

using namespace ssmlens;

namespace {

const QStringList kLabels{"The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", ".",
                          "\n", "It", " ran", "  ", "\t", "<end of text>", ""};

std::vector<int64_t> idsFor(int n) {
    std::vector<int64_t> ids;
    for (int i = 0; i < n; ++i) ids.push_back(1000 + 7 * i);
    return ids;
}

std::vector<std::pair<int, int>> offsetsFor(const QStringList& labels) {
    std::vector<std::pair<int, int>> offsets;
    int at = 0;
    for (const QString& l : labels) {
        offsets.push_back({at, at + int(l.size())});
        at += int(l.size());
    }
    return offsets;
}

bool overlaps(const PromptTokenChips& w) {
    for (int i = 0; i < w.tokenCount(); ++i)
        for (int j = i + 1; j < w.tokenCount(); ++j)
            if (w.chipRect(i).intersects(w.chipRect(j))) return true;
    return false;
}

int rows(const PromptTokenChips& w) {
    std::set<int> tops;
    for (int i = 0; i < w.tokenCount(); ++i) tops.insert(w.chipRect(i).top());
    return int(tops.size());
}

int distinctColours(const QImage& image) {
    std::set<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) colours.insert(image.pixel(x, y));
    return int(colours.size());
}

}  // namespace

class TestPromptTokenChips : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chipsFlowAndWrap() {
        PromptTokenChips w;
        w.resize(900, 200);
        w.setTokens(idsFor(kLabels.size()), kLabels, offsetsFor(kLabels));
        QCOMPARE(w.tokenCount(), int(kLabels.size()));
        QVERIFY(w.hasHeightForWidth());
        QVERIFY(!overlaps(w));
        for (int i = 0; i < w.tokenCount(); ++i) QVERIFY(!w.chipRect(i).isEmpty());
        QVERIFY(w.chipRect(0).left() < w.chipRect(1).left());  // left to right
        QVERIFY(w.chipRect(-1).isEmpty());
        QVERIFY(w.chipRect(w.tokenCount()).isEmpty());
        const int wideRows = rows(w), wideHeight = w.heightForWidth(900);

        w.resize(160, 200);
        QVERIFY(!overlaps(w));
        QVERIFY2(rows(w) > wideRows, qPrintable(QStringLiteral("%1 vs %2").arg(rows(w)).arg(wideRows)));
        QVERIFY(w.heightForWidth(160) > wideHeight);
        for (int i = 0; i < w.tokenCount(); ++i) {
            QVERIFY(w.chipRect(i).right() < 160);
            QVERIFY(w.chipRect(i).bottom() < w.heightForWidth(160));
        }
        QCOMPARE(w.sizeHint().height(), w.heightForWidth(w.sizeHint().width()));
    }

    void growsInLayoutAndScrollArea() {
        QWidget host;
        auto* layout = new QVBoxLayout(&host);
        auto* chips = new PromptTokenChips;
        layout->addWidget(chips);
        layout->addStretch();
        host.resize(200, 600);
        host.show();
        QVERIFY(QTest::qWaitForWindowExposed(&host));
        chips->setTokens(idsFor(kLabels.size()), kLabels);
        QTRY_VERIFY(chips->height() >= chips->heightForWidth(chips->width()));

        QScrollArea scroll;
        scroll.setWidgetResizable(true);
        auto* inner = new PromptTokenChips;
        QStringList many;
        for (int i = 0; i < 300; ++i) many << QStringLiteral(" word%1").arg(i);
        inner->setTokens(idsFor(many.size()), many);
        scroll.setWidget(inner);
        scroll.resize(300, 150);
        scroll.show();
        QVERIFY(QTest::qWaitForWindowExposed(&scroll));
        QTRY_VERIFY(inner->height() >= inner->heightForWidth(inner->width()));
        QVERIFY(inner->height() > scroll.viewport()->height());
        QVERIFY(inner->width() <= scroll.viewport()->width());
    }

    void visibleTextAndControlTokens() {
        QCOMPARE(PromptTokenChips::visiblePiece(" quick"), QString::fromUtf8("␣quick"));
        QCOMPARE(PromptTokenChips::visiblePiece("\n"), QString::fromUtf8("↵"));
        QCOMPARE(PromptTokenChips::visiblePiece("\r\n\t"), QString::fromUtf8("↵⇥"));
        QVERIFY(PromptTokenChips::isControlPiece(""));
        QVERIFY(PromptTokenChips::isControlPiece("<end of text>"));
        QVERIFY(PromptTokenChips::isControlPiece("<|endoftext|>"));
        QVERIFY(PromptTokenChips::isControlPiece("</s>"));
        QVERIFY(!PromptTokenChips::isControlPiece("<"));
        QVERIFY(!PromptTokenChips::isControlPiece(" <b"));
        QCOMPARE(PromptTokenChips::visiblePiece("<end of text>"), QString("<end of text>"));
    }

    void toolTips() {
        PromptTokenChips w;
        const auto ids = idsFor(kLabels.size());
        w.setTokens(ids, kLabels, offsetsFor(kLabels));
        QCOMPARE(w.toolTipFor(1), QString::fromUtf8("token 1: id 1007, “␣quick”, characters 3–9"));
        QCOMPARE(w.toolTipFor(16), QString::fromUtf8("token 16: id 1112, “<id 1112>”, characters 67–67"));
        QVERIFY(w.toolTipFor(-1).isEmpty());
        QVERIFY(w.toolTipFor(w.tokenCount()).isEmpty());
        w.setTokens(ids, kLabels);  // no offsets: no span
        QCOMPARE(w.toolTipFor(3), QString::fromUtf8("token 3: id 1021, “␣fox”"));
    }

    void clickEmitsTokenClicked() {
        PromptTokenChips w;
        w.resize(400, 200);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.setTokens(idsFor(kLabels.size()), kLabels);
        QSignalSpy spy(&w, &PromptTokenChips::tokenClicked);
        for (int i : {0, 5, 15}) {
            QTest::mouseClick(&w, Qt::LeftButton, Qt::NoModifier, w.chipRect(i).center());
            QCOMPARE(spy.count(), 1);
            QCOMPARE(spy.takeFirst().at(0).toInt(), i);
            QCOMPARE(w.highlightedToken(), i);
        }
        // Between chips and below them: nothing.
        QTest::mouseClick(&w, Qt::LeftButton, Qt::NoModifier, QPoint(w.chipRect(0).right() + 2, w.chipRect(0).center().y()));
        QTest::mouseClick(&w, Qt::LeftButton, Qt::NoModifier, QPoint(5, 195));
        QCOMPARE(spy.count(), 0);
        // Programmatic highlighting emits nothing and ignores out-of-range positions.
        w.setHighlightedToken(3);
        QCOMPARE(w.highlightedToken(), 3);
        w.setHighlightedToken(999);
        QCOMPARE(w.highlightedToken(), -1);
        QCOMPARE(spy.count(), 0);
    }

    void clearAndMismatchedInputs() {
        PromptTokenChips w;
        w.resize(300, 100);
        w.setTokens(idsFor(5), kLabels, offsetsFor(kLabels));  // extra labels and offsets are ignored
        QCOMPARE(w.tokenCount(), 5);
        QVERIFY(w.chipRect(5).isEmpty());
        w.setHighlightedToken(4);
        w.setTokens(idsFor(4), {"a", "b"});  // missing labels: the ids stand in
        QCOMPARE(w.tokenCount(), 4);
        QCOMPARE(w.highlightedToken(), -1);
        QCOMPARE(w.toolTipFor(3), QString::fromUtf8("token 3: id 1021, “1021”"));
        QVERIFY(!overlaps(w));
        w.setTokens(idsFor(3), {}, {{0, 1}});  // fewer offsets than ids
        QVERIFY(w.toolTipFor(0).contains("characters"));
        QVERIFY(!w.toolTipFor(1).contains("characters"));
        QVERIFY(!w.grab().isNull());

        const int emptyHeight = [] { PromptTokenChips e; return e.heightForWidth(300); }();
        w.clear();
        QCOMPARE(w.tokenCount(), 0);
        QVERIFY(w.chipRect(0).isEmpty());
        QCOMPARE(w.heightForWidth(300), emptyHeight);
        w.setTokens({}, kLabels);
        QCOMPARE(w.tokenCount(), 0);
        QVERIFY(!w.grab().isNull());
    }

    void paintsSomething() {
        PromptTokenChips w;
        QStringList labels = kLabels;
        for (int i = 0; i < 30; ++i) labels << QStringLiteral(" token") << QStringLiteral("ization");
        labels << QStringLiteral(" antidisestablishmentarianism");
        w.setTokens(idsFor(labels.size()), labels, offsetsFor(labels));
        w.setHighlightedToken(4);
        w.resize(520, w.heightForWidth(520));
        const QImage image = w.grab().toImage();
        QVERIFY(!image.isNull());
        QVERIFY2(distinctColours(image) > 20, qPrintable(QString::number(distinctColours(image))));
        // The chips alternate in shade: the centre-left of chip 0 and chip 1 differ.
        const QRect a = w.chipRect(0), b = w.chipRect(1);
        QVERIFY(image.pixel(a.left() + 3, a.bottom() - 3) != image.pixel(b.left() + 3, b.bottom() - 3));

        const QString dir = qEnvironmentVariable("SSMLENS_FIGURE_DIR");
        if (!dir.isEmpty()) QVERIFY(image.save(dir + "/prompt_token_chips.png"));
    }
};

QTEST_MAIN(TestPromptTokenChips)
#include "test_widget_prompt_token_chips.moc"
