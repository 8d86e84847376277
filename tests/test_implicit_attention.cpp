// The implicit attention matrix M of a Mamba-2 layer (core/attention/ImplicitAttention.h, PassKernels.h):
// y = M x + D x reproduces the forward pass's SSM output (chunked scan and the plain recurrence) for both
// checkpoint layouts, ngroups 1 and > 1, D per head and per channel, lengths across chunk and tile borders;
// a hand-worked example; the decay exponents keep their precision on long prompts; heads, aggregates and
// normalised rows; prompt coordinates; the reduced pass's matrices placed by its provenance.
#include <QtTest/QtTest>

#include <cmath>

#include "AtenOperators.h"

#include "core/Error.h"
#include "core/attention/ImplicitAttention.h"
#include "core/attention/PassKernels.h"
#include "core/model/Checkpoint.h"
#include "core/model/Mamba2Model.h"
#include "core/reduction/ReductionRun.h"
#include "ModelTestSupport.h"
#include "NumericTolerance.h"

using namespace ssmlens;
using testing::relativeError;

namespace {

// Everything y = M x + D x needs, recorded from one forward pass.
std::set<std::pair<int64_t, HookPoint>> kernelAndOutputPoints(int64_t layers) {
    auto points = ssmKernelHookPoints(layers);
    for (int64_t l = 0; l < layers; ++l) {
        points.insert({l, HookPoint::SsmInput});
        points.insert({l, HookPoint::SsmOutput});
    }
    return points;
}

// y[t, h, p] = sum_s M[h, t, s] x[s, h, p] + D x[t, h, p]; M [H, T, T], x [T, H, P]. Returns [T, H, P].
at::Tensor applyAttention(const Mamba2Config& c, const at::Tensor& d, const at::Tensor& m, const at::Tensor& x) {
    at::Tensor mx = at::matmul(m, x.permute({1, 0, 2})).permute({1, 0, 2});  // [T, H, P]
    at::Tensor skip = c.dHasHdim ? d.view({c.nHeads(), c.headdim}) : d.view({c.nHeads(), 1});
    return mx + x * skip;
}

// A checkpoint written in `layout` and loaded back: the matrices must come from what users load.
Mamba2Model savedAndLoaded(const Mamba2Config& c, uint64_t seed, SaveFormat format, const QString& dir) {
    saveCheckpoint(dir.toStdString(), c, randomMamba2Weights(c, seed), format);
    return Mamba2Model::load(dir.toStdString());
}

// An independently computed M of one head by the definition, in fp64: [T, T].
at::Tensor definitionFp64(const SsmKernel& k, int64_t h) {
    const int64_t T = k.tokens(), G = k.B.size(1), H = k.heads();
    const int64_t g = h / (H / G);
    at::Tensor B = k.B.to(at::kDouble).select(1, g), C = k.C.to(at::kDouble).select(1, g);  // [T, N]
    at::Tensor a = (k.dt.to(at::kDouble).select(1, h) * k.A.to(at::kDouble)[h]);          // [T]
    at::Tensor m = at::zeros({T, T}, at::kDouble);
    auto acc = m.accessor<double, 2>();
    at::Tensor cb = at::matmul(C, B.t());
    auto cba = cb.accessor<double, 2>();
    auto aa = a.accessor<double, 1>();
    at::Tensor dt = k.dt.to(at::kDouble).select(1, h).contiguous();
    auto dta = dt.accessor<double, 1>();
    for (int64_t t = 0; t < T; ++t) {
        double decay = 0;  // sum_{k=s+1..t} a_k, built from the diagonal down
        for (int64_t s = t; s >= 0; --s) {
            acc[t][s] = cba[t][s] * std::exp(decay) * dta[s];
            decay += aa[s];
        }
    }
    return m;
}

}  // namespace

class TestImplicitAttention : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

private slots:
    void reproducesTheForwardPass_data() {
        QTest::addColumn<int>("groups");
        QTest::addColumn<int>("length");
        QTest::addColumn<bool>("huggingFace");
        QTest::addColumn<bool>("dPerChannel");
        QTest::addColumn<int>("rowsPerTile");
        // chunk 4: lengths inside one chunk, on a border, across borders; tiles of 3 rows cross those too.
        QTest::newRow("state-spaces, ngroups 1, L 1") << 1 << 1 << false << false << 0;
        QTest::newRow("state-spaces, ngroups 1, L 4") << 1 << 4 << false << false << 0;
        QTest::newRow("state-spaces, ngroups 1, L 9") << 1 << 9 << false << false << 3;
        QTest::newRow("state-spaces, ngroups 2, L 13") << 2 << 13 << false << false << 0;
        QTest::newRow("state-spaces, ngroups 3, L 7, D per channel") << 3 << 7 << false << true << 2;
        QTest::newRow("Hugging Face, ngroups 1, L 5") << 1 << 5 << true << false << 0;
        QTest::newRow("Hugging Face, ngroups 2, L 11") << 2 << 11 << true << false << 3;
        QTest::newRow("Hugging Face, ngroups 3, L 17") << 3 << 17 << true << false << 1;
    }
    void reproducesTheForwardPass() {
        QFETCH(int, groups);
        QFETCH(int, length);
        QFETCH(bool, huggingFace);
        QFETCH(bool, dPerChannel);
        QFETCH(int, rowsPerTile);
        Mamba2Config c = testing::tinyConfig(groups, /*chunk=*/4);
        c.dHasHdim = dPerChannel;
        const QString dir = tmp_.filePath(QString("m%1-%2-%3-%4").arg(groups).arg(length).arg(huggingFace).arg(dPerChannel));
        Mamba2Model model = savedAndLoaded(c, 40 + groups, huggingFace ? SaveFormat::HuggingFaceSafetensors
                                                                        : SaveFormat::StateSpacesBin, dir);
        QCOMPARE(model.config().dHasHdim, dPerChannel);
        at::Tensor ids = testing::randomIds(1, length, c.vocabSize, 7 + length);
        for (ScanMode scan : {ScanMode::Chunked, ScanMode::Recurrent}) {
            ActivationRecorder rec(kernelAndOutputPoints(c.nLayer), {true, true});
            ForwardOptions o;
            o.probe = &rec;
            o.scan = scan;
            model.forward(ids, o);
            PassKernels k = passKernelsFrom(rec, c.nLayer, length);
            for (int64_t l = 0; l < c.nLayer; ++l) {
                at::Tensor m = implicitAttention(k.layers[l], {}, {rowsPerTile});
                QCOMPARE(m.sizes().vec(), (std::vector<int64_t>{c.nHeads(), length, length}));
                at::Tensor y = applyAttention(c, model.weights().layers[l].d, m, rec.get(l, HookPoint::SsmInput)[0]);
                const double err = relativeError(y, rec.get(l, HookPoint::SsmOutput)[0]);
                QVERIFY2(err < testing::kReorderedFp32Relative,
                         qPrintable(QString("layer %1, %2 scan: M x + D x differs from the SSM output by %3")
                                        .arg(l)
                                        .arg(scan == ScanMode::Chunked ? "chunked" : "recurrent")
                                        .arg(err)));
                // Causal: nothing above the diagonal.
                QCOMPARE(at::triu(m, 1).abs().max().item<float>(), 0.0f);
            }
        }
    }

    void hookPointNames() {
        // Every name parses back to its layer and point; bad names say what is wrong.
        for (HookPoint p : allHookPoints()) {
            const NamedHookPoint n = parseHookPointName(hookPointName(7, p), 8);
            QCOMPARE(n.layer, int64_t(7));
            QVERIFY(n.point == p);
        }
        QCOMPARE(QString::fromStdString(hookPointName(3, HookPoint::Pattern)), QString("blocks.3.hook_pattern"));
        auto message = [](const std::string& name) {
            try {
                parseHookPointName(name, 8);
            } catch (const Error& e) {
                return QString(e.what());
            }
            return QString();
        };
        QVERIFY(message("blocks.8.hook_B").contains("does not exist"));
        QVERIFY(message("blocks.-1.hook_B").contains("not a layer number"));
        QVERIFY(message("blocks.99999999999999.hook_B").contains("not a layer number"));
        QVERIFY(message("blocks.1.hook_b").contains("unknown hook"));
        QVERIFY(message("layers.1.hook_B").contains("blocks."));
        QVERIFY(message("blocks.1").contains("no layer number") || message("blocks.1").contains("unknown hook"));
    }

    void handWorkedExample() {
        // One head, one group, N = 1: M[t, s] = C_t B_s exp(-sum_{k=s+1..t} dt_k) dt_s with A = -1.
        SsmKernel k;
        k.B = at::tensor({1.0f, 2.0f, 3.0f}).view({3, 1, 1});
        k.C = at::tensor({1.0f, 1.0f, 2.0f}).view({3, 1, 1});
        k.dt = at::tensor({0.5f, 1.0f, 2.0f}).view({3, 1});
        k.A = at::tensor({-1.0f});
        at::Tensor m = implicitAttention(k, {0});
        const double expected[3][3] = {{0.5, 0, 0}, {0.5 * std::exp(-1.0), 2.0, 0}, {std::exp(-3.0), 4 * std::exp(-2.0), 12.0}};
        for (int t = 0; t < 3; ++t)
            for (int s = 0; s < 3; ++s)
                QVERIFY2(testing::nearlyEqual(m[t][s].item<double>(), expected[t][s], 1e-6),
                         qPrintable(QString("M[%1, %2] = %3, expected %4").arg(t).arg(s).arg(m[t][s].item<double>()).arg(expected[t][s])));
    }

    void agreesWithTheDefinitionInFp64() {
        // Random kernels of several groups: every head against the definition summed in fp64.
        at::manual_seed(3);
        const int64_t T = 23, G = 2, H = 6, N = 5;
        SsmKernel k{at::randn({T, G, N}), at::randn({T, G, N}), at::rand({T, H}) * 0.9 + 0.05, -at::rand({H}) * 4 - 0.1};
        at::Tensor all = implicitAttention(k, {}, {5});
        for (int64_t h = 0; h < H; ++h) {
            const double err = relativeError(all[h], definitionFp64(k, h));
            QVERIFY2(err < testing::kReorderedFp32Relative, qPrintable(QString("head %1: %2").arg(h).arg(err)));
        }
    }

    void decayKeepsItsPrecisionOnLongPrompts() {
        // dt = 0.7, A = -1.3, B = C = 1: M[t, s] = exp(-0.91 (t - s)) * 0.7. After 4000 steps the cumulative
        // exponent is about -3640; as a difference of fp32 cumulative sums, exp(-0.91) next to the diagonal would be
        // right to only ~1e-4 there (0.7 and 1.3 are not exact in binary, so the sums round).
        const int64_t T = 4000;
        const float dt = 0.7f, a = -1.3f;
        SsmKernel k{at::ones({T, 1, 1}), at::ones({T, 1, 1}), at::full({T, 1}, dt), at::tensor({a})};
        at::Tensor m = implicitAttention(k, {0}, {257});
        const double step = double(dt) * double(a);
        for (int64_t t : {int64_t(5), int64_t(2048), T - 1}) {
            QVERIFY2(testing::nearlyEqual(m[t][t - 1].item<double>(), std::exp(step) * dt, 1e-6),
                     qPrintable(QString("M[%1, %2] = %3").arg(t).arg(t - 1).arg(m[t][t - 1].item<double>(), 0, 'g', 9)));
            QVERIFY(testing::nearlyEqual(m[t][t - 5].item<double>(), std::exp(5 * step) * dt, 1e-6));
            QVERIFY(testing::nearlyEqual(m[t][t].item<double>(), double(dt), 1e-6));
        }
    }

    void headsAggregatesAndNormalisedRows() {
        at::manual_seed(5);
        const int64_t T = 10, G = 3, H = 6, N = 4;
        SsmKernel k{at::randn({T, G, N}), at::randn({T, G, N}), at::rand({T, H}) + 0.1, -at::rand({H}) - 0.2};
        at::Tensor all = implicitAttention(k);
        for (int64_t h = 0; h < H; ++h)
            QVERIFY(relativeError(implicitAttention(k, {h, HeadAggregate::None}, {4}), all[h]) < 1e-6);
        QVERIFY(relativeError(implicitAttention(k, {-1, HeadAggregate::Mean}), all.mean(0)) < 1e-6);
        QVERIFY(relativeError(implicitAttention(k, {-1, HeadAggregate::MaxAbs}), all.abs().amax(0)) < 1e-6);
        // Random B and C make some entries negative: the max aggregate is of magnitudes.
        QVERIFY(all.min().item<float>() < 0);
        at::Tensor normalized = all.abs() / all.abs().sum(-1, true);
        QVERIFY(relativeError(implicitAttention(k, {-1, HeadAggregate::None, true}, {3}), normalized) < 1e-6);
        at::Tensor meanRows = implicitAttention(k, {-1, HeadAggregate::Mean, true});
        QVERIFY(relativeError(meanRows, normalized.mean(0)) < 1e-6);
        QVERIFY(relativeError(meanRows.sum(-1), at::ones({T})) < 1e-6);

        QVERIFY_THROWS_EXCEPTION(Error, implicitAttention(k, {H}));
        QVERIFY_THROWS_EXCEPTION(Error, implicitAttention(k, {0, HeadAggregate::Mean}));
        SsmKernel bad = k;
        bad.dt = at::ones({T + 1, H});
        QVERIFY_THROWS_EXCEPTION(Error, implicitAttention(bad));
    }

    void promptCoordinatesAndReceived() {
        at::Tensor m = at::tensor({1.0f, 0.0f, 0.0f, 0.5f, 0.5f, 0.0f, 0.25f, 0.25f, 0.5f}).view({3, 3});
        at::Tensor p = toPromptCoordinates(m, {0, 2, 3}, 5);
        QCOMPARE(p.sizes().vec(), (std::vector<int64_t>{5, 5}));
        for (int64_t i = 0; i < 5; ++i) {
            QVERIFY(std::isnan(p[1][i].item<float>()) && std::isnan(p[i][1].item<float>()));
            QVERIFY(std::isnan(p[4][i].item<float>()) && std::isnan(p[i][4].item<float>()));
        }
        QCOMPARE(p[3][2].item<float>(), 0.25f);
        QCOMPARE(p[2][0].item<float>(), 0.5f);
        QCOMPARE(p[0][3].item<float>(), 0.0f);
        // Received: column sums over the rows present.
        at::Tensor r = attentionReceived(p);
        QCOMPARE(r[0].item<float>(), 1.75f);
        QCOMPARE(r[2].item<float>(), 0.75f);
        QCOMPARE(r[3].item<float>(), 0.5f);
        QVERIFY(std::isnan(r[1].item<float>()) && std::isnan(r[4].item<float>()));
        QVERIFY_THROWS_EXCEPTION(Error, toPromptCoordinates(m, {0, 2}, 5));
        QVERIFY_THROWS_EXCEPTION(Error, toPromptCoordinates(m, {2, 0, 3}, 5));
    }

    void reducedPassFollowsItsProvenance() {
        Mamba2Config c = testing::tinyConfig(2, 4);
        c.nLayer = 4;
        Mamba2Model model(c, randomMamba2Weights(c, 17));
        const int64_t T = 15;
        at::Tensor idsT = testing::randomIds(1, T, c.vocabSize, 23);
        std::vector<int64_t> ids(idsT.data_ptr<int64_t>(), idsT.data_ptr<int64_t>() + T);
        ReductionSchedule schedule;
        schedule.anchors = {{0, 0.6}, {1, 0.7}};
        ActivationRecorder denseRec(ssmKernelHookPoints(c.nLayer), {false, true});
        ActivationRecorder reducedRec(kernelAndOutputPoints(c.nLayer), {false, true});
        ReductionRunOptions options;
        options.denseProbe = &denseRec;
        options.reducedProbe = &reducedRec;
        ReductionRunResult run = runReduction(model, ids, schedule, nullptr, options);
        PassKernels dense = passKernelsFrom(denseRec, c.nLayer, T);
        PassKernels reduced = passKernelsFrom(reducedRec, c.nLayer, T, &run.trace);

        // Layer 0 runs before any anchor: the same matrix as the dense pass, bit for bit.
        QVERIFY(at::equal(reduced.promptAttention(0), dense.promptAttention(0)));
        QCOMPARE(static_cast<int64_t>(reduced.positions[0].size()), T);
        // After the anchors fewer tokens, at the positions the provenance gives.
        QVERIFY2(reduced.positions[2].size() < reduced.positions[1].size() &&
                     static_cast<int64_t>(reduced.positions[1].size()) < T,
                 "the schedule must remove tokens at both anchors, or this test checks nothing");
        QCOMPARE(reduced.positions[2], run.trace.survivorPositions);
        for (int64_t l = 0; l < c.nLayer; ++l) {
            const auto& pos = reduced.positions[l];
            QCOMPARE(static_cast<int64_t>(pos.size()), run.trace.layers[l].tokensIn);
            QVERIFY(std::is_sorted(pos.begin(), pos.end()));
            QCOMPARE(pos.back(), T - 1);  // the last token is protected
            at::Tensor m = reduced.promptAttention(l, {-1, HeadAggregate::None});
            QCOMPARE(m.sizes().vec(), (std::vector<int64_t>{c.nHeads(), T, T}));
            // Finite exactly in the rows and columns of the tokens present, and there equal to the layer's own M.
            at::Tensor index = at::tensor(pos, at::kLong);
            at::Tensor present = at::zeros({T}, at::kBool).index_fill_(0, index, true);
            at::Tensor finite = m.isnan().logical_not();
            QVERIFY(at::equal(finite[0], present.unsqueeze(1).logical_and(present.unsqueeze(0))));
            at::Tensor compact = m.index_select(1, index).index_select(2, index);
            QVERIFY(at::equal(compact, implicitAttention(reduced.layers[l])));
            // And that M reproduces the reduced pass's own SSM output.
            at::Tensor y = applyAttention(c, model.weights().layers[l].d, compact,
                                          reducedRec.get(l, HookPoint::SsmInput)[0]);
            QVERIFY(relativeError(y, reducedRec.get(l, HookPoint::SsmOutput)[0]) < testing::kReorderedFp32Relative);
            // A token merged at this anchor goes to a token that is still there at the next layer.
            if (l + 1 < c.nLayer && run.trace.layers[l].anchor)
                for (int64_t p = 0; p < T; ++p)
                    if (run.trace.layers[l].fate[p] == 1) {
                        const auto& next = reduced.positions[l + 1];
                        QVERIFY(std::binary_search(next.begin(), next.end(), run.trace.layers[l].destination[p]));
                        QVERIFY(!std::binary_search(next.begin(), next.end(), p));
                    }
        }
        // A provenance that names another number of tokens than the pass saw is an error, not a wrong picture.
        TokenTrace broken = run.trace;
        broken.layers[2].fate[reduced.positions[2][0]] = -1;
        QVERIFY_THROWS_EXCEPTION(Error, passKernelsFrom(reducedRec, c.nLayer, T, &broken));
    }
};

QTEST_GUILESS_MAIN(TestImplicitAttention)
#include "test_implicit_attention.moc"
