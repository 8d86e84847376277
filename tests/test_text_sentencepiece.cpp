// SentencePieceTokenizer: trains a small model on a generated English corpus (through the module's
// train function), then checks round trips, offsets, byte fallback, and errors for files that are
// not models.
#include "core/Error.h"
#include "core/text/SentencePieceTokenizer.h"
#include "core/text/Tokenizer.h"
#include "core/text/Utf8.h"
#include "ErrorCapture.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <fstream>

using namespace ssmlens;
using testing::errorOf;

namespace {

// A few hundred plain English sentences from small word lists (ASCII only, so that the characters
// of the byte-fallback test are unknown to the model).
std::string englishCorpus() {
    const char* subjects[] = {"The cat", "A young farmer", "My neighbour", "The old river", "Every student",
                              "The small robot", "Our teacher", "The quiet town", "A tired runner"};
    const char* verbs[] = {"watched", "found", "carried", "painted", "remembered", "followed", "opened"};
    const char* objects[] = {"the red door", "a bright lantern", "seven apples", "the long letter",
                             "an empty garden", "the morning train", "a wooden boat", "their first map"};
    const char* endings[] = {"before dinner.", "in the rain.", "with great care.", "after school.",
                             "near the station.", "without a word."};
    std::string corpus;
    int n = 0;
    for (const char* s : subjects)
        for (const char* v : verbs)
            for (const char* o : objects)
                corpus += std::string(s) + " " + v + " " + o + " " + endings[n++ % 6] + "\n";
    return corpus;
}

}  // namespace

class TestSentencePiece : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::string modelPath_;
    std::unique_ptr<SentencePieceTokenizer> tok_;

    // A build without libsentencepiece (SSMLENS_SENTENCEPIECE=OFF, or not found): every entry point throws an
    // ssmlens::Error that says so, and a missing file is still reported as missing.
    void checkBuiltWithoutSentencePiece() {
        const std::string notes = dir_.filePath("notes.model").toStdString();
        std::ofstream(notes) << "not a tokenizer.json\n";
        for (const std::string& message :
             {errorOf([] { SentencePieceTokenizer::train("--input=x --model_prefix=y"); }),
              errorOf([&] { SentencePieceTokenizer::fromFile(notes); }), errorOf([&] { loadTokenizer(notes); })})
            QVERIFY2(message.find("built without sentencepiece") != std::string::npos, message.c_str());
        const std::string missing = dir_.filePath("nope.model").toStdString();
        const std::string message = errorOf([&] { SentencePieceTokenizer::fromFile(missing); });
        QVERIFY2(message.find("not found") != std::string::npos, message.c_str());
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        if (errorOf([] { SentencePieceTokenizer::fromBytes("x", "probe"); }).find("built without sentencepiece") !=
            std::string::npos) {
            checkBuiltWithoutSentencePiece();
            if (QTest::currentTestFailed()) return;
            QSKIP("built without sentencepiece: only its errors were checked");
        }
        const std::string corpus = dir_.filePath("corpus.txt").toStdString();
        std::ofstream(corpus) << englishCorpus();
        // Byte fallback adds 256 <0xXX> pieces, so the vocabulary cannot be much smaller than ~300.
        SentencePieceTokenizer::train("--input=" + corpus + " --model_prefix=" +
                                      dir_.filePath("tiny").toStdString() +
                                      " --vocab_size=400 --hard_vocab_limit=false --model_type=unigram"
                                      " --byte_fallback=true --character_coverage=1.0 --minloglevel=2");
        modelPath_ = dir_.filePath("tiny.model").toStdString();
        tok_ = SentencePieceTokenizer::fromFile(modelPath_);
    }

    void basics() {
        QCOMPARE(tok_->kind(), std::string("sentencepiece"));
        QVERIFY(tok_->vocabSize() > 259 && tok_->vocabSize() <= 400);
        QCOMPARE(tok_->eosId(), int64_t(2));  // sentencepiece's default: <unk> 0, <s> 1, </s> 2
        QCOMPARE(tok_->idToPiece(2), std::string("</s>"));
        QCOMPARE(tok_->idToPiece(tok_->vocabSize()), std::string());
    }

    void roundTrips_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("seen") << "The cat watched the red door before dinner.";
        QTest::newRow("unseen words") << "A robot opened seven lanterns quickly.";
        QTest::newRow("unknown characters") << QString::fromUtf8("Café ☃ 你好 🙂!");
        QTest::newRow("empty") << "";
    }
    void roundTrips() {
        QFETCH(QString, text);
        const std::string utf8 = text.toStdString();
        const Encoding e = tok_->encode(utf8);
        QCOMPARE(tok_->decode(e.ids), utf8);
        QCOMPARE(e.pieces.size(), e.ids.size());
        QCOMPARE(e.offsets.size(), e.ids.size());
    }

    // Each word piece's span holds the piece's text; spans go left to right and stay in the input.
    void offsetsMatchPieces() {
        const std::string text = "Our teacher followed the morning train after school.";
        const Encoding e = tok_->encode(text);
        const QString q = QString::fromStdString(text);
        int64_t previousEnd = 0;
        for (size_t i = 0; i < e.ids.size(); ++i) {
            const auto [start, end] = e.offsets[i];
            QVERIFY(start >= previousEnd && start <= end && end <= q.size());
            previousEnd = end;
            const QString covered = q.mid(start, end - start);
            const QString piece = QString::fromStdString(e.pieces[i]);
            QVERIFY2(piece.trimmed() == covered.trimmed(),
                     qPrintable(QStringLiteral("piece \"%1\" covers \"%2\"").arg(piece, covered)));
        }
        QCOMPARE(previousEnd, int64_t(q.size()));
    }

    void byteFallbackForUnknownCharacters() {
        const std::string snowman = "\xE2\x98\x83";  // ☃, never seen in training
        const Encoding e = tok_->encode("a" + snowman);
        std::vector<std::string> bytePieces;
        std::vector<std::pair<int64_t, int64_t>> byteSpans;
        for (size_t i = 0; i < e.ids.size(); ++i) {
            if (e.pieces[i].rfind("<0x", 0) == 0) {
                bytePieces.push_back(e.pieces[i]);
                byteSpans.push_back(e.offsets[i]);
                QCOMPARE(tok_->idToPiece(e.ids[i]), e.pieces[i]);
            }
        }
        QCOMPARE(bytePieces, (std::vector<std::string>{"<0xE2>", "<0x98>", "<0x83>"}));
        // sentencepiece gives the character to the last of its byte pieces; the others are empty.
        QCOMPARE(byteSpans, (std::vector<std::pair<int64_t, int64_t>>{{1, 1}, {1, 1}, {1, 2}}));
        QCOMPARE(tok_->decode(e.ids), "a" + snowman);
    }

    void loaderPicksByContent() {
        const auto tok = loadTokenizer(modelPath_);
        QCOMPARE(tok->kind(), std::string("sentencepiece"));
        const QString modelDir = dir_.filePath("model");
        QVERIFY(QDir().mkpath(modelDir));
        QVERIFY(QFile::copy(QString::fromStdString(modelPath_), modelDir + "/tokenizer.model"));
        const auto fromDir = loadTokenizerFromModelDir(modelDir.toStdString());
        QVERIFY(fromDir);
        QCOMPARE(fromDir->encode("The cat").ids, tok_->encode("The cat").ids);
    }

    void badFiles() {
        const std::string missing = dir_.filePath("nope.model").toStdString();
        std::string message = errorOf([&] { SentencePieceTokenizer::fromFile(missing); });
        QVERIFY2(message.find(missing) != std::string::npos && message.find("not found") != std::string::npos,
                 message.c_str());

        const std::string text = dir_.filePath("notes.model").toStdString();
        std::ofstream(text) << "these are just some notes, not a model\n";
        message = errorOf([&] { SentencePieceTokenizer::fromFile(text); });
        QVERIFY2(message.find(text) != std::string::npos &&
                     message.find("not a sentencepiece model") != std::string::npos,
                 message.c_str());
        message = errorOf([&] { loadTokenizer(text); });
        QVERIFY2(message.find("not a sentencepiece model") != std::string::npos, message.c_str());

        message = errorOf([&] { SentencePieceTokenizer::train("--input=/nonexistent/corpus.txt --model_prefix=x"); });
        QVERIFY2(message.find("training failed") != std::string::npos, message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestSentencePiece)
#include "test_text_sentencepiece.moc"
