// Accuracy runs: metrics computed by hand from per-choice scores (acc, acc_norm with code-point lengths,
// LAMBADA's greedy acc and perplexity, unscorable examples), deterministic subsets and shards, shard
// results merged into exactly the unsharded result, the JSON round trip, merge errors, progress over both
// passes, and the sweep grid.
#include <QtTest/QtTest>

#include <atomic>
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/eval/AccuracySweep.h"
#include "core/eval/EvalMetrics.h"
#include "core/eval/EvalResultJson.h"
#include "core/eval/EvalRun.h"
#include "core/eval/ShardMerge.h"
#include "core/eval/TaskReaders.h"
#include "test_eval_support.h"

using namespace ssmlens;

namespace {

ChoiceResult choice(double ll, const std::string& text, bool greedy = false, bool scorable = true) {
    ChoiceResult c;
    c.continuation = " " + text;
    c.normLength = double(QString::fromStdString(text).toStdU32String().size());  // Python len()
    c.dense.loglikelihood = ll;
    c.dense.greedy = greedy;
    c.reduced = c.dense;
    c.reduced.scorable = scorable;
    if (!scorable) c.reduced.loglikelihood = std::nan("");
    return c;
}

ReductionSchedule aggressive(bool protect = true) {
    ReductionSchedule s;
    s.anchors = {{0, 0.6}, {1, 0.7}};
    s.options.protectScoringSpan = protect;
    return s;
}

}  // namespace

class TestEvalRun : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<Tokenizer> tok_;
    Mamba2Config config_ = testing::evalConfig();
    Mamba2Model model_{config_, randomMamba2Weights(config_, 11)};
    EvalTaskData piqa_, lambada_;

private slots:
    void initTestCase() {
        tok_ = testing::tinyEvalTokenizer(dir_);
        piqa_ = loadEvalTask("piqa", SSMLENS_SOURCE_DIR "/resources/eval-samples");
        lambada_ = loadEvalTask("lambada_openai", SSMLENS_SOURCE_DIR "/resources/eval-samples");
    }

    void accNormDividesByCodePoints() {
        // B wins on loglikelihood; per code point A wins (-1.0 > -1.125). Per UTF-8 byte B would win
        // (-9/16), which is not what lm-eval computes: its completion_len is len(str).
        ExampleResult e;
        e.gold = 0;
        e.choices = {choice(-10, "abcdefghij"), choice(-9, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9")};
        QCOMPARE(e.choices[1].normLength, 8.0);
        const ExampleOutcome o = exampleOutcome(evalTask("piqa"), e, false);
        QCOMPARE(o.prediction, int64_t(1));
        QCOMPARE(o.predictionNorm, int64_t(0));
        QVERIFY(!o.acc && o.accNorm);
        // The reader computes the same lengths from a file.
        const std::string path = testing::writeText(dir_, "arc.jsonl",
            "{\"question\": {\"stem\": \"q\", \"choices\": [{\"text\": \"abcdefghij\", \"label\": \"A\"}, "
            "{\"text\": \"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\", \"label\": \"B\"}]}, \"answerKey\": \"A\"}\n");
        QCOMPARE(readArc(path, "arc_easy").examples[0].normLengths, (std::vector<double>{10, 8}));
    }

    void summaryByHand() {
        // Three PIQA-like examples; the third loses a scored position under reduction.
        std::vector<ExampleResult> ex(3);
        ex[0].gold = 0, ex[0].choices = {choice(-2, "ab"), choice(-3, "abc")};                    // acc 1, norm: -1 vs -1 -> 0
        ex[1].gold = 1, ex[1].choices = {choice(-4, "abcd"), choice(-5, "abcdefghij")};           // acc 0, norm -1 vs -0.5 -> 1
        ex[2].gold = 1, ex[2].choices = {choice(-6, "ab"), choice(-1, "abcdef", false, false)};   // acc 1 dense; unscorable
        EvalSummary s = summarizeEval("piqa", ex, true);
        QCOMPARE(s.metrics.size(), size_t(2));
        QCOMPARE(s.metrics[0].dense, 2.0 / 3.0);
        QCOMPARE(s.metrics[1].dense, 3.0 / 3.0);
        QCOMPARE(s.metrics[0].reduced, 1.0 / 3.0);  // the unscorable example counts wrong
        QCOMPARE(s.metrics[1].reduced, 2.0 / 3.0);
        QCOMPARE(s.unscorableExamples, int64_t(1));
        QCOMPARE(s.unscorableRequests, int64_t(1));
        // lm-eval's mean_stderr: sample std / sqrt(n); for 2 of 3 right: sqrt(1/3) / sqrt(3) = 1/3.
        QVERIFY(std::abs(s.metrics[0].denseStderr - 1.0 / 3.0) < 1e-12);

        // LAMBADA: acc is the greedy flag, perplexity exp(-mean ll) (unscorable examples left out).
        std::vector<ExampleResult> lam(3);
        lam[0].choices = {choice(-1.0, "a", true)};
        lam[1].choices = {choice(-2.0, "b", false)};
        lam[2].choices = {choice(-4.5, "c", true, false)};
        EvalSummary l = summarizeEval("lambada_openai", lam, true);
        QCOMPARE(evalMetricName(l.metrics[0].metric), std::string("perplexity"));
        QVERIFY(std::abs(l.metrics[0].dense - std::exp(7.5 / 3)) < 1e-9);
        QVERIFY(std::abs(l.metrics[0].reduced - std::exp(1.5)) < 1e-9);
        QCOMPARE(l.metrics[1].dense, 2.0 / 3.0);
        QCOMPARE(l.metrics[1].reduced, 1.0 / 3.0);
    }

    void runMatchesItsOwnScores() {
        EvalSettings settings;
        settings.schedule = aggressive();
        EvalResult r = runEvaluation(model_, *tok_, piqa_, settings);
        QCOMPARE(r.examples.size(), piqa_.examples.size());
        QVERIFY(r.reduced);
        // Recompute acc and acc_norm from the per-choice loglikelihoods.
        double acc[2] = {0, 0}, norm[2] = {0, 0};
        for (const ExampleResult& e : r.examples) {
            QCOMPARE(e.choices.size(), size_t(2));
            for (int v = 0; v < 2; ++v) {
                const RequestScore &a = v ? e.choices[0].reduced : e.choices[0].dense,
                                   &b = v ? e.choices[1].reduced : e.choices[1].dense;
                QVERIFY(a.scorable && b.scorable);  // protected span
                acc[v] += (b.loglikelihood > a.loglikelihood ? 1 : 0) == e.gold;
                norm[v] += (b.loglikelihood / e.choices[1].normLength > a.loglikelihood / e.choices[0].normLength ? 1 : 0) == e.gold;
            }
        }
        const double n = double(r.examples.size());
        QCOMPARE(r.summary.metrics[0].dense, acc[0] / n);
        QCOMPARE(r.summary.metrics[0].reduced, acc[1] / n);
        QCOMPARE(r.summary.metrics[1].dense, norm[0] / n);
        QCOMPARE(r.summary.metrics[1].reduced, norm[1] / n);
        QVERIFY(r.summary.tokenReductionPercent > 10 && r.summary.flopsReductionPercent > 5);
        QVERIFY(r.summary.measuredTokenReductionPercent > 10);
        QCOMPARE(r.summary.unscorableExamples, int64_t(0));
        // Without protection some scored positions go, and those examples are counted.
        settings.schedule = aggressive(false);
        settings.schedule->anchors = {{0, 0.5}, {1, 0.5}};
        EvalResult lam = runEvaluation(model_, *tok_, lambada_, settings);
        QVERIFY(lam.summary.unscorableExamples > 0);
    }

    void subsetsAndShardsAreDeterministic() {
        ExampleSelection s;
        s.limit = 5;
        QCOMPARE(selectExamples(12, s), (std::vector<int64_t>{0, 1, 2, 3, 4}));  // lm-eval's --limit: the first N
        s.seed = 7;
        const auto a = selectExamples(12, s), b = selectExamples(12, s);
        QCOMPARE(a, b);
        QCOMPARE(a.size(), size_t(5));
        QVERIFY(std::is_sorted(a.begin(), a.end()));
        s.seed = 8;
        QVERIFY(selectExamples(12, s) != a);
        s.seed = 7;
        std::vector<int64_t> all;
        for (int64_t i = 0; i < 3; ++i) {
            s.shardIndex = i, s.shardCount = 3;
            for (int64_t d : selectExamples(12, s)) all.push_back(d);
        }
        std::sort(all.begin(), all.end());
        QCOMPARE(all, a);
        QCOMPARE(parseShard("1/4"), std::make_pair(int64_t(1), int64_t(4)));
        for (const char* bad : {"4/4", "-1/2", "1", "a/b", "1/0"})
            QVERIFY(testing::errorOf([&] { parseShard(bad); }).find("expected i/n") != std::string::npos);
    }

    void shardsMergeIntoTheUnshardedResult() {
        EvalSettings settings;
        settings.schedule = aggressive();
        settings.selection.limit = 9;
        settings.selection.seed = 3;
        settings.scoring.batchSize = 1;  // identical batches, so identical floating-point sums
        const EvalResult whole = runEvaluation(model_, *tok_, lambada_, settings);
        QCOMPARE(whole.examples.size(), size_t(9));
        std::vector<EvalResult> shards;
        std::vector<std::string> names;
        for (int64_t i : {2, 0, 1}) {
            settings.selection.shardIndex = i;
            settings.selection.shardCount = 3;
            const std::string path = dir_.filePath(QString("shard%1.json").arg(i)).toStdString();
            saveEvalResult(runEvaluation(model_, *tok_, lambada_, settings), path);
            shards.push_back(loadEvalResult(path));
            names.push_back(path);
        }
        const EvalResult merged = mergeShards(shards, names);
        QCOMPARE(evalResultToJson(merged).dump(), evalResultToJson(whole).dump());

        // Merge errors.
        QVERIFY(testing::errorOf([&] { mergeShards({shards[0], shards[1]}, {"a", "b"}); }).find("shard 1/3 is missing") !=
                std::string::npos);
        QVERIFY(testing::errorOf([&] { mergeShards({shards[0], shards[0], shards[1]}, {"a", "b", "c"}); })
                    .find("b: shard 2/3 is also in a") != std::string::npos);
        EvalResult other = shards[1];
        other.task = "piqa";
        QVERIFY(testing::errorOf([&] { mergeShards({shards[0], other, shards[2]}, {"a", "b", "c"}); })
                    .find("b: its task (piqa vs lambada_openai) differs") != std::string::npos);
        other = shards[1];
        other.schedule.anchors[0].keepRatio = 0.9;
        QVERIFY(testing::errorOf([&] { mergeShards({shards[0], other, shards[2]}, {"a", "b", "c"}); })
                    .find("schedule differs") != std::string::npos);
    }

    void jsonRoundTripAndBadFiles() {
        EvalSettings settings;
        settings.selection.limit = 4;
        const EvalResult dense = runEvaluation(model_, *tok_, piqa_, settings);
        QVERIFY(!dense.reduced);
        const std::string path = dir_.filePath("dense.json").toStdString();
        saveEvalResult(dense, path);
        const EvalResult back = loadEvalResult(path);
        QCOMPARE(evalResultToJson(back).dump(), evalResultToJson(dense).dump());
        const nlohmann::json j = evalResultToJson(dense);
        QCOMPARE(j["examples"][0]["choices"][0]["context"].get<std::string>(), piqa_.examples[0].requests[0].context);
        QVERIFY(j["summary"]["metrics"][0].contains("dense") && !j["summary"]["metrics"][0].contains("reduced"));
        const std::string bad = testing::writeText(dir_, "bad.json", "{\"format\": \"something-else\"}");
        QVERIFY(testing::errorOf([&] { loadEvalResult(bad); }).find("bad.json: not an SSM Lens eval result") != std::string::npos);
        const std::string broken = testing::writeText(dir_, "broken.json", "{\"format\": ");
        QVERIFY(testing::errorOf([&] { loadEvalResult(broken); }).find("broken.json: not valid JSON") != std::string::npos);
    }

    void progressSpansBothPassesAndCancels() {
        EvalSettings settings;
        settings.schedule = aggressive();
        settings.scoring.batchSize = 4;
        std::vector<std::pair<int64_t, int64_t>> calls;
        settings.scoring.progress = [&](int64_t done, int64_t total) { calls.emplace_back(done, total); };
        runEvaluation(model_, *tok_, piqa_, settings);
        const int64_t requests = 2 * int64_t(piqa_.examples.size());
        QCOMPARE(calls.back(), std::make_pair(2 * requests, 2 * requests));
        QVERIFY(std::is_sorted(calls.begin(), calls.end()));
        std::atomic<bool> cancel{true};
        settings.scoring.cancel = &cancel;
        bool thrown = false;
        try {
            runEvaluation(model_, *tok_, piqa_, settings);
        } catch (const EvalCancelled&) {
            thrown = true;
        }
        QVERIFY(thrown);
    }

    void sweepGrid() {
        SweepSettings s;
        s.methods = {ReductionMethod::Utr, ReductionMethod::Evit};
        s.keepRatios = {1.0, 0.6};
        s.selection.limit = 6;
        std::vector<SweepPoint> points = runSweep(model_, *tok_, {piqa_, lambada_}, s);
        QCOMPARE(points.size(), size_t(8));
        for (const SweepPoint& p : points) {
            if (p.keepRatio == 1.0) {
                QCOMPARE(p.summary.tokenReductionPercent, 0.0);
                for (const auto& m : p.summary.metrics) QCOMPARE(m.reduced, m.dense);
            } else {
                QVERIFY(p.summary.tokenReductionPercent > 0);
            }
        }
        // Dense is scored once per task: every point of a task shows the same dense column.
        QCOMPARE(points[0].summary.metrics[0].dense, points[3].summary.metrics[0].dense);
        const std::string csv = sweepToCsv(points);
        QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), 1 + 8 * 2);
        QVERIFY(csv.rfind("task,method,keep_ratio,metric,dense,reduced", 0) == 0);
        const nlohmann::json j = sweepToJson(points, s, config_.nLayer);
        QCOMPARE(j["points"].size(), size_t(8));
        QCOMPARE(j["points"][1]["schedule"]["method"].get<std::string>(), std::string("utr"));
    }

    // Both scoring modes in one sweep: paper scoring pools the tasks' requests into one lm-eval ordering
    // (checked against scoring the pooled requests directly), ratio 1 is dense in both modes, and the
    // Markdown table has a column per metric and mode.
    void sweepInBothScoringModes() {
        SweepSettings s;
        s.methods = {ReductionMethod::UtrReference, ReductionMethod::Positional};
        s.keepRatios = {1.0, 0.6};
        s.scorings = {ScoringMode::Correct, ScoringMode::Paper};
        s.selection.limit = 6;
        s.scoring.batchSize = 5;
        const std::vector<SweepPoint> points = runSweep(model_, *tok_, {piqa_, lambada_}, s);
        QCOMPARE(points.size(), size_t(2 * 2 * 2 * 2));
        // The order: task, method, ratio, mode.
        QCOMPARE(points[0].scoring, ScoringMode::Correct);
        QCOMPARE(points[1].scoring, ScoringMode::Paper);
        QCOMPARE(points[3].keepRatio, 0.6);
        QCOMPARE(points[8].task, std::string("lambada_openai"));
        for (const SweepPoint& p : points)
            if (p.keepRatio == 1.0)
                for (const auto& m : p.summary.metrics) QCOMPARE(m.reduced, m.dense);

        // Paper scoring, by hand: both tasks' requests in one call.
        const PreparedEval pp = prepareEval(*tok_, piqa_, s.selection), pl = prepareEval(*tok_, lambada_, s.selection);
        std::vector<TokenizedRequest> pooled = pp.requests;
        pooled.insert(pooled.end(), pl.requests.begin(), pl.requests.end());
        ReductionSchedule ref = depthScaledSchedule(config_.nLayer, 0.6, ReductionMethod::UtrReference);
        ScoringOptions o = s.scoring;
        o.mode = ScoringMode::Paper;
        const std::vector<RequestScore> all = scoreLoglikelihoods(model_, pooled, &ref, o);
        const std::vector<RequestScore> lambadaPart(all.begin() + pp.requests.size(), all.end());
        const std::vector<RequestScore> dense = scoreLoglikelihoods(model_, pl.requests, nullptr, o);
        const EvalResult byHand = assembleEval(pl, model_, o, dense, &ref, &lambadaPart);
        const SweepPoint& sweptPaper = points[8 + 3];  // lambada, utr-reference, 0.6, paper
        QCOMPARE(sweptPaper.method, ReductionMethod::UtrReference);
        QCOMPARE(sweptPaper.scoring, ScoringMode::Paper);
        QCOMPARE(sweptPaper.summary.metrics[0].reduced, byHand.summary.metrics[0].reduced);
        QCOMPARE(sweptPaper.summary.misreadRequests, byHand.summary.misreadRequests);

        const std::string csv = sweepToCsv(points);
        QVERIFY(csv.find(",scoring,misread_requests,short_read_requests\n") != std::string::npos);
        QVERIFY(csv.find(",paper,") != std::string::npos);
        const std::string md = sweepToMarkdown(points);
        for (const char* want : {"**piqa** (6 examples)", "**lambada_openai** (6 examples)", "| dense | 1 | 0.0 |",
                                 "| acc | acc (paper) | acc_norm | acc_norm (paper) | unscorable | misread (paper) |",
                                 "| perplexity | perplexity (paper) | acc | acc (paper) |", "| utr-reference | 0.6 |",
                                 "| positional | 0.6 |"})
            QVERIFY2(md.find(want) != std::string::npos, want);
        QCOMPARE(std::count(md.begin(), md.end(), '\n'), 2 * 8);  // per task: heading, blank, head, rule, dense, 2 rows, blank
        const nlohmann::json j = sweepToJson(points, s, config_.nLayer);
        QCOMPARE(j["points"][1]["scoring"].get<std::string>(), std::string("paper"));
        QCOMPARE(j["batch_size"].get<int64_t>(), int64_t(5));
    }
};

QTEST_APPLESS_MAIN(TestEvalRun)
#include "test_eval_run.moc"
