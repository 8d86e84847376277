// readablePieceLabels: byte-fallback pieces ("<0xE4>") joined into the characters they form, each token
// labelled with its character and which of its bytes it holds; ordinary pieces untouched.
#include <QtTest/QtTest>

#include "core/text/PieceLabels.h"

using namespace ssmlens;

namespace {

std::vector<std::string> labels(const std::vector<std::string>& pieces) { return readablePieceLabels(pieces); }

}  // namespace

class TestPieceLabels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ordinaryPiecesStayAsTheyAre() {
        const std::vector<std::string> pieces{"The", " quick", "\n", " ", "<|endoftext|>", "<0x", "x0A>"};
        QCOMPARE(labels(pieces), pieces);
    }

    void sentencepieceByteFallbackFormsCharacters() {
        // 你好 (E4 BD A0, E5 A5 BD) as six byte-fallback tokens after a word.
        const std::vector<std::string> pieces{" say", "<0xE4>", "<0xBD>", "<0xA0>", "<0xE5>", "<0xA5>", "<0xBD>"};
        const std::vector<std::string> expected{" say", "你 1/3", "你 2/3", "你 3/3", "好 1/3", "好 2/3", "好 3/3"};
        QCOMPARE(labels(pieces), expected);
        // All three bytes in one piece: the character alone.
        QCOMPARE(labels({"<0xE4><0xBD><0xA0>"}), std::vector<std::string>{"你"});
    }

    void byteLevelPiecesSplitInsideACharacter() {
        // A byte-level BPE token can hold text and the first bytes of the next character (€ is E2 82 AC).
        const std::vector<std::string> pieces{"ab<0xE2><0x82>", "<0xAC>c"};
        const std::vector<std::string> expected{"ab€ 1–2/3", "€c 3/3"};
        QCOMPARE(labels(pieces), expected);
    }

    void bytesThatFormNoCharacterStayBytes() {
        // A lone continuation byte and a truncated sequence at the end: nothing to join them into.
        QCOMPARE(labels({"<0xBD>", "x", "<0xE4>"}), (std::vector<std::string>{"<0xBD>", "x", "<0xE4>"}));
        QCOMPARE(labels({}), std::vector<std::string>{});
    }
};

QTEST_APPLESS_MAIN(TestPieceLabels)
#include "test_text_piece_labels.moc"
