// Loglikelihood scoring on a tiny random model: lm-eval's request encoding, sums checked against a direct
// forward + log_softmax, batches equal single requests, reduction at ratio 1 equals dense bit for bit, the
// protected span is never read from a removed position, the window, progress and cancellation.
#include <QtTest/QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <set>

#include "AtenOperators.h"

#include "core/eval/LoglikelihoodScorer.h"
#include "core/eval/RequestEncoding.h"
#include "core/reduction/TokenReductionHook.h"
#include "NumericTolerance.h"
#include "test_eval_support.h"

using namespace ssmlens;

namespace {

struct Direct {
    double ll = 0;
    bool greedy = true;
    bool scorable = true;
    // false when a continuation token is in a near-tie for the argmax (NumericTolerance.h): the scorer's
    // batched pass may then decide `greedy` the other way, and the flag is not compared.
    bool greedyDecided = true;
};

// lm-eval's computation written out for one request: the model reads (context + continuation)[:-1]
// (left-truncated to maxLength + 1 tokens first); each continuation token is predicted by the position
// before it. With a hook, logits rows are found through the hook's survivor positions.
Direct direct(const Mamba2Model& model, const TokenizedRequest& r, int64_t maxLength = 0,
              TokenReductionHook* hook = nullptr) {
    std::vector<int64_t> all = r.context;
    all.insert(all.end(), r.continuation.begin(), r.continuation.end());
    if (maxLength > 0 && int64_t(all.size()) > maxLength + 1) all.erase(all.begin(), all.end() - (maxLength + 1));
    const std::vector<int64_t> input(all.begin(), all.end() - 1);
    ForwardOptions o;
    o.hook = hook;
    at::Tensor logits = model.forward(at::tensor(input, at::kLong).view({1, -1}), o).logits[0].to(at::kDouble);
    at::Tensor lp = at::log_softmax(logits, -1);
    const int64_t first = int64_t(input.size() - r.continuation.size());
    Direct d;
    for (size_t j = 0; j < r.continuation.size(); ++j) {
        int64_t row = first + int64_t(j);
        if (hook) {
            const auto& own = hook->survivorPositions(0);
            auto it = std::find(own.begin(), own.end(), row);
            if (it == own.end()) return {std::nan(""), false, false};
            row = it - own.begin();
        }
        d.ll += lp[row][r.continuation[j]].item<double>();
        const int decided = testing::decidedArgmax(logits[row], r.continuation[j]);
        d.greedy = d.greedy && logits[row].argmax().item<int64_t>() == r.continuation[j];
        d.greedyDecided = d.greedyDecided && decided != 0;
    }
    return d;
}

// direct() for one request under a schedule (or dense), with the scoring span protected as the scorer does
// when the schedule asks for it.
Direct directUnder(const Mamba2Model& model, const TokenizedRequest& q, const ReductionSchedule* s) {
    if (!s) return direct(model, q);
    const int64_t n = int64_t(q.context.size() + q.continuation.size() - 1);
    std::set<int64_t> span;
    if (s->options.protectScoringSpan)
        for (int64_t p = n - int64_t(q.continuation.size()); p < n; ++p) span.insert(p);
    TokenReductionHook hook(*s, {span});
    return direct(model, q, 0, &hook);
}

ReductionSchedule schedule(ReductionMethod m, std::vector<ScheduleAnchor> anchors, bool protect = true) {
    ReductionSchedule s;
    s.method = m;
    s.anchors = std::move(anchors);
    s.options.protectScoringSpan = protect;
    return s;
}

}  // namespace

class TestEvalScorer : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<Tokenizer> tok_;
    Mamba2Config config_ = testing::evalConfig();
    Mamba2Model model_{config_, randomMamba2Weights(config_, 7)};
    std::vector<TokenizedRequest> requests_;

private slots:
    void initTestCase() {
        tok_ = testing::tinyEvalTokenizer(dir_);
        const std::vector<LoglikelihoodRequest> texts = {
            {"Question: what keeps the tea warm?\nAnswer:", " a wool cosy"},
            {"the cat sat on the", " mat"},
            {"She opened the window because the room was hot, then sat by the", " window and read"},
            {"Question: which is colder?\nAnswer:", " snow in the shade, under a tree, in winter"},
            {"A short one", " at the end"},
            {"Rain fell on the town all night; by morning the street was a river and the children", " sailed paper boats"},
        };
        for (const auto& t : texts) requests_.push_back(encodeRequest(*tok_, t));
    }

    void encodingFollowsLmEvalV04() {
        // Trailing whitespace of the context moves to the continuation.
        TokenizedRequest a = encodeRequest(*tok_, {"Question: a cat\nAnswer: ", "the hat"});
        QCOMPARE(a.context, tok_->encode("Question: a cat\nAnswer:").ids);
        const auto whole = tok_->encode("Question: a cat\nAnswer: the hat").ids;
        QCOMPARE(a.continuation, std::vector<int64_t>(whole.begin() + a.context.size(), whole.end()));
        // The whole string is encoded once: "ca" + "ts" gives "c"+"at"+"s", so the continuation is just "s".
        TokenizedRequest b = encodeRequest(*tok_, {"the ca", "ts"});
        QCOMPARE(b.context, tok_->encode("the ca").ids);
        QCOMPARE(b.continuation, std::vector<int64_t>{'s'});
        // An empty context is the end-of-text token.
        TokenizedRequest c = encodeRequest(*tok_, {"", " alone"});
        QCOMPARE(c.context, std::vector<int64_t>{tok_->eosId()});
        QCOMPARE(c.continuation, tok_->encode(" alone").ids);
    }

    void sumsMatchADirectForward() {
        for (int64_t batch : {1, 4}) {
            ScoringOptions o;
            o.batchSize = batch;
            std::vector<RequestScore> s = scoreLoglikelihoods(model_, requests_, nullptr, o);
            for (size_t i = 0; i < requests_.size(); ++i) {
                const Direct d = direct(model_, requests_[i]);
                QVERIFY2(std::abs(s[i].loglikelihood - d.ll) < 1e-4 * std::max(1.0, std::abs(d.ll)),
                         qPrintable(QString("request %1: %2 vs %3").arg(i).arg(s[i].loglikelihood).arg(d.ll)));
                if (d.greedyDecided) QCOMPARE(s[i].greedy, d.greedy);
                QVERIFY(s[i].scorable);
                QCOMPARE(s[i].scoredTokens, int64_t(requests_[i].continuation.size()));
                QCOMPARE(s[i].inputTokens, int64_t(requests_[i].context.size() + requests_[i].continuation.size() - 1));
            }
        }
        // A greedy continuation: take the model's own argmax tokens after a context.
        TokenizedRequest g{tok_->encode("the cat sat").ids, {}};
        std::vector<int64_t> ids = g.context;
        for (int k = 0; k < 3; ++k) {
            at::Tensor last = model_.forward(at::tensor(ids, at::kLong).view({1, -1})).logits[0][-1];
            ids.push_back(last.argmax().item<int64_t>());
            g.continuation.push_back(ids.back());
            QVERIFY2(testing::argmaxLead(last, ids.back()) > testing::kArgmaxTieLogitGap, "test data with a near-tie");
        }
        QVERIFY(scoreLoglikelihoods(model_, {g}, nullptr)[0].greedy);
    }

    void batchesEqualSingleRequests() {
        ScoringOptions one, three;
        one.batchSize = 1;
        three.batchSize = 3;
        const ReductionSchedule r = schedule(ReductionMethod::Utr, {{0, 0.7}, {1, 0.8}});
        for (const ReductionSchedule* s : {static_cast<const ReductionSchedule*>(nullptr), &r}) {
            auto a = scoreLoglikelihoods(model_, requests_, s, one), b = scoreLoglikelihoods(model_, requests_, s, three);
            for (size_t i = 0; i < a.size(); ++i) {
                QVERIFY(std::abs(a[i].loglikelihood - b[i].loglikelihood) < 1e-4 * std::max(1.0, std::abs(a[i].loglikelihood)));
                if (directUnder(model_, requests_[i], s).greedyDecided) QCOMPARE(a[i].greedy, b[i].greedy);
                QCOMPARE(a[i].measuredTokenReductionPercent, b[i].measuredTokenReductionPercent);
            }
        }
    }

    void ratioOneEqualsDenseExactly() {
        for (ReductionMethod m : {ReductionMethod::Utr, ReductionMethod::Evit, ReductionMethod::Tome}) {
            const ReductionSchedule r = schedule(m, {{0, 1.0}, {1, 1.0}, {2, 1.0}});
            for (int64_t batch : {1, 4}) {
                ScoringOptions o;
                o.batchSize = batch;
                auto dense = scoreLoglikelihoods(model_, requests_, nullptr, o);
                auto reduced = scoreLoglikelihoods(model_, requests_, &r, o);
                for (size_t i = 0; i < dense.size(); ++i) {
                    QCOMPARE(reduced[i].loglikelihood, dense[i].loglikelihood);  // bit for bit
                    QCOMPARE(reduced[i].greedy, dense[i].greedy);
                    QCOMPARE(reduced[i].measuredTokenReductionPercent, 0.0);
                }
            }
        }
    }

    void protectedSpanIsNeverReadFromARemovedPosition() {
        ScoringOptions o;
        o.batchSize = 1;
        const std::vector<ReductionMethod> methods = {ReductionMethod::Utr, ReductionMethod::UtrToken,
                                                      ReductionMethod::Evit, ReductionMethod::Tome,
                                                      ReductionMethod::Pumer, ReductionMethod::PruneOnly,
                                                      ReductionMethod::MergeOnly, ReductionMethod::UtrReference};
        int unprotectedLost = 0;
        for (ReductionMethod m : methods)
            for (bool protect : {true, false}) {
                const ReductionSchedule r = schedule(m, {{0, 0.5}, {1, 0.5}}, protect);
                auto scores = scoreLoglikelihoods(model_, requests_, &r, o);
                for (size_t i = 0; i < requests_.size(); ++i) {
                    const TokenizedRequest& q = requests_[i];
                    const int64_t n = int64_t(q.context.size() + q.continuation.size() - 1);
                    std::set<int64_t> span;
                    for (int64_t p = n - int64_t(q.continuation.size()); p < n; ++p) span.insert(p);
                    TokenReductionHook hook(r, {protect ? span : std::set<int64_t>{}});
                    const Direct d = direct(model_, q, 0, &hook);
                    const QString what = QString("%1 protect=%2 request %3").arg(methodName(m).c_str()).arg(protect).arg(i);
                    QCOMPARE(scores[i].scorable, d.scorable);
                    if (protect && m != ReductionMethod::UtrReference) QVERIFY2(d.scorable, qPrintable(what));
                    if (!d.scorable) {
                        QVERIFY(std::isnan(scores[i].loglikelihood) && !scores[i].greedy);
                        unprotectedLost += !protect;
                        continue;
                    }
                    QVERIFY2(std::abs(scores[i].loglikelihood - d.ll) < 1e-4 * std::max(1.0, std::abs(d.ll)), qPrintable(what));
                    if (d.greedyDecided) QCOMPARE(scores[i].greedy, d.greedy);
                    QVERIFY(scores[i].measuredTokenReductionPercent > 0);
                }
            }
        QVERIFY(unprotectedLost > 0);  // without protection, halving twice does lose scored positions
    }

    void windowTruncatesOnTheLeft() {
        size_t longest = 0;
        for (const auto& r : requests_) longest = std::max(longest, r.continuation.size());
        ScoringOptions o;
        o.maxLength = int64_t(longest) + 3;  // shorter than most inputs, long enough for every continuation
        auto s = scoreLoglikelihoods(model_, requests_, nullptr, o);
        int truncated = 0;
        for (size_t i = 0; i < requests_.size(); ++i) {
            const Direct d = direct(model_, requests_[i], o.maxLength);
            QVERIFY(std::abs(s[i].loglikelihood - d.ll) < 1e-4 * std::max(1.0, std::abs(d.ll)));
            QVERIFY(s[i].inputTokens <= o.maxLength);
            truncated += s[i].inputTokens == o.maxLength;
        }
        QVERIFY(truncated > 0);
        o.maxLength = int64_t(longest) - 1;
        const std::string e = testing::errorOf([&] { scoreLoglikelihoods(model_, requests_, nullptr, o); });
        QVERIFY2(e.find("more than the window of") != std::string::npos, e.c_str());
        TokenizedRequest bad{{1, 2}, {config_.vocabSize + 5}};
        QVERIFY(testing::errorOf([&] { scoreLoglikelihoods(model_, {bad}, nullptr); }).find("outside the model's vocabulary") !=
                std::string::npos);
    }

    void progressAndCancellation() {
        ScoringOptions o;
        o.batchSize = 2;
        std::vector<std::pair<int64_t, int64_t>> calls;
        o.progress = [&](int64_t done, int64_t total) { calls.emplace_back(done, total); };
        scoreLoglikelihoods(model_, requests_, nullptr, o);
        QCOMPARE(calls.size(), size_t(3));
        QCOMPARE(calls.back(), std::make_pair(int64_t(6), int64_t(6)));
        QVERIFY(std::is_sorted(calls.begin(), calls.end()));

        std::atomic<bool> cancel{false};
        o.cancel = &cancel;
        calls.clear();
        o.progress = [&](int64_t done, int64_t total) {
            calls.emplace_back(done, total);
            cancel = true;  // after the first batch
        };
        bool thrown = false;
        try {
            scoreLoglikelihoods(model_, requests_, nullptr, o);
        } catch (const EvalCancelled&) {
            thrown = true;
        }
        QVERIFY(thrown);
        QCOMPARE(calls.size(), size_t(1));
    }
};

QTEST_APPLESS_MAIN(TestEvalScorer)
#include "test_eval_scorer.moc"
