// The hand-written GPT-2 pre-tokenization split (core/text/Gpt2WordSplitter.h) against ICU's regex engine running
// the pattern of Hugging Face's ByteLevel pre-tokenizer, \p{L} and \p{N} cut to Unicode 14.0 as ours are: the same
// words on hand-picked cases, random strings of characters the pattern tells apart, and real text (LAMBADA,
// when ../shared/data has it). The split stays hand-written because ICU's regex takes 3 to 5 times longer
// (docs/hand-written.md); this test is what lets it.
#include <QFile>
#include <QtTest/QtTest>

#include <memory>
#include <random>

#include <unicode/regex.h>
#include <unicode/unistr.h>

#include "core/text/Gpt2WordSplitter.h"
#include "core/text/Utf8.h"

using namespace ssmlens;

namespace {

const char* const kPattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?[\p{L}&&[:age=14.0:]]+| ?[\p{N}&&[:age=14.0:]]+|)"
    R"( ?[^\s[\p{L}&&[:age=14.0:]][\p{N}&&[:age=14.0:]]]+|\s+(?!\S)|\s+)";

// The words ICU's regex finds, as [begin, end) in code points.
std::vector<WordRange> splitWithIcu(std::u32string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    static std::unique_ptr<icu::RegexPattern> pattern(
        icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(kPattern), 0, status));
    std::vector<WordRange> words;
    if (U_FAILURE(status)) return words;
    const icu::UnicodeString u =
        icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(text.data()), int32_t(text.size()));
    std::unique_ptr<icu::RegexMatcher> m(pattern->matcher(u, status));
    int32_t unit = 0;
    size_t codePoint = 0;
    auto toCodePoints = [&](int32_t next) {
        codePoint += size_t(u.countChar32(unit, next - unit));
        unit = next;
        return codePoint;
    };
    while (m->find(status)) {
        const size_t begin = toCodePoints(m->start(status));
        words.emplace_back(begin, toCodePoints(m->end(status)));
    }
    return words;
}

QString describe(std::u32string_view text) {
    QStringList cps;
    for (char32_t c : text) cps << QString("U+%1").arg(uint(c), 4, 16, QChar('0'));
    return cps.join(' ');
}

}  // namespace

class TestTextGpt2WordSplitter : public QObject {
    Q_OBJECT

private slots:
    void handPickedCasesMatchIcu_data() {
        QTest::addColumn<QString>("text");
        for (const char* t : {"Hello world", "Hello  world", "  leading", "trailing  ", "a\n\n b", "it's they're we've",
                              "I'm you'll he'd 'S", "x'sy", "3.14 42abc", "½ ² Ⅻ", "über Straße", "你好世界", "🙂🙂 ok",
                              "tab\there", "\u00a0nbsp", "a\u2028b", "mixed123abc!!?", "'", " ' ", "don't",
                              "e\u0301 cafe\u0301", "\u0d3c", "\U0001fae0 emoji of Unicode 14.0", "\U00011f04 Kawi, a letter of 15.0"})
            QTest::newRow(t) << QString::fromUtf8(t);
    }
    void handPickedCasesMatchIcu() {
        QFETCH(QString, text);
        const std::u32string u = utf8::decodeLossy(text.toStdString());
        QCOMPARE(splitGpt2Words(u), splitWithIcu(u));
    }

    void randomStringsMatchIcu() {
        // Characters from every class the pattern tells apart: letters (ASCII, Latin-1, CJK, astral), numbers,
        // marks, punctuation and symbols, each kind of white space, and the apostrophe of the contractions.
        const std::u32string pool = U"aZsStTmMdDlLrRvVeE'0 9\t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2028\u2029\u3000"
                                    U"\u00e9\u00df\u4e2d\u0915\u093c\u0301\u00bd\u00b2\u2167.,!?-_()\U0001f642\U0001d400"
                                    U"\U0001fae0\U00011f04\u200d\uffff";  // U+11F04: a letter since Unicode 15.0
        std::mt19937 rng(17);
        std::uniform_int_distribution<size_t> pick(0, pool.size() - 1), length(1, 24);
        for (int i = 0; i < 20000; ++i) {
            std::u32string s;
            for (size_t n = length(rng); n > 0; --n) s.push_back(pool[pick(rng)]);
            if (splitGpt2Words(s) != splitWithIcu(s)) QFAIL(qPrintable("differs on " + describe(s)));
        }
    }

    void realTextMatchesIcu() {
        QFile f(QString(SSMLENS_SHARED_DATA) + "/benchmarks/lambada_openai/lambada_test.jsonl");
        if (!f.open(QIODevice::ReadOnly)) QSKIP("LAMBADA is not in ../shared/data");
        const std::u32string text = utf8::decodeLossy(f.readAll().toStdString());
        const std::vector<WordRange> ours = splitGpt2Words(text), icu = splitWithIcu(text);
        QCOMPARE(ours.size(), icu.size());
        QVERIFY(ours == icu);
    }
};

QTEST_GUILESS_MAIN(TestTextGpt2WordSplitter)
#include "test_text_gpt2_word_splitter.moc"
