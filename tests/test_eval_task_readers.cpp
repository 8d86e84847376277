// Task readers: for each format a tiny file of our own sentences parsed to lm-eval's request strings,
// hellaswag's preprocessing, winogrande's partial scoring, folder lookup, errors that name the file and
// line, the bundled samples, and (when ../shared/data has them) the real LAMBADA and PIQA files.
#include <QtTest/QtTest>

#include "core/eval/EvalTask.h"
#include "core/eval/PythonText.h"
#include "core/eval/TaskReaders.h"
#include "test_eval_support.h"

using namespace ssmlens;
using testing::errorOf;
using testing::writeText;

namespace {

void compareRequest(const LoglikelihoodRequest& r, const std::string& context, const std::string& continuation) {
    QCOMPARE(QString::fromStdString(r.context), QString::fromStdString(context));
    QCOMPARE(QString::fromStdString(r.continuation), QString::fromStdString(continuation));
}

#define VERIFY_CONTAINS(text, part) \
    QVERIFY2(std::string(text).find(part) != std::string::npos, (std::string(text) + "  [expected: " + (part) + "]").c_str())

}  // namespace

class TestEvalTaskReaders : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void lambadaSplitsAtTheLastSpace() {
        const std::string path = writeText(dir_, "lambada/lambada_test.jsonl",
                                           "{\"text\": \"The cat sat on the mat\"}\n"
                                           "{\"text\": \"Rain fell.\\n\\nShe opened her umbrella\"}\n\n"
                                           "{\"text\": \"alone\"}\n");
        EvalTaskData d = readLambada(path);
        QCOMPARE(d.task, std::string("lambada_openai"));
        QCOMPARE(d.examples.size(), size_t(3));
        compareRequest(d.examples[0].requests[0], "The cat sat on the", " mat");
        compareRequest(d.examples[1].requests[0], "Rain fell.\n\nShe opened her", " umbrella");
        compareRequest(d.examples[2].requests[0], "", " alone");  // scored after end-of-text
        QCOMPARE(d.examples[2].line, int64_t(4));  // the blank line is skipped, numbering is not
        QCOMPARE(d.examples[2].doc, int64_t(2));
    }

    void piqaWithAlignedLabels() {
        const std::string jsonl = writeText(dir_, "piqa/valid.jsonl",
            "{\"goal\": \"Keep bread fresh\", \"sol1\": \"Store it in a sealed bag.\", \"sol2\": \"Store it in the sun.\"}\n"
            "{\"goal\": \"Cool a drink\", \"sol1\": \"Put it by the oven.\", \"sol2\": \"Add ice cubes to the café au lait.\"}\n");
        const std::string labels = writeText(dir_, "piqa/valid-labels.lst", "0\n1\n");
        EvalTaskData d = readPiqa(jsonl, labels);
        QCOMPARE(d.examples.size(), size_t(2));
        compareRequest(d.examples[0].requests[0], "Question: Keep bread fresh\nAnswer:", " Store it in a sealed bag.");
        compareRequest(d.examples[0].requests[1], "Question: Keep bread fresh\nAnswer:", " Store it in the sun.");
        QCOMPARE(d.examples[0].gold, int64_t(0));
        QCOMPARE(d.examples[1].gold, int64_t(1));
        // acc_norm divides by len(choice): code points without the leading space ("é" is one, not two bytes).
        QCOMPARE(d.examples[1].normLengths[1], 34.0);
        QCOMPARE(d.examples[0].normLengths[0], 25.0);
        // The folder finds the labels beside the file.
        EvalTaskData viaFolder = loadEvalTask("piqa", dir_.filePath("piqa").toStdString());
        QCOMPARE(viaFolder.examples[1].gold, int64_t(1));
    }

    void piqaLabelErrors() {
        const std::string jsonl = writeText(dir_, "p2/valid.jsonl",
            "{\"goal\": \"a\", \"sol1\": \"b\", \"sol2\": \"c\"}\n{\"goal\": \"d\", \"sol1\": \"e\", \"sol2\": \"f\"}\n");
        const std::string shortLabels = writeText(dir_, "p2/short.lst", "1\n");
        std::string e = errorOf([&] { readPiqa(jsonl, shortLabels); });
        VERIFY_CONTAINS(e, "short.lst: 1 labels, but");
        VERIFY_CONTAINS(e, "has 2 items");
        const std::string badLabels = writeText(dir_, "p2/bad.lst", "0\n2\n");
        VERIFY_CONTAINS(errorOf([&] { readPiqa(jsonl, badLabels); }), "bad.lst:2: label \"2\" is not 0 or 1");
        VERIFY_CONTAINS(errorOf([&] { readPiqa(jsonl, ""); }), "valid.jsonl:1: no label");
    }

    void hellaswagPreprocessing() {
        QCOMPARE(QString::fromStdString(hellaswagPreprocess("  into a cup [title] Then [step] she waits.  ")),
                 QString("into a cup. Then she waits."));
        // '.' in lm-eval's regex does not cross a newline; one pass of "  " -> " " leaves two of four spaces.
        QCOMPARE(QString::fromStdString(hellaswagPreprocess("stirs [a\nb] it    well.")), QString("stirs [a\nb] it  well."));
        QCOMPARE(QString::fromStdString(python_text::capitalize("SHE pours the WATER")), QString("She pours the water"));
        QCOMPARE(QString::fromStdString(python_text::capitalize("\xC3\xA9" "COLE")), QString::fromUtf8("\xC3\x89" "cole"));
        // Full case mappings and the final sigma, as Python 3.11 gives them.
        QCOMPARE(python_text::capitalize("\xC3\x9FX"), std::string("Ssx"));
        QCOMPARE(python_text::capitalize("\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3 \xCE\x91\xCE\xA3"),
                 std::string("\xce\x9f\xce\xb4\xce\xbf\xcf\x82 \xce\xb1\xcf\x82"));
        QCOMPARE(python_text::capitalize("\xC7\x86" "emal"), std::string("\xc7\x85" "emal"));
        QCOMPARE(QString::fromStdString(python_text::strip("\xC2\xA0 x \t\n")), QString("x"));  // NBSP is whitespace

        const std::string path = writeText(dir_, "hellaswag_val.jsonl",
            "{\"ind\": 4, \"activity_label\": \"Making tea\", \"ctx_a\": \"A woman fills a kettle [step] at the sink.\", "
            "\"ctx_b\": \"SHE pours the WATER\", \"endings\": [\"  into a cup [title] Then [step] she waits.  \", "
            "\"stirs [a\\nb] it    well.\", \"drinks it.\", \"sings.\"], \"label\": 2, \"split\": \"val\"}\n");
        EvalTaskData d = readHellaswag(path);
        const EvalExample& e = d.examples[0];
        QCOMPARE(e.requests.size(), size_t(4));
        const std::string query = "Making tea: A woman fills a kettle at the sink. She pours the water";
        compareRequest(e.requests[0], query, " into a cup. Then she waits.");
        compareRequest(e.requests[1], query, " stirs [a\nb] it  well.");
        compareRequest(e.requests[2], query, " drinks it.");
        QCOMPARE(e.gold, int64_t(2));
        QCOMPARE(e.normLengths, (std::vector<double>{27, 21, 10, 6}));
        // The Hugging Face export writes the label as a string.
        const std::string hf = writeText(dir_, "hf_hellaswag.jsonl",
            "{\"activity_label\": \"X\", \"ctx_a\": \"a\", \"ctx_b\": \"b\", \"endings\": [\"c\", \"d\"], \"label\": \"1\"}\n");
        QCOMPARE(readHellaswag(hf).examples[0].gold, int64_t(1));
    }

    void arcLettersDigitsAndHuggingFace() {
        const std::string path = writeText(dir_, "ARC-Easy/ARC-Easy-Test.jsonl",
            "{\"id\": \"q1\", \"question\": {\"stem\": \"Which one is a liquid at room temperature?\", \"choices\": "
            "[{\"text\": \"iron\", \"label\": \"A\"}, {\"text\": \"water\", \"label\": \"B\"}, {\"text\": \"salt\", "
            "\"label\": \"C\"}]}, \"answerKey\": \"B\"}\n"
            "{\"id\": \"q2\", \"question\": {\"stem\": \"How many legs has a spider?\", \"choices\": [{\"text\": \"six\", "
            "\"label\": \"1\"}, {\"text\": \"eight\", \"label\": \"2\"}, {\"text\": \"ten\", \"label\": \"3\"}, "
            "{\"text\": \"four\", \"label\": \"4\"}]}, \"answerKey\": \"2\"}\n"
            "{\"id\": \"q3\", \"question\": \"What gives plants energy?\", \"choices\": {\"text\": [\"soil\", "
            "\"sunlight\"], \"label\": [\"A\", \"B\"]}, \"answerKey\": \"B\"}\n");
        EvalTaskData d = readArc(path, "arc_easy");
        QCOMPARE(d.examples.size(), size_t(3));
        compareRequest(d.examples[0].requests[1], "Question: Which one is a liquid at room temperature?\nAnswer:", " water");
        QCOMPARE(d.examples[0].gold, int64_t(1));
        QCOMPARE(d.examples[1].requests.size(), size_t(4));
        QCOMPARE(d.examples[1].gold, int64_t(1));
        compareRequest(d.examples[2].requests[1], "Question: What gives plants energy?\nAnswer:", " sunlight");
        QCOMPARE(d.examples[2].gold, int64_t(1));
        QCOMPARE(d.examples[2].normLengths[1], 8.0);
        // Found in the folder of the AI2 distribution.
        QCOMPARE(findTaskFile("arc_easy", dir_.path().toStdString()), path);

        const std::string bad = writeText(dir_, "arc_bad.jsonl",
            "{\"question\": {\"stem\": \"s\", \"choices\": [{\"text\": \"a\", \"label\": \"A\"}, {\"text\": \"b\", "
            "\"label\": \"B\"}]}, \"answerKey\": \"E\"}\n");
        VERIFY_CONTAINS(errorOf([&] { readArc(bad, "arc_challenge"); }),
                        "arc_bad.jsonl:1: answerKey \"E\" is not one of the choice labels A, B");
    }

    void winograndePartialScoring() {
        const std::string path = writeText(dir_, "winogrande/dev.jsonl",
            "{\"qID\": \"w1\", \"sentence\": \"Anna lent Beth her umbrella because _ was going out in the rain.\", "
            "\"option1\": \"Anna\", \"option2\": \"Beth\", \"answer\": \"2\"}\n"
            "{\"qID\": \"w2\", \"sentence\": \"The box held the ball because the _ was larger.\", \"option1\": \"box\", "
            "\"option2\": \"ball\", \"answer\": \"1\"}\n");
        EvalTaskData d = readWinogrande(path);
        const EvalExample& e = d.examples[0];
        // The option goes into the context; both options score the same continuation.
        compareRequest(e.requests[0], "Anna lent Beth her umbrella because Anna", " was going out in the rain.");
        compareRequest(e.requests[1], "Anna lent Beth her umbrella because Beth", " was going out in the rain.");
        QCOMPARE(e.gold, int64_t(1));
        compareRequest(d.examples[1].requests[0], "The box held the ball because the box", " was larger.");
        QCOMPARE(d.examples[1].gold, int64_t(0));
        const std::string noBlank = writeText(dir_, "wg_bad.jsonl",
            "{\"sentence\": \"No blank here.\", \"option1\": \"a\", \"option2\": \"b\", \"answer\": \"1\"}\n");
        VERIFY_CONTAINS(errorOf([&] { readWinogrande(noBlank); }), "wg_bad.jsonl:1: field \"sentence\" has no blank");
    }

    void malformedFilesNameFileAndLine() {
        const std::string notJson = writeText(dir_, "broken.jsonl", "{\"text\": \"a b\"}\n{\"text\": \"c d\"}\n{\"text\": oops}\n");
        std::string e = errorOf([&] { readLambada(notJson); });
        VERIFY_CONTAINS(e, "broken.jsonl:3: not valid JSON");
        const std::string missing = writeText(dir_, "missing.jsonl",
            "{\"goal\": \"a\", \"sol1\": \"b\", \"sol2\": \"c\"}\n{\"goal\": \"a\", \"sol1\": \"b\"}\n");
        const std::string labels = writeText(dir_, "missing-labels.lst", "0\n1\n");
        VERIFY_CONTAINS(errorOf([&] { readPiqa(missing, labels); }), "missing.jsonl:2: missing field \"sol2\"");
        const std::string wrongType = writeText(dir_, "wrong.jsonl", "{\"text\": 12}\n");
        VERIFY_CONTAINS(errorOf([&] { readLambada(wrongType); }), "wrong.jsonl:1: field \"text\" should be a string, found number");
        // A file of another task says which one it looks like.
        e = errorOf([&] { readHellaswag(missing); });
        VERIFY_CONTAINS(e, "missing.jsonl:1: missing field \"activity_label\"");
        VERIFY_CONTAINS(e, "looks like a piqa item");
        VERIFY_CONTAINS(errorOf([&] { readLambada(writeText(dir_, "empty.jsonl", "\n\n")); }), "empty.jsonl: the file has no items");
        VERIFY_CONTAINS(errorOf([&] { readLambada(writeText(dir_, "array.jsonl", "[1, 2]\n")); }),
                        "array.jsonl:1: expected a JSON object, found a array");
        VERIFY_CONTAINS(errorOf([&] { readLambada(dir_.filePath("nope.jsonl").toStdString()); }), "nope.jsonl: no such file");
    }

    void folderLookup() {
        QTemporaryDir root;
        writeText(root, "a/x/hellaswag_val.jsonl", "{}\n");
        QCOMPARE(QString::fromStdString(findTaskFile("hellaswag", root.path().toStdString())),
                 root.filePath("a/x/hellaswag_val.jsonl"));
        writeText(root, "b/y/hellaswag_val.jsonl", "{}\n");
        VERIFY_CONTAINS(errorOf([&] { findTaskFile("hellaswag", root.path().toStdString()); }), "several hellaswag_val.jsonl");
        writeText(root, "hellaswag/hellaswag_val.jsonl", "{}\n");  // <folder>/<task> wins
        QCOMPARE(QString::fromStdString(findTaskFile("hellaswag", root.path().toStdString())),
                 root.filePath("hellaswag/hellaswag_val.jsonl"));
        VERIFY_CONTAINS(errorOf([&] { findTaskFile("winogrande", root.path().toStdString()); }), "no dev.jsonl in this folder");
        VERIFY_CONTAINS(errorOf([&] { findTaskFile("mmlu", root.path().toStdString()); }), "unknown task \"mmlu\"");
        VERIFY_CONTAINS(errorOf([&] { findTaskFile("piqa", "/no/such/place"); }), "/no/such/place: no such file");
    }

    void bundledSamplesRead() {
        const std::string root = SSMLENS_SOURCE_DIR "/resources/eval-samples";
        EvalTaskData lambada = loadEvalTask("lambada_openai", root);
        EvalTaskData piqa = loadEvalTask("piqa", root);
        QVERIFY(lambada.examples.size() >= 10 && lambada.examples.size() <= 20);
        QVERIFY(piqa.examples.size() >= 10 && piqa.examples.size() <= 20);
        for (const auto& e : lambada.examples) QVERIFY(!e.requests[0].context.empty());
    }

    void realLambadaAndPiqa() {
        const std::string lambadaPath = SSMLENS_SHARED_DATA "/benchmarks/lambada_openai/lambada_test.jsonl";
        const std::string piqaDir = SSMLENS_SHARED_DATA "/benchmarks/piqa";
        if (!QFile::exists(QString::fromStdString(lambadaPath)) || !QFile::exists(QString::fromStdString(piqaDir + "/valid.jsonl")))
            QSKIP("the real LAMBADA / PIQA files are not in ../shared/data/benchmarks");
        EvalTaskData lambada = loadEvalTask("lambada_openai", lambadaPath);
        QCOMPARE(lambada.examples.size(), size_t(5153));
        const LoglikelihoodRequest& l0 = lambada.examples[0].requests[0];
        QVERIFY(l0.context.rfind("In my palm is a clear stone, and inside it is a small ivory statuette.", 0) == 0);
        const std::string tail = "his mouth curved in a confident grin, I don't care about";
        QVERIFY(l0.context.size() > tail.size() && l0.context.substr(l0.context.size() - tail.size()) == tail);
        QCOMPARE(QString::fromStdString(l0.continuation), QString(" signs"));

        EvalTaskData piqa = loadEvalTask("piqa", piqaDir);
        QCOMPARE(piqa.examples.size(), size_t(1838));
        compareRequest(piqa.examples[0].requests[0],
                       "Question: How do I ready a guinea pig cage for it's new occupants?\nAnswer:",
                       " Provide the guinea pig with a cage full of a few inches of bedding made of ripped paper strips, "
                       "you will also need to supply it with a water bottle and a food dish.");
        QCOMPARE(piqa.examples[0].gold, int64_t(0));
        QCOMPARE(piqa.examples[1].gold, int64_t(1));
        compareRequest(piqa.examples[1].requests[1], "Question: dresser\nAnswer:", " finish, woodgrain with  bobby pin ");
    }
};

QTEST_APPLESS_MAIN(TestEvalTaskReaders)
#include "test_eval_task_readers.moc"
