// ScoringMode::Paper against lm-eval's _loglikelihood_tokens written out step by step from its Python (the
// authors' copy, wuyushuwys/ToR_SSM src/eval/huggingface.py, and lm-eval 0.4.2's HFLM): the Reorderer's
// order, chunks of the batch size, right padding with token 0 that the reduced model reads as tokens, the
// slice logits[ctx_len - contlen : ctx_len] with ctx_len = inplen + (M' - M) taken by ATen's own slicing
// (the rules torch gives Python slices), continuation tokens cut to the rows read, sum and all(). Also:
// what a misread is, that short and empty reads happen and score as lm-eval scores them, that ratio 1 and
// dense passes equal correct scoring, and that the default mode stays correct scoring.
#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "AtenOperators.h"

#include "core/eval/LoglikelihoodScorer.h"
#include "core/eval/RequestEncoding.h"
#include "core/reduction/TokenReductionHook.h"
#include "NumericTolerance.h"
#include "test_eval_support.h"

using namespace ssmlens;

namespace {

struct ByHand {
    double ll = 0;
    bool greedy = true;
    bool greedyDecided = true;  // no near-tie among the rows read (NumericTolerance.h)
    int64_t rowsRead = 0;
    bool misread = false;
};

// The paper's evaluation of `requests` under `schedule`, transcribed.
std::vector<ByHand> paperEvaluationByHand(const Mamba2Model& model, const std::vector<TokenizedRequest>& requests,
                                          const ReductionSchedule& schedule, int64_t batchSize, int64_t maxLength) {
    // Reorderer: sorted by (-len(context + continuation), tuple(context + continuation)).
    auto key = [&](size_t i) {
        std::vector<int64_t> toks = requests[i].context;
        toks.insert(toks.end(), requests[i].continuation.begin(), requests[i].continuation.end());
        return std::make_pair(-int64_t(toks.size()), toks);
    };
    std::vector<size_t> order(requests.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
    std::vector<ByHand> out(requests.size());
    for (size_t start = 0; start < order.size(); start += size_t(batchSize)) {
        const std::vector<size_t> chunk(order.begin() + start,
                                        order.begin() + std::min(order.size(), start + size_t(batchSize)));
        std::vector<std::vector<int64_t>> inps;
        int64_t paddingLenInp = 0;
        for (size_t i : chunk) {
            std::vector<int64_t> all = requests[i].context;  // (context_enc + continuation_enc)[-(L+1):][:-1]
            all.insert(all.end(), requests[i].continuation.begin(), requests[i].continuation.end());
            if (int64_t(all.size()) > maxLength + 1) all.erase(all.begin(), all.end() - (maxLength + 1));
            all.pop_back();
            paddingLenInp = std::max(paddingLenInp, int64_t(all.size()));
            inps.push_back(all);
        }
        at::Tensor batched = at::zeros({int64_t(chunk.size()), paddingLenInp}, at::kLong);  // pad_and_concat
        for (size_t b = 0; b < chunk.size(); ++b)
            batched[int64_t(b)].narrow(0, 0, int64_t(inps[b].size())).copy_(at::tensor(inps[b], at::kLong));
        TokenReductionHook hook(schedule);  // the reduced model: it sees rows of paddingLenInp tokens
        ForwardOptions o;
        o.hook = &hook;
        const at::Tensor logits = model.forward(batched, o).logits.to(at::kDouble);  // [B, M', V]
        const at::Tensor multiLogits = at::log_softmax(logits, -1);
        for (size_t b = 0; b < chunk.size(); ++b) {
            const TokenizedRequest& r = requests[chunk[b]];
            const int64_t inplen = int64_t(inps[b].size()), contlen = int64_t(r.continuation.size());
            const int64_t ctxLen = inplen + (multiLogits.size(1) - paddingLenInp);
            const at::Tensor rows = at::arange(multiLogits.size(1)).slice(0, ctxLen - contlen, ctxLen);
            const at::Tensor sliced = multiLogits[int64_t(b)].slice(0, ctxLen - contlen, ctxLen);
            ByHand& h = out[chunk[b]];
            h.rowsRead = sliced.size(0);
            h.misread = h.rowsRead < contlen;
            const std::vector<int64_t>& own = hook.survivorPositions(b);
            for (int64_t j = 0; j < h.rowsRead; ++j) {
                const int64_t token = r.continuation[size_t(j)];  // cont_toks[:, :greedy_tokens.shape[1]]
                h.ll += sliced[j][token].item<double>();
                h.greedy = h.greedy && sliced[j].argmax().item<int64_t>() == token;
                h.greedyDecided = h.greedyDecided && testing::decidedArgmax(logits[int64_t(b)][rows[j]], token) != 0;
                // The position that predicts continuation token j is inplen - contlen + j.
                h.misread = h.misread || own[size_t(rows[j].item<int64_t>())] != inplen - contlen + j;
            }
        }
    }
    return out;
}

ReductionSchedule schedule(ReductionMethod m, std::vector<ScheduleAnchor> anchors) {
    ReductionSchedule s;
    s.method = m;
    s.anchors = std::move(anchors);
    return s;
}

}  // namespace

class TestEvalPaperScoring : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<Tokenizer> tok_;
    Mamba2Config config_ = testing::evalConfig();
    Mamba2Model model_{config_, randomMamba2Weights(config_, 17)};
    std::vector<TokenizedRequest> requests_;

private slots:
    void initTestCase() {
        tok_ = testing::tinyEvalTokenizer(dir_);
        // Lengths from 3 to ~90 tokens, so a batch mixes rows the reduction shortens far past the short ones.
        const std::vector<LoglikelihoodRequest> texts = {
            {"Question: what keeps the tea warm?\nAnswer:", " a wool cosy"},
            {"the cat sat on the", " mat"},
            {"She opened the window because the room was hot, then sat by the", " window and read"},
            {"Hi", " there you"},
            {"Rain fell on the town all night; by morning the street was a river and the children of the "
             "baker, who lived at the corner, went out with", " paper boats"},
            {"A short one", " at the end"},
            {"Question: which is colder?\nAnswer:", " snow in the shade"},
            {"the cat sat on the", " mat"},  // a duplicate, as lm-eval meets across tasks
        };
        for (const auto& t : texts) requests_.push_back(encodeRequest(*tok_, t));
    }

    void matchesTheEvaluationWrittenOut() {
        int misread = 0, shortRead = 0, emptyRead = 0, compared = 0;
        for (ReductionMethod m : {ReductionMethod::UtrReference, ReductionMethod::Utr, ReductionMethod::Positional,
                                  ReductionMethod::Tome, ReductionMethod::Evit})
            for (int64_t batch : {1, 3, 8}) {
                const ReductionSchedule s = schedule(m, {{0, 0.5}, {1, 0.6}});
                ScoringOptions o;
                o.mode = ScoringMode::Paper;
                o.batchSize = batch;
                o.maxLength = 2048;
                const std::vector<RequestScore> got = scoreLoglikelihoods(model_, requests_, &s, o);
                const std::vector<ByHand> want = paperEvaluationByHand(model_, requests_, s, batch, o.maxLength);
                for (size_t i = 0; i < requests_.size(); ++i) {
                    const QString what = QString("%1 batch %2 request %3").arg(methodName(m).c_str()).arg(batch).arg(i);
                    QVERIFY2(got[i].scorable, qPrintable(what));
                    QVERIFY2(std::abs(got[i].loglikelihood - want[i].ll) <= 1e-4 * std::max(1.0, std::abs(want[i].ll)),
                             qPrintable(what + QString(": %1 vs %2").arg(got[i].loglikelihood).arg(want[i].ll)));
                    QVERIFY2(got[i].tokensRead == want[i].rowsRead, qPrintable(what));
                    QVERIFY2(got[i].misread == want[i].misread, qPrintable(what));
                    if (want[i].greedyDecided) QVERIFY2(got[i].greedy == want[i].greedy, qPrintable(what));
                    QCOMPARE(got[i].scoredTokens, int64_t(requests_[i].continuation.size()));
                    misread += want[i].misread;
                    shortRead += want[i].rowsRead < got[i].scoredTokens;
                    if (want[i].rowsRead == 0) {
                        ++emptyRead;
                        QVERIFY2(got[i].loglikelihood == 0 && got[i].greedy, qPrintable(what));  // sum, all() of nothing
                    }
                    ++compared;
                }
            }
        // The test data reaches every case the mode exists to show.
        QVERIFY2(misread > 0 && shortRead > 0 && emptyRead > 0,
                 qPrintable(QString("misread %1, short %2, empty %3 of %4").arg(misread).arg(shortRead).arg(emptyRead).arg(compared)));
    }

    // One request alone (batch 1, no padding) under utr-reference: the removed positions all lie at the
    // front, so lm-eval's count from the end lands on the right rows whenever the continuation starts past
    // the front; under utr the removed tokens lie anywhere, and reads go wrong.
    void frontRemovalReadsTheRightRows() {
        ScoringOptions o;
        o.mode = ScoringMode::Paper;
        o.batchSize = 1;
        const ReductionSchedule ref = schedule(ReductionMethod::UtrReference, {{0, 0.8}});
        const std::vector<RequestScore> got = scoreLoglikelihoods(model_, {requests_[4]}, &ref, o);  // the long one
        QVERIFY(!got[0].misread);
        QCOMPARE(got[0].tokensRead, got[0].scoredTokens);
        ScoringOptions correct;
        correct.batchSize = 1;
        const RequestScore c = scoreLoglikelihoods(model_, {requests_[4]}, &ref, correct)[0];
        QVERIFY(c.scorable);
        QVERIFY(std::abs(c.loglikelihood - got[0].loglikelihood) <= 1e-5 * std::abs(c.loglikelihood));
    }

    void ratioOneAndDenseEqualCorrectScoring() {
        ScoringOptions paper, correct;
        paper.mode = ScoringMode::Paper;
        paper.batchSize = correct.batchSize = 8;
        const ReductionSchedule none = schedule(ReductionMethod::UtrReference, {{0, 1.0}, {1, 1.0}});
        const auto a = scoreLoglikelihoods(model_, requests_, &none, paper);
        const auto dense = scoreLoglikelihoods(model_, requests_, nullptr, paper);  // dense: read correctly
        const auto b = scoreLoglikelihoods(model_, requests_, nullptr, correct);
        for (size_t i = 0; i < requests_.size(); ++i) {
            QVERIFY(testing::nearlyEqual(a[i].loglikelihood, b[i].loglikelihood));
            QVERIFY(!a[i].misread && a[i].tokensRead == a[i].scoredTokens);
            QCOMPARE(dense[i].loglikelihood, b[i].loglikelihood);
            QCOMPARE(b[i].tokensRead, b[i].scoredTokens);
            QVERIFY(!b[i].misread);
        }
        QCOMPARE(ScoringOptions().mode, ScoringMode::Correct);  // the default stays correct scoring
        QCOMPARE(parseScoringModeName("paper"), ScoringMode::Paper);
        QVERIFY(testing::errorOf([] { parseScoringModeName("lm-eval"); }).find("correct, paper") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestEvalPaperScoring)
#include "test_eval_paper_scoring.moc"
