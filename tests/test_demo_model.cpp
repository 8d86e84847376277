// The bundled demo model (resources/demo-model, trained by tools/train_demo_model.sh): it is found as the
// default model, loads with its sentencepiece tokenizer, keeps the held-out perplexity recorded in
// training.json (within 2%), and generates the recorded greedy continuation, the same every time.
#include <QtTest/QtTest>

#include "AtenOperators.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/model/Generation.h"
#include "core/model/Mamba2Model.h"
#include "core/runtime/DemoModel.h"
#include "core/text/Tokenizer.h"
#include "core/train/TokenStream.h"
#include "core/train/Trainer.h"
#include "NumericTolerance.h"

using namespace ssmlens;

class TestDemoModel : public QObject {
    Q_OBJECT

    std::string dir_;
    nlohmann::json record_;

    std::vector<int64_t> greedy(const Mamba2Model& model, const std::vector<int64_t>& prompt, int n) {
        SamplingOptions o;
        o.maxNewTokens = n;
        return generate(model, prompt, o);
    }

private Q_SLOTS:
    void initTestCase() {
        qputenv("SSMLENS_RESOURCES", SSMLENS_SOURCE_DIR "/resources");
        dir_ = defaultModelDir();
        QVERIFY2(!dir_.empty(), "the demo model is not found through SSMLENS_RESOURCES");
        std::ifstream in(dir_ + "/training.json");
        QVERIFY(in.good());
        in >> record_;
    }

    void loadsWithItsTokenizer() {
        Mamba2Model model = Mamba2Model::load(dir_);
        QCOMPARE(model.config().nLayer, int64_t(16));
        QCOMPARE(model.config().dModel, int64_t(384));
        QCOMPARE(model.config().parameterCount(), record_["parameters"].get<int64_t>());
        auto tokenizer = loadTokenizerFromModelDir(dir_);
        QVERIFY(tokenizer);
        QCOMPARE(QString::fromStdString(tokenizer->kind()), QString("sentencepiece"));
        QCOMPARE(tokenizer->vocabSize(), model.config().vocabSize);
        QCOMPARE(tokenizer->eosId(), model.config().eosId);
    }

    void heldoutPerplexityStaysAtTheRecordedFigure() {
        Mamba2Model model = Mamba2Model::load(dir_);
        auto tokenizer = loadTokenizerFromModelDir(dir_);
        const auto& rec = record_["heldout_sample_perplexity"];
        std::ifstream in(dir_ + "/" + rec["file"].get<std::string>());
        QVERIFY(in.good());
        std::vector<int64_t> ids;
        for (std::string line; std::getline(in, line);) {  // as `ssmlens-cli perplexity` reads a text file
            if (line.empty()) continue;
            for (int64_t id : tokenizer->encode(line).ids) ids.push_back(id);
            ids.push_back(tokenizer->eosId());
        }
        TokenStream stream(at::tensor(ids, at::kLong));
        const int64_t seqLen = rec["seq_len"].get<int64_t>();
        const double ppl = std::exp(meanWindowLoss(model, stream, seqLen, stream.windowCount(seqLen), 8));
        const double recorded = rec["value"].get<double>();
        QVERIFY2(std::abs(ppl - recorded) <= 0.02 * recorded,
                 qPrintable(QString("perplexity %1, recorded %2").arg(ppl).arg(recorded)));
    }

    void greedyGenerationIsTheRecordedOneEveryTime() {
        Mamba2Model model = Mamba2Model::load(dir_);
        auto tokenizer = loadTokenizerFromModelDir(dir_);
        const auto& rec = record_["greedy_generation"];
        std::vector<int64_t> prompt = tokenizer->encode(rec["prompt"].get<std::string>()).ids;
        const int n = rec["max_new_tokens"].get<int>();
        std::vector<int64_t> first = greedy(model, prompt, n), second = greedy(model, prompt, n);
        QCOMPARE(second, first);
        std::vector<int64_t> expected = rec["ids"].get<std::vector<int64_t>>();
        std::vector<int64_t> all = prompt;
        all.insert(all.end(), first.begin(), first.end());
        QCOMPARE(all.size(), expected.size());
        // The recorded ids came from one machine; another CPU rounds the logits in other last bits
        // (NumericTolerance.h). Equal up to the first step where the two part; there, the recorded token and
        // ours must be in a near-tie (after it, the continuations follow different prefixes).
        const auto parted = std::mismatch(all.begin(), all.end(), expected.begin());
        if (parted.first != all.end()) {
            const std::vector<int64_t> prefix(all.begin(), parted.first);
            QVERIFY2(prefix.size() > prompt.size(), "the prompt itself differs from the recorded one");
            const at::Tensor row = model.forward(at::tensor(prefix).view({1, -1})).logits[0][-1];
            const double gap = std::abs(row[*parted.first].item<double>() - row[*parted.second].item<double>());
            QVERIFY2(gap <= testing::kArgmaxTieLogitGap,
                     qPrintable(QString("step %1: generated %2, recorded %3, logit gap %4")
                                    .arg(prefix.size() - prompt.size()).arg(*parted.first).arg(*parted.second).arg(gap)));
        }
    }
};

QTEST_GUILESS_MAIN(TestDemoModel)
#include "test_demo_model.moc"
