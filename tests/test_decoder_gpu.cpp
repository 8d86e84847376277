// The fused and graph decode paths on a GPU (CTest label `gpu`; skips without one or without the CUDA kernels):
// every case of check-decode passes (logits, states and greedy tokens against the aten path); the graph path
// replays exactly what the eager fused path computes; graphs are captured once per batch size and reused;
// generation gives the aten path's tokens.
#include <QtTest/QtTest>

#include "AtenOperators.h"

#include "core/bench/DecodeCheck.h"
#include "core/model/Decoder.h"
#include "core/model/Generation.h"
#include "ModelTestSupport.h"
#include "NumericTolerance.h"

using namespace ssmlens;

namespace {

InferenceCache prefill(const Mamba2Model& m, const at::Tensor& ids) {
    InferenceCache cache;
    ForwardOptions f;
    f.cache = &cache;
    f.logitsAt = LogitsAt::None;
    m.forward(ids, f);
    return cache;
}

}  // namespace

class TestDecoderGpu : public QObject {
    Q_OBJECT

    static Mamba2Model cudaModel(const Mamba2Config& c, uint64_t seed, at::ScalarType dtype = at::kFloat) {
        return Mamba2Model(c, randomMamba2Weights(c, seed, dtype, at::Device(at::kCUDA)));
    }

private slots:
    void initTestCase() {
        if (!at::hasCUDA()) QSKIP("no CUDA device");
        Mamba2Config c = testing::tinyConfig();
        if (!decodePathAvailable(cudaModel(c, 1), DecodePath::CudaGraph))
            QSKIP("this build has no CUDA kernels for this GPU");
    }

    void everyCheckDecodeCasePasses() {
        DecodeCheckSettings s;
        const auto results = runDecodeCheck(s, defaultDecodeCheckCases());
        QVERIFY(!results.empty());
        for (const auto& r : results)
            QVERIFY2(r.passed, qPrintable(QString::fromStdString(r.name + " / " + r.path + ": " + r.note)));
    }

    // A replay runs the kernels the eager fused path launches, on the same inputs: the same numbers (the same
    // bits, unless cuBLAS picks another algorithm for the capture's stream; fp32, so that such a difference stays
    // at fp32 rounding instead of flipping bf16 roundings).
    void graphReplaysTheFusedStep() {
        Mamba2Config c = namedMamba2Config("130m");
        c.nLayer = 3;
        Mamba2Model m = cudaModel(c, 2);
        const InferenceCache cache = prefill(m, testing::randomIds(2, 11, c.vocabSize, 3));
        Decoder fused(m, DecodePath::Fused), graph(m, DecodePath::CudaGraph);
        fused.start(cache);
        graph.start(cache);
        at::Tensor ids = at::tensor(std::vector<int64_t>{7, 19712});
        bool bitwise = true;
        for (int t = 0; t < 6; ++t) {
            const at::Tensor want = fused.step(ids).clone();
            const at::Tensor& got = graph.step(ids);
            bitwise = bitwise && got.equal(want);
            const double err = testing::relativeError(got, want);
            QVERIFY2(err < testing::kReorderedFp32Relative, qPrintable(QString("step %1: %2").arg(t).arg(err)));
            ids = want.argmax(-1).to(at::kCPU);
        }
        for (size_t l = 0; l < cache.layers.size(); ++l) {
            QVERIFY(testing::relativeError(graph.state().layers[l].ssm, fused.state().layers[l].ssm) <
                    testing::kReorderedFp32Relative);
            QVERIFY(testing::relativeError(graph.state().layers[l].conv, fused.state().layers[l].conv) <
                    testing::kReorderedFp32Relative);
        }
        qInfo("graph replays against the eager fused step: %s", bitwise ? "bit for bit" : "within fp32 rounding");
    }

    // One graph per batch size, captured on its first start and replayed on every later one, each time from the
    // new state (the aten path, the reference, decodes the same prompts).
    void graphsAreCapturedPerBatchSizeAndReused() {
        Mamba2Config c = testing::tinyConfig(2);
        Mamba2Model m = cudaModel(c, 4);
        Decoder graph(m, DecodePath::CudaGraph), aten(m, DecodePath::Aten);
        const std::vector<int64_t> batches = {1, 3, 1, 3, 2};
        const std::vector<int64_t> captured = {1, 2, 2, 2, 3};
        for (size_t i = 0; i < batches.size(); ++i) {
            const int64_t B = batches[i];
            const InferenceCache cache = prefill(m, testing::randomIds(B, 5 + i, c.vocabSize, 10 + i));
            graph.start(cache);
            aten.start(cache);
            QCOMPARE(graph.capturedGraphs(), captured[i]);
            at::Tensor ids = at::arange(B, at::kLong) + static_cast<int64_t>(i);
            for (int t = 0; t < 4; ++t) {
                const at::Tensor want = aten.step(ids).clone();
                const double err = testing::relativeError(graph.step(ids), want);
                QVERIFY2(err < decodeTolerance(at::kFloat),
                         qPrintable(QString("start %1, step %2: %3").arg(i).arg(t).arg(err)));
                ids = want.argmax(-1).to(at::kCPU);
            }
        }
    }

    // Generation on the graph path gives the aten path's tokens; where they part, aten's logits there are a near
    // tie (fp32: the paths differ only in the order of some sums).
    void generationGivesTheAtenTokens() {
        Mamba2Config c = namedMamba2Config("130m");
        c.nLayer = 4;
        Mamba2Model m = cudaModel(c, 5);
        const std::vector<int64_t> prompt = {510, 5347, 273, 6181, 310};
        SamplingOptions o;
        o.maxNewTokens = 24;
        o.decodePath = DecodePath::Aten;
        const std::vector<int64_t> want = generate(m, prompt, o);
        o.decodePath = DecodePath::CudaGraph;
        const std::vector<int64_t> got = generate(m, prompt, o);
        QCOMPARE(got.size(), want.size());
        size_t same = 0;
        while (same < want.size() && got[same] == want[same]) ++same;
        if (same == want.size()) return;
        // The logits before the first difference, on the aten path.
        std::vector<int64_t> upTo = prompt;
        upTo.insert(upTo.end(), want.begin(), want.begin() + same);
        ForwardOptions f;
        f.logitsAt = LogitsAt::LastPosition;
        const at::Tensor row = m.forward(at::tensor(upTo).view({1, -1}), f).logits[0].to(at::kCPU);
        QVERIFY2(testing::decidedArgmax(row, got[same]) != -1,
                 qPrintable(QString("token %1: graph %2, aten %3, not a near tie")
                                .arg(same)
                                .arg(got[same])
                                .arg(want[same])));
    }
};

QTEST_APPLESS_MAIN(TestDecoderGpu)
#include "test_decoder_gpu.moc"
