// The reason the sentencepiece bridge is a separate module opened with RTLD_DEEPBIND: in a process that
// also links Debian's libtorch (and so the system libprotobuf), libsentencepiece's bundled protobuf-lite
// makes the program crash before main(). This executable links libtorch through ssmlens_core, makes a
// tensor, and tokenizes with sentencepiece in the same process. Reaching the checks at all is the test.
#include "core/text/SentencePieceTokenizer.h"

#include "AtenOperators.h"
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <fstream>

using namespace ssmlens;

class TestSentencePieceWithTorch : public QObject {
    Q_OBJECT

private slots:
    void tensorAndSentencePieceInOneProcess() {
        const at::Tensor t = at::arange(6, at::kFloat).reshape({2, 3});
        QCOMPARE(t.sum().item<float>(), 15.0f);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string corpus = dir.filePath("corpus.txt").toStdString();
        {
            std::ofstream out(corpus);
            for (int i = 0; i < 200; ++i)
                out << "state space models read text " << i << " times and remember what matters\n";
        }
        SentencePieceTokenizer::train("--input=" + corpus + " --model_prefix=" + dir.filePath("m").toStdString() +
                                      " --vocab_size=60 --hard_vocab_limit=false --minloglevel=2");
        const auto tok = SentencePieceTokenizer::fromFile(dir.filePath("m.model").toStdString());
        const Encoding e = tok->encode("state space models remember");
        QVERIFY(!e.ids.empty());
        QCOMPARE(tok->decode(e.ids), std::string("state space models remember"));

        // Use the ids as a tensor, as the model would.
        const at::Tensor ids = at::tensor(e.ids, at::kLong);
        QCOMPARE(ids.numel(), int64_t(e.ids.size()));
    }
};

QTEST_GUILESS_MAIN(TestSentencePieceWithTorch)
#include "test_sentencepiece_with_torch.moc"
