// The tuner's model side: a forward pass resumed from saved streams equals the whole pass; the evaluator's
// objective (KL to the dense pass at the scored positions) against a direct computation; reuse of the dense
// prefix changes no score; racing checkpoints; removed scored positions; calibration data read and split.
#include <QtTest/QtTest>

#include <cmath>
#include <fstream>

#include "AtenOperators.h"

#include "core/Error.h"
#include "core/reduction/TokenReductionHook.h"
#include "core/text/Tokenizer.h"
#include "core/tune/CalibrationSet.h"
#include "core/tune/ModelEvaluator.h"
#include "ModelTestSupport.h"
#include "NumericTolerance.h"
#include "test_eval_support.h"

using namespace ssmlens;

namespace {

Mamba2Config sixLayers() {
    Mamba2Config c = testing::tinyConfig(2);
    c.nLayer = 6;
    return c;
}

// The streams after one block (shallow: the tensors as the model left them).
class Keep : public LayerHook {
public:
    explicit Keep(int64_t layer) : layer_(layer) {}
    void afterLayer(int64_t l, LayerStreams& s) override {
        if (l == layer_) streams = s;
    }
    LayerStreams streams;

private:
    int64_t layer_;
};

ReductionSchedule schedule(std::vector<ScheduleAnchor> anchors, HiddenStrategy h = HiddenStrategy::Hybrid) {
    ReductionSchedule s;
    s.anchors = std::move(anchors);
    s.options.hidden = h;
    return s;
}

CalibrationSet randomCalibration(int64_t vocab, int count, uint64_t seed) {
    CalibrationSet set;
    at::manual_seed(seed);
    for (int i = 0; i < count; ++i) {
        const int64_t n = 10 + (i * 7) % 17;
        at::Tensor t = at::randint(vocab, {n + 1}, at::kLong);
        CalibrationSequence s;
        s.ids.assign(t.data_ptr<int64_t>(), t.data_ptr<int64_t>() + n);
        s.firstScored = n - 1 - i % 4;
        s.targets.assign(t.data_ptr<int64_t>() + s.firstScored + 1, t.data_ptr<int64_t>() + n + 1);
        s.origin = "sequence " + std::to_string(i);
        set.sequences.push_back(s);
    }
    return set;
}

// The objective computed the slow way: each sequence alone, full logits, KL at each scored position.
double directObjective(const Mamba2Model& model, const CalibrationSet& set, const ReductionSchedule& s) {
    double sum = 0;
    for (const CalibrationSequence& q : set.sequences) {
        at::Tensor ids = at::tensor(q.ids, at::kLong).view({1, -1});
        const at::Tensor dense = at::log_softmax(model.forward(ids).logits[0].to(at::kDouble), -1);
        std::set<int64_t> span;
        for (int64_t p = q.firstScored; p < static_cast<int64_t>(q.ids.size()); ++p) span.insert(p);
        TokenReductionHook hook(s, {span});
        ForwardOptions o;
        o.hook = &hook;
        const at::Tensor reduced = at::log_softmax(model.forward(ids, o).logits[0].to(at::kDouble), -1);
        const std::vector<int64_t>& own = hook.survivorPositions(0);
        double kl = 0;
        for (int64_t p : span) {
            const int64_t row = std::lower_bound(own.begin(), own.end(), p) - own.begin();
            kl += (dense[p].exp() * (dense[p] - reduced[row])).sum().item<double>();
        }
        sum += kl / static_cast<double>(span.size());
    }
    return sum / static_cast<double>(set.sequences.size());
}

}  // namespace

class TestTuneEvaluator : public QObject {
    Q_OBJECT
    Mamba2Config config_ = sixLayers();
    Mamba2Model model_{config_, randomMamba2Weights(config_, 21)};

private slots:
    void resumedForwardEqualsTheWholePass() {
        at::Tensor ids = testing::randomIds(2, 15, config_.vocabSize, 3);
        const at::Tensor lengths = at::tensor(std::vector<int64_t>{15, 9}, at::kLong);
        for (const ReductionSchedule& s : {ReductionSchedule{}, schedule({{2, 0.7}, {4, 0.6}})}) {
            Keep keep(2);
            TokenReductionHook whole(s);
            HookChain chain;
            chain.add(&keep);
            chain.add(&whole);
            ForwardOptions o;
            o.lengths = lengths;
            o.hook = &chain;
            const at::Tensor expected = model_.forward(ids, o).logits;
            TokenReductionHook resumedHook(s);
            ForwardResume resume;
            resume.afterLayer = 2;
            resume.streams = keep.streams;
            ForwardOptions r;
            r.lengths = lengths;
            r.hook = &resumedHook;
            r.resume = &resume;
            const at::Tensor got = model_.forward(ids, r).logits;
            QVERIFY(at::equal(got, expected));  // the same code on the same inputs
            QCOMPARE(resumedHook.survivorPositions(1), whole.survivorPositions(1));
        }
        // Streams of other ids or lengths are refused.
        Keep keep(1);
        ForwardOptions o;
        o.hook = &keep;
        model_.forward(ids, o);
        ForwardResume resume;
        resume.afterLayer = 1;
        resume.streams = keep.streams;
        ForwardOptions r;
        r.lengths = lengths;  // the streams were made without these lengths
        r.resume = &resume;
        QVERIFY_THROWS_EXCEPTION(Error, model_.forward(ids, r));
        resume.afterLayer = 6;
        r.lengths = at::Tensor();
        QVERIFY_THROWS_EXCEPTION(Error, model_.forward(ids, r));
    }

    void objectiveIsTheKlAtTheScoredPositions() {
        const CalibrationSet set = randomCalibration(config_.vocabSize, 9, 4);
        ModelEvaluatorOptions opt;
        opt.batchSize = 4;
        ModelEvaluator ev(model_, set, opt);
        const CandidateScore dense = ev.score(ReductionSchedule{});
        QCOMPARE(dense.objective, 0.0);
        QVERIFY(testing::nearlyEqual(dense.nll, ev.denseNll(), 1e-12));  // summed in another order
        QVERIFY(ev.denseNll() > 1.0);  // random weights: a spread-out prediction
        QCOMPARE(ev.score(schedule({{1, 1.0}, {3, 1.0}})).objective, 0.0);  // ratio 1 changes nothing
        for (const ReductionSchedule& s : {schedule({{1, 0.7}, {3, 0.6}}), schedule({{0, 0.55}}, HiddenStrategy::Prune)}) {
            const CandidateScore got = ev.score(s);
            const double expected = directObjective(model_, set, s);
            QVERIFY(got.objective > 1e-4);
            QVERIFY2(testing::nearlyEqual(got.objective, expected, 1e-4),
                     qPrintable(QString("%1 vs %2").arg(got.objective).arg(expected)));
            QCOMPARE(got.lostPositions, int64_t(0));
            QCOMPARE(got.evaluatedFraction, 1.0);
            QCOMPARE(got.checkpoints.size(), ev.checkpointBatches().size());
        }
    }

    void densePrefixReuseChangesNoScore() {
        const CalibrationSet set = randomCalibration(config_.vocabSize, 11, 5);
        ModelEvaluatorOptions withCache, without;
        withCache.batchSize = without.batchSize = 3;
        without.prefixCacheBytes = 0;
        ModelEvaluator a(model_, set, withCache), b(model_, set, without);
        const std::vector<ReductionSchedule> list = {schedule({{2, 0.7}, {4, 0.8}}), schedule({{2, 0.6}}),
                                                     schedule({{4, 0.5}}), schedule({{1, 0.75}, {2, 0.9}}),
                                                     schedule({{2, 0.7}, {4, 0.8}})};
        std::vector<double> first;
        for (const ReductionSchedule& s : list) {
            const double x = a.score(s).objective, y = b.score(s).objective;
            QCOMPARE(x, y);
            first.push_back(x);
        }
        QCOMPARE(first.back(), first.front());  // the kept streams were not changed by later candidates
        // Every option of every method reads the kept streams without writing to them.
        for (const std::string& name : methodNames())
            for (ImportanceMetric m : {ImportanceMetric::Clip, ImportanceMetric::Raw, ImportanceMetric::L2})
                for (HiddenStrategy h : {HiddenStrategy::Hybrid, HiddenStrategy::Merge, HiddenStrategy::Prune})
                    for (ResidualStrategy r : {ResidualStrategy::Merge, ResidualStrategy::Prune})
                        for (Granularity g : {Granularity::Channel, Granularity::Token}) {
                            ReductionSchedule s = schedule({{2, 0.6}, {4, 0.7}});
                            s.method = parseMethodName(name);
                            s.options = {m, h, r, g, true};
                            const double x = a.score(s).objective, y = b.score(s).objective;
                            QVERIFY2(x == y, qPrintable(QString::fromStdString(name + " " + s.toJson()["options"].dump())));
                        }
        QCOMPARE(a.score(list.front()).objective, first.front());
        QVERIFY(a.resumedPasses() > 0);
        QVERIFY(a.cachedLayers() >= 2);
        QCOMPARE(b.resumedPasses(), int64_t(0));
    }

    void racingStopsAtACheckpoint() {
        const CalibrationSet set = randomCalibration(config_.vocabSize, 16, 6);
        ModelEvaluatorOptions opt;
        opt.batchSize = 2;  // 8 batches: checkpoints after 2 and 4
        ModelEvaluator ev(model_, set, opt);
        QCOMPARE(ev.checkpointBatches(), (std::vector<size_t>{2, 4}));
        const ReductionSchedule s = schedule({{1, 0.6}});
        const CandidateScore whole = ev.score(s, {}, nullptr, {1e9, 1e9});
        QVERIFY(whole.complete());
        QCOMPARE(whole.checkpoints.size(), size_t(2));
        const CandidateScore raced = ev.score(s, {}, nullptr, {0.0});
        QCOMPARE(raced.evaluatedFraction, 0.25);
        QCOMPARE(raced.checkpoints.size(), size_t(1));
        QCOMPARE(raced.checkpoints[0], whole.checkpoints[0]);
        QCOMPARE(raced.objective, whole.checkpoints[0]);
        const CandidateScore second = ev.score(s, {}, nullptr, {1e9, 0.0});
        QCOMPARE(second.evaluatedFraction, 0.5);
        bool stopped = false;
        ev.score(s, [] { return true; }, &stopped);
        QVERIFY(stopped);
    }

    void removedScoredPositionsCountAsUniformGuesses() {
        CalibrationSet set = randomCalibration(config_.vocabSize, 6, 7);
        for (auto& q : set.sequences) {  // long scored spans
            q.firstScored = 2;
            q.targets.assign(q.ids.begin() + 3, q.ids.end());
            q.targets.push_back(0);
        }
        ModelEvaluator ev(model_, set);
        ReductionSchedule s = schedule({{0, 0.5}, {1, 0.5}}, HiddenStrategy::Prune);
        s.options.protectScoringSpan = false;
        const CandidateScore lost = ev.score(s);
        QVERIFY(lost.lostPositions > 0);
        QVERIFY(std::isfinite(lost.objective) && lost.objective > 0);
        s.options.protectScoringSpan = true;
        QCOMPARE(ev.score(s).lostPositions, int64_t(0));
    }

    void calibrationFromTextTasksAndRandom() {
        QTemporaryDir dir;
        auto tok = loadTokenizer(testing::writeText(dir, "tokenizer.json", testing::tinyEvalTokenizerJson()));
        std::string text;
        for (int i = 0; i < 7; ++i)
            text += "paragraph " + std::to_string(i) + ": the cat sat on the mat in the sun while the water ran\n\n";
        const std::string file = testing::writeText(dir, "notes.txt", text);
        CalibrationOptions o;
        o.textWindow = 24;
        o.textScored = 5;
        const Mamba2Config big = testing::evalConfig();
        CalibrationData d = loadCalibration(parseCalibrationSources(file), tok.get(), big.vocabSize, o);
        // Paragraphs 1, 3, 5 are held out; each paragraph is cut into windows of at most 24 tokens.
        QVERIFY(!d.calibration.sequences.empty() && !d.heldout.sequences.empty());
        for (const CalibrationSet* set : {&d.calibration, &d.heldout})
            for (const CalibrationSequence& s : set->sequences) {
                const int64_t n = static_cast<int64_t>(s.ids.size());
                QVERIFY(n <= 24 && s.firstScored >= 1 && s.firstScored < n);
                QCOMPARE(static_cast<int64_t>(s.targets.size()), n - s.firstScored);
                QVERIFY(static_cast<int64_t>(s.targets.size()) <= 5);
                for (int64_t k = 0; s.firstScored + 1 + k < n; ++k) QCOMPARE(s.targets[k], s.ids[s.firstScored + 1 + k]);
                QCOMPARE(s.source, std::string("notes.txt"));
            }
        for (const auto& s : d.heldout.sequences) QVERIFY(QString::fromStdString(s.origin).contains(QRegularExpression("line (3|7|11)$")));
        QVERIFY(d.heldoutTasks.empty());

        // A task file: every second item held out, and its held-out items scored as eval scores them.
        const std::string lambada = SSMLENS_SOURCE_DIR "/resources/eval-samples/lambada_openai";
        d = loadCalibration(parseCalibrationSources("lambada_openai:" + lambada), tok.get(), big.vocabSize, o);
        QCOMPARE(d.calibration.sequences.size(), size_t(6));
        QCOMPARE(d.heldout.sequences.size(), size_t(6));
        QCOMPARE(d.heldoutTasks.size(), size_t(1));
        QCOMPARE(d.heldoutTasks[0].selection.shardIndex, int64_t(1));
        QCOMPARE(d.heldoutTasks[0].selection.shardCount, int64_t(2));
        const std::string fingerprint = d.calibration.fingerprint();
        d.calibration.sequences[3].ids[0] += 1;
        QVERIFY(d.calibration.fingerprint() != fingerprint);

        // Random ids, all for calibration.
        d = loadCalibration(parseCalibrationSources("random:5x30"), nullptr, 50, o);
        QCOMPARE(d.calibration.sequences.size(), size_t(5));
        QVERIFY(d.heldout.sequences.empty());
        for (const auto& s : d.calibration.sequences)
            for (int64_t id : s.ids) QVERIFY(id >= 0 && id < 50);

        // What cannot be read says which file and why.
        QVERIFY_THROWS_EXCEPTION(Error, parseCalibrationSources("data.bin"));
        QVERIFY_THROWS_EXCEPTION(Error, loadCalibration(parseCalibrationSources("random:5"), nullptr, 50, o));
        QCOMPARE(parseCalibrationSources("text:a.md,hellaswag:x,b/lambada_test.jsonl,c.txt").size(), size_t(4));
        QCOMPARE(parseCalibrationSources("b/lambada_test.jsonl")[0].kind, std::string("lambada_openai"));
        try {
            loadCalibration(parseCalibrationSources(file), tok.get(), 100, o);  // the tokenizer has ids up to 270
            QFAIL("ids outside the vocabulary were accepted");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("notes.txt"));
        }
        try {
            loadCalibration(parseCalibrationSources(dir.filePath("missing.txt").toStdString()), tok.get(), big.vocabSize, o);
            QFAIL("a missing file was accepted");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("missing.txt"));
        }
    }
};

QTEST_GUILESS_MAIN(TestTuneEvaluator)
#include "test_tune_evaluator.moc"
