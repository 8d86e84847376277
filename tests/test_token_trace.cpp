// TokenTrace::toJson against its documentation (docs/trace-format.md): every key the page shows is written and
// nothing else, values have the documented types and ranges, and the rules the page promises hold, on the trace
// of a real reduction run (a tiny random model, two anchors, every method).
#include <QtTest/QtTest>

#include <cmath>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "core/reduction/ReductionRun.h"
#include "core/reduction/TokenTrace.h"
#include "DocumentedNames.h"
#include "ModelTestSupport.h"

using namespace ssmlens;
using json = nlohmann::json;

namespace {

std::set<std::string> keysOf(const json& j) {
    std::set<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it) keys.insert(it.key());
    return keys;
}

// The documented keys less the three that `ssmlens-cli reduce` adds around toJson (the prompt and the schedule),
// and less the optional ones unless `withOptional`.
std::set<std::string> documentedTraceKeys(bool withOptional) {
    const testing::TraceFormatNames doc = testing::traceFormatNames();
    std::set<std::string> keys = doc.top;
    for (const char* added : {"prompt_ids", "prompt_pieces", "schedule"}) keys.erase(added);
    if (!withOptional)
        for (const std::string& k : doc.optionalTop) keys.erase(k);
    return keys;
}

std::set<std::string> documentedLayerKeys(bool withOptional) {
    const testing::TraceFormatNames doc = testing::traceFormatNames();
    std::set<std::string> keys = doc.layer;
    if (!withOptional)
        for (const std::string& k : doc.optionalLayer) keys.erase(k);
    return keys;
}

ReductionSchedule twoAnchors(ReductionMethod m) {
    ReductionSchedule s;
    s.method = m;
    s.anchors = {{0, 0.7}, {1, 0.6}};
    return s;
}

}  // namespace

class TestTokenTrace : public QObject {
    Q_OBJECT
    Mamba2Config config_ = testing::tinyConfig(2);
    Mamba2Weights weights_ = randomMamba2Weights(config_, 12);

private slots:
    void theDocumentListsWhatWeCheck() {
        // A page that could not be read, or a sketch reformatted beyond the parser, must not pass as "no keys".
        const testing::TraceFormatNames doc = testing::traceFormatNames();
        QVERIFY(doc.top.count("format") && doc.top.count("layers") && doc.top.count("kl_divergence"));
        QVERIFY(doc.layer.count("fate") && doc.layer.count("similar_pairs"));
        QVERIFY(doc.optionalTop.count("attribution_dense") && doc.optionalLayer.count("attention_received"));
        QVERIFY(!doc.optionalTop.count("kl_divergence"));
        QVERIFY(doc.candidate == (std::set<std::string>{"id", "piece", "probability"}));
    }

    void toJsonIsTheDocumentedFormat_data() {
        QTest::addColumn<QString>("method");
        for (const std::string& m : methodNames()) QTest::newRow(m.c_str()) << QString::fromStdString(m);
    }
    void toJsonIsTheDocumentedFormat() {
        QFETCH(QString, method);
        const testing::TraceFormatNames doc = testing::traceFormatNames();
        const Mamba2Model model(config_, weights_);
        const at::Tensor idsTensor = testing::randomIds(1, 23, config_.vocabSize, 3)[0];
        const std::vector<int64_t> ids(idsTensor.data_ptr<int64_t>(), idsTensor.data_ptr<int64_t>() + 23);
        const ReductionRunResult run = runReduction(model, ids, twoAnchors(parseMethodName(method.toStdString())), nullptr);
        const json j = run.trace.toJson();

        QVERIFY(keysOf(j) == documentedTraceKeys(false));
        QCOMPARE(j["format"].get<std::string>(), std::string("ssmlens-token-trace"));
        QCOMPARE(j["version"].get<int>(), 1);
        const int64_t n = j["length"].get<int64_t>();
        QCOMPARE(n, int64_t(23));

        // One entry per layer, 0 .. n_layer-1, each with the documented keys and per-token arrays of length n.
        QCOMPARE(int64_t(j["layers"].size()), config_.nLayer);
        for (size_t l = 0; l < j["layers"].size(); ++l) {
            const json& layer = j["layers"][l];
            QVERIFY(keysOf(layer) == documentedLayerKeys(false));
            QCOMPARE(layer["layer"].get<int64_t>(), int64_t(l));
            const bool anchor = layer["anchor"].get<bool>();
            QCOMPARE(anchor, l <= 1);
            for (const char* perToken : {"importance", "fate", "destination", "merged_fraction", "in_b", "match", "match_cosine"})
                QVERIFY2(int64_t(layer[perToken].size()) == n, perToken);
            int64_t present = 0;
            for (int64_t i = 0; i < n; ++i) {
                const int fate = layer["fate"][i].get<int>();
                QVERIFY(fate >= -1 && fate <= 2);
                present += fate >= 0;
                // null importance exactly for the tokens gone before this layer
                QCOMPARE(layer["importance"][i].is_null(), fate == -1);
                const int64_t dst = layer["destination"][i].get<int64_t>();
                if (fate == 1) {
                    QVERIFY(dst >= 0 && dst < n && dst != i);
                    QVERIFY(layer["fate"][dst].get<int>() == 0);  // merged into a token that stays
                } else {
                    QCOMPARE(dst, int64_t(-1));
                }
                const int inB = layer["in_b"][i].get<int>();
                QVERIFY(anchor ? (fate == -1 ? inB == -1 : inB == 0 || inB == 1) : inB == -1);
                const int64_t match = layer["match"][i].get<int64_t>();
                if (match >= 0) {
                    QVERIFY(anchor && inB == 0);
                    QCOMPARE(layer["in_b"][match].get<int>(), 1);
                    const double c = layer["match_cosine"][i].get<double>();
                    QVERIFY(c >= -1.0001 && c <= 1.0001);
                } else {
                    QVERIFY(layer["match_cosine"][i].is_null() || layer["match_cosine"][i].get<double>() == 0);
                }
            }
            QCOMPARE(layer["tokens_in"].get<int64_t>(), present);
            for (const json& pair : layer["similar_pairs"]) {
                QVERIFY(anchor && pair.size() == 3);
                QVERIFY(pair[0].get<int64_t>() < pair[1].get<int64_t>());
                QVERIFY(std::abs(pair[2].get<double>()) <= 1.0001);
            }
            if (anchor) {
                // tokens_out: ceil(q * tokens_in), but never fewer than half of tokens_in (EViT: no such floor).
                const double q = layer["keep_ratio"].get<double>();
                const int64_t in = layer["tokens_in"].get<int64_t>(), out = layer["tokens_out"].get<int64_t>();
                const int64_t kept = int64_t(std::ceil(q * double(in) - 1e-9));
                QCOMPARE(out, method == "evit" ? kept : std::max(kept, (in + 1) / 2));
            }
        }

        // Every original position is a survivor's member or pruned at a layer, exactly once; the survivors are
        // ascending and include the last position.
        std::vector<int> seen(n, 0);
        for (const json& members : j["survivor_members"])
            for (const json& p : members) ++seen[p.get<int64_t>()];
        const auto pruned = j["pruned_at_layer"].get<std::vector<int64_t>>();
        QCOMPARE(int64_t(pruned.size()), n);
        for (int64_t i = 0; i < n; ++i) QCOMPARE(seen[i] + (pruned[i] >= 0 ? 1 : 0), 1);
        const auto survivors = j["survivor_positions"].get<std::vector<int64_t>>();
        QVERIFY(std::is_sorted(survivors.begin(), survivors.end()) && survivors.back() == n - 1);
        QCOMPARE(j["survivor_members"].size(), survivors.size());

        for (const char* list : {"dense_top_k", "reduced_top_k"}) {
            QCOMPARE(j[list].size(), size_t(10));
            for (const json& c : j[list]) {
                QVERIFY(keysOf(c) == doc.candidate);
                QVERIFY(c["probability"].get<double>() >= 0 && c["probability"].get<double>() <= 1);
            }
        }
        QVERIFY(j["kl_divergence"].get<double>() >= 0);

        // The fields written only when asked for (--attention): documented, and written once filled.
        QVERIFY(!testing::traceFormatNames().optionalTop.empty() && !testing::traceFormatNames().optionalLayer.empty());
        TokenTrace withAttention = run.trace;
        withAttention.attributionDense.assign(size_t(n), 1.0f / float(n));
        withAttention.attributionReduced.assign(size_t(n), 1.0f / float(n));
        for (LayerTrace& l : withAttention.layers) l.attentionReceived.assign(size_t(n), 0.5f);
        const json all = withAttention.toJson();
        QVERIFY(keysOf(all) == documentedTraceKeys(true));
        for (const json& layer : all["layers"]) QVERIFY(keysOf(layer) == documentedLayerKeys(true));
    }

    void missingValuesAreNull() {
        // JSON has no NaN: a value that is not there (an unset KL, the importance of a gone token) is null.
        TokenTrace t;
        t.length = 2;
        LayerTrace l;
        l.importance = {1.5f, std::numeric_limits<float>::quiet_NaN()};
        l.fate = {0, -1};
        l.destination = {-1, -1};
        l.mergedFraction = {0.25f, std::numeric_limits<float>::quiet_NaN()};
        l.inB = {-1, -1};
        l.match = {-1, -1};
        l.matchCosine = {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()};
        t.layers = {l};
        const json j = t.toJson();
        QVERIFY(j["kl_divergence"].is_null());
        QCOMPARE(j["layers"][0]["importance"][0].get<double>(), 1.5);
        QVERIFY(j["layers"][0]["importance"][1].is_null());
        QVERIFY(j["layers"][0]["merged_fraction"][1].is_null());
        QVERIFY(j["layers"][0]["match_cosine"][0].is_null() && j["layers"][0]["match_cosine"][1].is_null());
    }
};

QTEST_GUILESS_MAIN(TestTokenTrace)
#include "test_token_trace.moc"
