// The whole model: chunked prefill, the per-step recurrence and one-step decode agree; batches of
// different lengths equal single sequences; hooks see and replace the streams; bad ids are rejected.
#include <QtTest/QtTest>

#include "AtenOperators.h"

#include "core/Error.h"
#include "core/model/Mamba2Mixer.h"
#include "core/model/Mamba2Model.h"
#include "ModelTestSupport.h"

using namespace ssmlens;
using testing::relativeError;

namespace {

at::Tensor decodeAll(const Mamba2Model& m, const at::Tensor& ids) {
    InferenceCache cache;
    std::vector<at::Tensor> out;
    for (int64_t t = 0; t < ids.size(1); ++t) out.push_back(m.step(ids.select(1, t).contiguous(), cache));
    return at::stack(out, 1);
}

class ScaleHiddenHook : public LayerHook {
public:
    int64_t layer;
    int calls = 0;
    explicit ScaleHiddenHook(int64_t l) : layer(l) {}
    void afterLayer(int64_t l, LayerStreams& s) override {
        ++calls;
        if (l == layer) s.hidden = s.hidden * 0;
    }
};

// Drops the first token of every sequence after a layer (what token reduction does, crudely).
class DropFirstHook : public LayerHook {
public:
    void afterLayer(int64_t l, LayerStreams& s) override {
        if (l != 0) return;
        s.hidden = s.hidden.narrow(1, 1, s.hidden.size(1) - 1);
        s.residual = s.residual.narrow(1, 1, s.residual.size(1) - 1);
        s.lengths = s.lengths - 1;
    }
};

// Does the next block's residual add and norm itself after every block but the last, as the reduction kernels
// do on a GPU (LayerStreams::normalized); `scale` != 1 hands on a deliberately different input, to show it is used.
class NextNormHook : public LayerHook {
public:
    double scale = 1.0;
    int taken = 0, offered = 0;
    void afterLayer(int64_t, LayerStreams& s) override {
        if (!s.nextNormWeight.defined()) return;
        ++offered;
        s.residual = s.hidden.to(at::kFloat) + s.residual;
        s.hidden = at::Tensor();
        s.normalized = rmsNorm(s.residual, s.nextNormWeight, s.nextNormEps) * scale;
        ++taken;
    }
};

// Puts a hidden stream back after NextNormHook: the model must then add and normalize again, not use the stale
// normalized input.
class RestoreHiddenHook : public LayerHook {
public:
    void afterLayer(int64_t, LayerStreams& s) override {
        if (s.hidden.defined()) return;
        s.hidden = at::zeros_like(s.residual);
    }
};

}  // namespace

class TestMamba2Model : public QObject {
    Q_OBJECT
private slots:
    void prefillDecodeAndRecurrenceAgree_data() {
        QTest::addColumn<int>("groups");
        QTest::addColumn<int>("length");
        QTest::newRow("ngroups 1, L 9 (chunk 4)") << 1 << 9;
        QTest::newRow("ngroups 1, L 8") << 1 << 8;
        QTest::newRow("ngroups 2, L 11") << 2 << 11;
        QTest::newRow("ngroups 3, L 7") << 3 << 7;
    }
    void prefillDecodeAndRecurrenceAgree() {
        QFETCH(int, groups);
        QFETCH(int, length);
        Mamba2Config c = testing::tinyConfig(groups);
        Mamba2Model m(c, randomMamba2Weights(c, 7 + groups));
        at::Tensor ids = testing::randomIds(2, length, c.vocabSize, 99);
        at::Tensor chunked = m.forward(ids).logits;
        ForwardOptions rec;
        rec.scan = ScanMode::Recurrent;
        at::Tensor recurrent = m.forward(ids, rec).logits;
        at::Tensor decoded = decodeAll(m, ids);
        QCOMPARE(chunked.sizes().vec(), (std::vector<int64_t>{2, length, c.vocabSize}));
        QVERIFY2(relativeError(chunked, recurrent) < 1e-5, "chunked prefill differs from the recurrence");
        QVERIFY2(relativeError(decoded, recurrent) < 1e-5, "one-step decode differs from the recurrence");
    }

    void decodeContinuesAfterPrefill() {
        Mamba2Config c = testing::tinyConfig(2);
        Mamba2Model m(c, randomMamba2Weights(c, 3));
        at::Tensor ids = testing::randomIds(1, 12, c.vocabSize, 5);
        at::Tensor full = m.forward(ids).logits;
        InferenceCache cache;
        ForwardOptions opt;
        opt.cache = &cache;
        m.forward(ids.narrow(1, 0, 7), opt);
        for (int64_t t = 7; t < 12; ++t) {
            at::Tensor logits = m.step(ids.select(1, t).contiguous(), cache);
            QVERIFY2(relativeError(logits[0], full[0][t]) < 1e-5, qPrintable(QString("position %1").arg(t)));
        }
    }

    void batchOfDifferentLengthsEqualsSingles() {
        Mamba2Config c = testing::tinyConfig(1, 4);
        Mamba2Model m(c, randomMamba2Weights(c, 11));
        at::Tensor ids = testing::randomIds(3, 10, c.vocabSize, 17);
        const std::vector<int64_t> lens = {10, 6, 3};
        InferenceCache cache;
        ForwardOptions opt;
        opt.lengths = at::tensor(lens);
        opt.cache = &cache;
        at::Tensor batched = m.forward(ids, opt).logits;
        at::Tensor next = at::tensor(std::vector<int64_t>{1, 2, 3});
        at::Tensor stepped = m.step(next, cache);
        for (int64_t b = 0; b < 3; ++b) {
            at::Tensor single = ids[b].narrow(0, 0, lens[b]).unsqueeze(0);
            at::Tensor alone = m.forward(single).logits[0];
            QVERIFY(relativeError(batched[b].narrow(0, 0, lens[b]), alone) < 1e-5);
            // Decoding after a ragged prefill continues each sequence from its own last token.
            at::Tensor extended = at::cat({single, next[b].view({1, 1})}, 1);
            at::Tensor ref = m.forward(extended).logits[0][lens[b]];
            QVERIFY2(relativeError(stepped[b], ref) < 1e-5, qPrintable(QString("sequence %1").arg(b)));
        }
        ForwardOptions last;
        last.lengths = at::tensor(lens);
        last.logitsAt = LogitsAt::LastPosition;
        at::Tensor lastLogits = m.forward(ids, last).logits;
        for (int64_t b = 0; b < 3; ++b) QVERIFY(relativeError(lastLogits[b], batched[b][lens[b] - 1]) < 1e-6);
    }

    void hooksSeeAndReplaceStreams() {
        Mamba2Config c = testing::tinyConfig();
        Mamba2Model m(c, randomMamba2Weights(c, 2));
        at::Tensor ids = testing::randomIds(1, 6, c.vocabSize, 1);
        LayerRecorder rec;
        ForwardOptions opt;
        opt.hook = &rec;
        at::Tensor base = m.forward(ids, opt).logits;
        QCOMPARE(rec.records().size(), size_t(c.nLayer));
        QCOMPARE(rec.records().at(1).hidden.sizes().vec(), (std::vector<int64_t>{1, 6, c.dModel}));
        // The residual handed out after block 1 is embedding + h0 (block 1's input).
        at::Tensor emb = m.weights().embedding.index_select(0, ids[0]).unsqueeze(0);
        QVERIFY(relativeError(rec.records().at(1).residual, emb + rec.records().at(0).hidden) < 1e-6);
        // The head applied to the last layer's recorded streams gives the logits.
        const auto& lastRec = rec.records().at(c.nLayer - 1);
        QVERIFY(relativeError(m.head(lastRec.hidden, lastRec.residual), base) < 1e-6);

        ScaleHiddenHook zero(c.nLayer - 1);
        opt.hook = &zero;
        at::Tensor changed = m.forward(ids, opt).logits;
        QCOMPARE(zero.calls, int(c.nLayer));
        QVERIFY(relativeError(changed, base) > 1e-3);

        // A hook that hands on the next block's input: offered after every block but the last, and used.
        NextNormHook next;
        opt.hook = &next;
        QVERIFY(relativeError(m.forward(ids, opt).logits, base) < 1e-6);
        QCOMPARE(next.offered, int(c.nLayer) - 1);
        QCOMPARE(next.taken, int(c.nLayer) - 1);
        next.scale = 2.0;
        QVERIFY(relativeError(m.forward(ids, opt).logits, base) > 1e-3);
        // With hidden put back by a later hook (zeros: residual already has it) the model adds and normalizes
        // again, and the doubled input is not used.
        RestoreHiddenHook restore;
        HookChain chain;
        chain.add(&next);
        chain.add(&restore);
        opt.hook = &chain;
        QVERIFY(relativeError(m.forward(ids, opt).logits, base) < 1e-6);
        // A recorder after it sees hidden as zeros and residual with hidden in it.
        LayerRecorder afterNext;
        HookChain recorded;
        next.scale = 1.0;
        recorded.add(&next);
        recorded.add(&afterNext);
        opt.hook = &recorded;
        QVERIFY(relativeError(m.forward(ids, opt).logits, base) < 1e-6);
        QVERIFY(afterNext.records().at(0).hidden.abs().max().item<float>() == 0.f);
        QVERIFY(relativeError(afterNext.records().at(0).residual, rec.records().at(1).residual) < 1e-6);

        DropFirstHook drop;
        opt.hook = &drop;
        ForwardResult shorter = m.forward(ids, opt);
        QCOMPARE(shorter.logits.size(1), int64_t(5));
        QCOMPARE(shorter.lengths[0].item<int64_t>(), int64_t(5));
    }

    void idsOutOfRangeAreRejected() {
        Mamba2Config c = testing::tinyConfig();
        Mamba2Model m(c, randomMamba2Weights(c, 2));
        at::Tensor bad = at::tensor(std::vector<int64_t>{1, c.vocabSize}).view({1, 2});
        try {
            m.forward(bad);
            QFAIL("no error for an id past the vocabulary");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("out of range"));
            QVERIFY(QString(e.what()).contains(QString::number(c.vocabSize)));
        }
        QVERIFY_THROWS_EXCEPTION(Error, m.forward(at::tensor(std::vector<int64_t>{-1}).view({1, 1})));
    }

    void bf16RunsCloseToFp32() {
        Mamba2Config c = testing::tinyConfig();
        Mamba2Weights w32 = randomMamba2Weights(c, 4, at::kFloat);
        Mamba2Weights w16 = randomMamba2Weights(c, 4, at::kBFloat16);
        at::Tensor ids = testing::randomIds(1, 9, c.vocabSize, 8);
        at::Tensor a = Mamba2Model(c, w32).forward(ids).logits;
        at::Tensor b = Mamba2Model(c, w16).forward(ids).logits;
        QCOMPARE(b.scalar_type(), at::kFloat);
        QVERIFY(relativeError(b, a) < 5e-2);
    }

    // logitsInModelDtype returns the head's own output: the fp32 default is exactly its conversion.
    void logitsInModelDtypeAreTheHeadOutput() {
        Mamba2Config c = testing::tinyConfig();
        Mamba2Model m(c, randomMamba2Weights(c, 4, at::kBFloat16));
        at::Tensor ids = testing::randomIds(2, 7, c.vocabSize, 9);
        ForwardOptions asHead;
        asHead.logitsInModelDtype = true;
        at::Tensor raw = m.forward(ids, asHead).logits;
        QCOMPARE(raw.scalar_type(), at::kBFloat16);
        QVERIFY(at::equal(raw.to(at::kFloat), m.forward(ids).logits));
        asHead.logitsAt = LogitsAt::LastPosition;
        QCOMPARE(m.forward(ids, asHead).logits.scalar_type(), at::kBFloat16);
    }

    // The padding mask the model makes once per forward pass: 1 before each sequence's length, 0 after;
    // undefined when no sequence is padded.
    void paddingMaskMarksValidPositions() {
        const at::Tensor mask = paddingMask(at::tensor(std::vector<int64_t>{3, 5}), 5, at::kCPU);
        QVERIFY(mask.defined());
        QCOMPARE(mask.scalar_type(), at::kFloat);
        const at::Tensor expected = at::tensor(std::vector<float>{1, 1, 1, 0, 0, 1, 1, 1, 1, 1}).view({2, 5});
        QVERIFY(at::equal(mask, expected));
        QVERIFY(!paddingMask(at::tensor(std::vector<int64_t>{4, 4}), 4, at::kCPU).defined());
    }
};

QTEST_APPLESS_MAIN(TestMamba2Model)
#include "test_mamba2_model.moc"
