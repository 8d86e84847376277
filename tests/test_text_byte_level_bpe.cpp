// ByteLevelBpeTokenizer: a tiny tokenizer.json written here (ids and offsets checked by hand), round
// trips, the real GPT-NeoX-20B tokenizer (when ../shared/data has it), and bad files.
#include "core/Error.h"
#include "core/text/AlignedText.h"
#include "core/text/ByteLevelAlphabet.h"
#include "core/text/ByteLevelBpeTokenizer.h"
#include "core/text/NfcNormalizer.h"
#include "core/text/Tokenizer.h"
#include "core/text/Utf8.h"
#include "ErrorCapture.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace ssmlens;
using testing::errorOf;
using Ids = std::vector<int64_t>;
using Spans = std::vector<std::pair<int64_t, int64_t>>;

namespace {

const QString kNeoxPath = QStringLiteral(SSMLENS_SHARED_DATA "/gpt-neox-20b-tokenizer.json");
// Written by tools/tokenizer_reference.py with the real `tokenizers` library (see that script).
const QString kNeoxReferencePath = QStringLiteral(SSMLENS_SOURCE_DIR "/tests/data/gpt_neox_reference.json");

// Ids 0..255: the 256 single bytes. Then these merges, best first (id = 256 + rank). Then the special
// token <|endoftext|> (266) and a normalized added token "café" (267).
const std::vector<std::pair<std::string, std::string>> kMerges = {
    {"h", "e"}, {"l", "l"}, {"he", "ll"}, {"hell", "o"}, {"Ġ", "w"},
    {"o", "r"}, {"Ġw", "or"}, {"Ġwor", "l"}, {"Ġworl", "d"}, {"Ġ", "Ġ"}};
constexpr int64_t kHello = 259, kSpaceWorld = 264, kTwoSpaces = 265, kEndOfText = 266, kCafe = 267;

std::string tinyTokenizerJson(bool mergesAsPairs) {
    nlohmann::json vocab = nlohmann::json::object();
    for (int b = 0; b < 256; ++b) vocab[byte_level::spell(std::string(1, char(b)))] = b;
    nlohmann::json merges = nlohmann::json::array();
    for (size_t i = 0; i < kMerges.size(); ++i) {
        const auto& [a, b] = kMerges[i];
        vocab[a + b] = 256 + int(i);
        if (mergesAsPairs) merges.push_back({a, b});
        else merges.push_back(a + " " + b);
    }
    nlohmann::json added = nlohmann::json::array();
    added.push_back({{"id", kEndOfText}, {"content", "<|endoftext|>"}, {"special", true}, {"normalized", false},
                     {"single_word", false}, {"lstrip", false}, {"rstrip", false}});
    added.push_back({{"id", kCafe}, {"content", "caf\xC3\xA9"}, {"special", false}, {"normalized", true},
                     {"single_word", false}, {"lstrip", false}, {"rstrip", false}});
    const nlohmann::json byteLevel = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}};
    return nlohmann::json{{"version", "1.0"},
                          {"added_tokens", added},
                          {"normalizer", {{"type", "NFC"}}},
                          {"pre_tokenizer", byteLevel},
                          {"post_processor", byteLevel},
                          {"decoder", byteLevel},
                          {"model", {{"type", "BPE"}, {"dropout", nullptr}, {"unk_token", nullptr},
                                     {"vocab", vocab}, {"merges", merges}}}}
        .dump(1);
}

std::string writeFile(const QTemporaryDir& dir, const QString& name, const std::string& content) {
    const std::string path = dir.filePath(name).toStdString();
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

QString describe(const Encoding& e) {
    QStringList parts;
    for (size_t i = 0; i < e.ids.size(); ++i)
        parts << QStringLiteral("%1 \"%2\" (%3,%4)").arg(e.ids[i]).arg(QString::fromStdString(e.pieces[i]))
                     .arg(e.offsets[i].first).arg(e.offsets[i].second);
    return parts.join(", ");
}

}  // namespace

class TestByteLevelBpe : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::unique_ptr<ByteLevelBpeTokenizer> tiny_;

    void checkEncoding(const Tokenizer& tok, const std::string& text, const Ids& ids, const Spans& spans) {
        const Encoding e = tok.encode(text);
        const QByteArray got = describe(e).toUtf8();
        QVERIFY2(e.ids == ids, got.constData());
        QVERIFY2(e.offsets == spans, got.constData());
        QCOMPARE(e.pieces.size(), e.ids.size());
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        tiny_ = ByteLevelBpeTokenizer::fromFile(writeFile(dir_, "tiny.json", tinyTokenizerJson(false)));
    }

    void alphabetIsGpt2s() {
        QCOMPARE(int(byte_level::charForByte(' ')), 0x120);   // 'Ġ'
        QCOMPARE(int(byte_level::charForByte('\n')), 0x10A);  // 'Ċ'
        QCOMPARE(int(byte_level::charForByte('A')), int('A'));
        QCOMPARE(int(byte_level::charForByte(0xAD)), 0x143);  // the last byte that needs a stand-in
        QCOMPARE(byte_level::byteForChar(0x120), int(' '));
        QCOMPARE(byte_level::spell(" world"), std::string("\xC4\xA0world"));
    }

    void mergesByRank() {
        checkEncoding(*tiny_, "hello world", {kHello, kSpaceWorld}, {{0, 5}, {6, 11}});  // " world": 6..11
        checkEncoding(*tiny_, "hell", {258}, {{0, 4}});           // "he"+"ll" then "he ll"
        checkEncoding(*tiny_, "lll", {257, 'l'}, {{0, 2}, {2, 3}});  // equal ranks: leftmost first
        checkEncoding(*tiny_, "wor", {'w', 261}, {{0, 1}, {1, 3}});  // no "w o" merge
        QCOMPARE(tiny_->encode("hello world").pieces, (std::vector<std::string>{"hello", " world"}));
    }

    void bothMergeFormatsAgree() {
        const auto pairs = ByteLevelBpeTokenizer::fromJson(tinyTokenizerJson(true), "pairs.json");
        for (const char* text : {"hello world", "hell lll wor", "a   b", "x<|endoftext|>y"}) {
            QCOMPARE(pairs->encode(text).ids, tiny_->encode(text).ids);
            QCOMPARE(pairs->encode(text).offsets, tiny_->encode(text).offsets);
        }
    }

    void specialTokenInText() {
        checkEncoding(*tiny_, "hello world<|endoftext|>hello", {kHello, kSpaceWorld, kEndOfText, kHello},
                      {{0, 5}, {6, 11}, {11, 24}, {24, 29}});
        QCOMPARE(tiny_->encode("<|endoftext|>").pieces, std::vector<std::string>{"<|endoftext|>"});
        QCOMPARE(tiny_->eosId(), kEndOfText);
        QCOMPARE(tiny_->vocabSize(), int64_t(268));
    }

    void whitespaceAndTrimOffsets() {
        // "a   b": words "a", "  " (\s+(?!\S) leaves the last space to the next word), " b".
        // Space-only tokens are trimmed to an empty span at their end.
        checkEncoding(*tiny_, "a   b", {'a', kTwoSpaces, ' ', 'b'}, {{0, 1}, {3, 3}, {4, 4}, {4, 5}});
        checkEncoding(*tiny_, "x\ny", {'x', '\n', 'y'}, {{0, 1}, {1, 2}, {2, 3}});
        checkEncoding(*tiny_, "it's", {'i', 't', '\'', 's'}, {{0, 1}, {1, 2}, {2, 3}, {3, 4}});
    }

    void partialUtf8Pieces() {
        // "é" is C3 A9 and there is no merge for it: two tokens, both covering the whole character.
        checkEncoding(*tiny_, "\xC3\xA9", {0xC3, 0xA9}, {{0, 1}, {0, 1}});
        QCOMPARE(tiny_->encode("\xC3\xA9").pieces, (std::vector<std::string>{"<0xC3>", "<0xA9>"}));
        QCOMPARE(tiny_->decode({0xC3, 0xA9}), std::string("\xC3\xA9"));
        QCOMPARE(tiny_->decode({0xC3}), std::string("\xEF\xBF\xBD"));  // U+FFFD for the lone byte
    }

    void invalidUtf8Input() {
        // Input that is not UTF-8 is read with one U+FFFD (EF BF BD) per maximal invalid subpart, as if the
        // text had been decoded lossily first; offsets count those U+FFFD as characters.
        const Ids replacement = {0xEF, 0xBF, 0xBD};
        checkEncoding(*tiny_, "a\xFF" "b", {'a', 0xEF, 0xBF, 0xBD, 'b'}, {{0, 1}, {1, 2}, {1, 2}, {1, 2}, {2, 3}});
        QCOMPARE(tiny_->encode("a\xFF" "b").ids, tiny_->encode("a\xEF\xBF\xBD" "b").ids);
        QCOMPARE(tiny_->decode(tiny_->encode("a\xFF" "b").ids), std::string("a\xEF\xBF\xBD" "b"));
        checkEncoding(*tiny_, "\xE2\x82", replacement, {{0, 1}, {0, 1}, {0, 1}});  // truncated: one U+FFFD
        // A surrogate (ED A0 80) is three invalid bytes: three U+FFFD, one word of other symbols.
        QCOMPARE(tiny_->encode("\xED\xA0\x80" "z").ids, (Ids{0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD, 'z'}));
        QCOMPARE(tiny_->encode("\xED\xA0\x80" "z").offsets.back(), (std::pair<int64_t, int64_t>(3, 4)));
        // A special token right after an invalid byte is still found.
        checkEncoding(*tiny_, "\xC3<|endoftext|>", {0xEF, 0xBF, 0xBD, kEndOfText}, {{0, 1}, {0, 1}, {0, 1}, {1, 14}});
    }

    void singleWordAddedToken() {
        // single_word = true: found only where Rust regex's \w (Alphabetic, marks, Nd, Pc, the joiners) is
        // neither just before nor just after. Expected values from HF tokenizers 0.23.2.
        nlohmann::json j = nlohmann::json::parse(tinyTokenizerJson(false));
        j["added_tokens"].push_back({{"id", 268}, {"content", "tok"}, {"special", true}, {"normalized", false},
                                     {"single_word", true}, {"lstrip", false}, {"rstrip", false}});
        const auto tok = ByteLevelBpeTokenizer::fromJson(j.dump(), "single_word.json");
        checkEncoding(*tok, "a tok!", {'a', ' ', 268, '!'}, {{0, 1}, {2, 2}, {2, 5}, {5, 6}});
        checkEncoding(*tok, "_tok", {'_', 't', 'o', 'k'}, {{0, 1}, {1, 2}, {2, 3}, {3, 4}});
        checkEncoding(*tok, "tok\xCC\xB2", {'t', 'o', 'k', 0xCC, 0xB2}, {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {3, 4}});
        // Numbers other than digits are not \w: "½" and "²" leave the token whole.
        checkEncoding(*tok, "\xC2\xBDtok", {0xC2, 0xBD, 268}, {{0, 1}, {0, 1}, {1, 4}});
        checkEncoding(*tok, "tok\xC2\xB2", {268, 0xC2, 0xB2}, {{0, 3}, {3, 4}, {3, 4}});
        // The zero width joiner and circled letters (Other_Alphabetic) are.
        checkEncoding(*tok, "\xE2\x80\x8Dtok", {0xE2, 0x80, 0x8D, 't', 'o', 'k'},
                      {{0, 1}, {0, 1}, {0, 1}, {1, 2}, {2, 3}, {3, 4}});
        checkEncoding(*tok, "\xE2\x92\xB6tok", {0xE2, 0x92, 0xB6, 't', 'o', 'k'},
                      {{0, 1}, {0, 1}, {0, 1}, {1, 2}, {2, 3}, {3, 4}});
    }

    void normalizedAddedTokenAfterNfc() {
        // "café!" with a precomposed é, and with e + U+0301: NFC makes both match the added token.
        checkEncoding(*tiny_, "caf\xC3\xA9!", {kCafe, '!'}, {{0, 4}, {4, 5}});
        // As in HF, a composed character keeps the span of its first source character only: the
        // combining mark (character 4) is covered by no token.
        checkEncoding(*tiny_, "cafe\xCC\x81!", {kCafe, '!'}, {{0, 4}, {5, 6}});
    }

    void nfcMatchesQt() {
        const char* samples[] = {"cafe\xCC\x81", "e\xCC\x81\xCC\x81", "\xCC\x81start", "\xE2\x84\xAB",  // Å sign
                                 "\xE0\xA5\x98", "\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8",  // QA, jamo
                                 "a\xCC\xA3\xCC\x87 q\xCC\x87\xCC\xA3", "\xEA\xB0\x81 plain"};
        for (const char* s : samples) {
            const std::u32string input = utf8::decodeLossy(s);
            AlignedText t = AlignedText::identity(input, 0, input.size());
            normalizeNfc(t);
            const QString expected = QString::fromUtf8(s).normalized(QString::NormalizationForm_C);
            QCOMPARE(QString::fromStdString(utf8::encode(t.text)), expected);
            QCOMPARE(t.origin.size(), t.text.size());
        }
    }

    void roundTrips_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("ascii") << "The quick brown fox jumps over the lazy dog. It's 42!";
        QTest::newRow("accented") << QString::fromUtf8("Ça va? Déjà vu, naïve façade, Straße, ångström");
        QTest::newRow("cjk") << QString::fromUtf8("你好，世界。日本語のテキスト、한국어");
        QTest::newRow("emoji") << QString::fromUtf8("🙂👍🏽 family: 👨‍👩‍👧 flag 🇫🇷");
        QTest::newRow("spaces") << "a  b   c    d         e ";
        QTest::newRow("newlines") << "line1\n\nline2\r\n\tindented\n   \n";
        QTest::newRow("special") << "x<|endoftext|>y <|endoftext|>";
        QTest::newRow("empty") << "";
    }
    void roundTrips() {
        QFETCH(QString, text);
        const std::string utf8 = text.toStdString();
        const Encoding e = tiny_->encode(utf8);
        QCOMPARE(tiny_->decode(e.ids), utf8);
        QCOMPARE(e.offsets.size(), e.ids.size());
        for (const auto& [start, end] : e.offsets) {
            QVERIFY(0 <= start && start <= end);
            QVERIFY(end <= int64_t(utf8::decodeLossy(utf8).size()));
        }
    }

    void loaderPicksByContent() {
        const QString modelDir = dir_.filePath("model");
        QVERIFY(QDir().mkpath(modelDir));
        QCOMPARE(loadTokenizerFromModelDir(modelDir.toStdString()), nullptr);
        std::ofstream((modelDir + "/tokenizer.json").toStdString()) << "\n  " << tinyTokenizerJson(true);
        const auto tok = loadTokenizerFromModelDir(modelDir.toStdString());
        QVERIFY(tok);
        QCOMPARE(tok->kind(), std::string("byte-level-bpe"));
        QCOMPARE(tok->encode("hello world").ids, (Ids{kHello, kSpaceWorld}));
    }

    void badFiles() {
        const std::string missing = dir_.filePath("missing/tokenizer.json").toStdString();
        QVERIFY(errorOf([&] { ByteLevelBpeTokenizer::fromFile(missing); }).find(missing) != std::string::npos);
        QVERIFY(errorOf([&] { loadTokenizer(missing); }).find("not found") != std::string::npos);

        const std::string json = tinyTokenizerJson(false);
        const std::string truncated = writeFile(dir_, "truncated.json", json.substr(0, json.size() / 2));
        std::string message = errorOf([&] { ByteLevelBpeTokenizer::fromFile(truncated); });
        QVERIFY2(message.find(truncated) != std::string::npos, message.c_str());
        QVERIFY2(message.find("parse error") != std::string::npos, message.c_str());

        const std::string wordPiece = writeFile(dir_, "wordpiece.json", R"({
            "normalizer": {"type": "BertNormalizer"}, "pre_tokenizer": {"type": "BertPreTokenizer"},
            "model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "a": 1}}})");
        message = errorOf([&] { loadTokenizer(wordPiece); });
        QVERIFY2(message.find(wordPiece) != std::string::npos, message.c_str());
        QVERIFY2(message.find("WordPiece") != std::string::npos, message.c_str());

        const std::string badMerge = writeFile(dir_, "badmerge.json", R"({
            "pre_tokenizer": {"type": "ByteLevel"},
            "model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a b"]}})");
        message = errorOf([&] { loadTokenizer(badMerge); });
        QVERIFY2(message.find(badMerge) != std::string::npos && message.find("\"ab\"") != std::string::npos,
                 message.c_str());
    }

    // ---- The real GPT-NeoX-20B tokenizer (ids looked up in its vocab and merges by hand). ----

    void gptNeox() {
        if (!QFile::exists(kNeoxPath)) QSKIP("gpt-neox-20b-tokenizer.json is not in ../shared/data");
        const auto tok = ByteLevelBpeTokenizer::fromFile(kNeoxPath.toStdString());
        QCOMPARE(tok->eosId(), int64_t(0));
        QVERIFY(tok->vocabSize() >= 50277);
        QCOMPARE(tok->tokenToId("Hello"), int64_t(12092));
        QCOMPARE(tok->tokenToId("\xC4\xA0world"), int64_t(1533));  // "Ġworld"
        QCOMPARE(tok->tokenToId("world"), int64_t(10186));
        QCOMPARE(tok->tokenToId("a"), int64_t(66));
        QCOMPARE(tok->tokenToId("b"), int64_t(67));

        checkEncoding(*tok, "Hello world", {12092, 1533}, {{0, 5}, {6, 11}});
        checkEncoding(*tok, "<|endoftext|>", {0}, {{0, 13}});
        checkEncoding(*tok, "Hello world<|endoftext|>", {12092, 1533, 0}, {{0, 5}, {6, 11}, {11, 24}});
        // Runs of spaces are added tokens (ids 50254..50276, normalized): cut out before the regex
        // runs, so "    b" does not become "   " + " b". Trimming empties their spans.
        checkEncoding(*tok, "a    b", {66, 50274, 67}, {{0, 1}, {5, 5}, {5, 6}});
        checkEncoding(*tok, "Hello  world", {12092, 50276, 10186}, {{0, 5}, {7, 7}, {7, 12}});
        QCOMPARE(tok->encode("Hello world").pieces, (std::vector<std::string>{"Hello", " world"}));

        const std::string paragraph = "def f(x):\n    return x  # two\n\n\tCafé 你好 🙂 <|endoftext|> done.";
        QCOMPARE(tok->decode(tok->encode(paragraph).ids), paragraph);
        // An invalid byte is read as U+FFFD, which GPT-NeoX has as one token (21478).
        checkEncoding(*tok, "a\xFF" "b", {66, 21478, 67}, {{0, 1}, {1, 2}, {2, 3}});
    }

    void gptNeoxIsFast() {
        if (!QFile::exists(kNeoxPath)) QSKIP("gpt-neox-20b-tokenizer.json is not in ../shared/data");
        const auto tok = ByteLevelBpeTokenizer::fromFile(kNeoxPath.toStdString());
        std::string text;
        const std::string sentence =
            "The committee's report, published on 12 March, found that 37% of the 1,200 households "
            "surveyed had seen their energy bills rise sharply.\nOfficials said they would respond soon. ";
        for (int i = 0; text.size() < (1u << 20); ++i) text += sentence + std::to_string(i) + " ";
        QElapsedTimer timer;
        timer.start();
        const Encoding e = tok->encode(text);
        const double seconds = timer.nsecsElapsed() / 1e9;
        qInfo("1 MiB of English: %zu tokens in %.3f s", e.ids.size(), seconds);
        // Under AddressSanitizer (tools/test_sanitized.sh) every memory access is checked: the time means nothing.
        bool sanitized = false;
#if defined(__SANITIZE_ADDRESS__)
        sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
        sanitized = true;
#endif
#endif
        if (!sanitized) QVERIFY2(seconds < 1.0, "tokenizing 1 MiB took a second or more");
        QCOMPARE(tok->decode(e.ids), text);
    }

    // Expected values produced by HF `tokenizers` itself, when present: tools/tokenizer_reference.py's
    // output ({"cases": [...]}) or JSON lines of {"text", "ids", "offsets"} (tools/tokenizer_ref.py).
    void gptNeoxMatchesHuggingFace() {
        if (!QFile::exists(kNeoxPath)) QSKIP("gpt-neox-20b-tokenizer.json is not in ../shared/data");
        QString referencePath;
        for (const QString& candidate : {kNeoxReferencePath, kNeoxReferencePath + "l"})
            if (QFile::exists(candidate)) referencePath = candidate;
        if (referencePath.isEmpty())
            QSKIP("tests/data/gpt_neox_reference.json(l) not generated yet (see tools/tokenizer_reference.py)");

        std::vector<nlohmann::json> cases;
        std::ifstream in(referencePath.toStdString());
        if (referencePath.endsWith(".json")) {
            const nlohmann::json all = nlohmann::json::parse(in);
            for (const auto& c : all.at("cases")) cases.push_back(c);
        } else {
            for (std::string line; std::getline(in, line);)
                if (!line.empty()) cases.push_back(nlohmann::json::parse(line));
        }
        QVERIFY(!cases.empty());

        const auto tok = ByteLevelBpeTokenizer::fromFile(kNeoxPath.toStdString());
        int failures = 0;
        for (const auto& c : cases) {
            const std::string text = c.at("text").get<std::string>();
            const Encoding e = tok->encode(text);
            Spans spans;
            for (const auto& o : c.at("offsets")) spans.emplace_back(o.at(0).get<int64_t>(), o.at(1).get<int64_t>());
            if (e.ids != c.at("ids").get<Ids>() || e.offsets != spans) {
                if (++failures <= 20)
                    qWarning() << "differs from HF:" << QString::fromStdString(nlohmann::json(text).dump())
                               << "\n  ours:" << describe(e) << "\n  HF:  " << QString::fromStdString(c.dump());
            }
        }
        qInfo("%zu reference texts from %s, %d differ", cases.size(), qPrintable(referencePath), failures);
        QCOMPARE(failures, 0);
    }
};

QTEST_GUILESS_MAIN(TestByteLevelBpe)
#include "test_text_byte_level_bpe.moc"
