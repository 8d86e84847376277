// Checkpoint folders of both layouts load to identical logits; bad folders give errors that name the
// file, the tensor and the problem.
#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>

#include "AtenOperators.h"
#include <nlohmann/json.hpp>

#include "core/Error.h"
#include "core/io/SafetensorsFile.h"
#include "core/io/TorchStateDictFile.h"
#include "core/model/Checkpoint.h"
#include "core/model/Mamba2Model.h"
#include "ErrorCapture.h"
#include "ModelTestSupport.h"

using namespace ssmlens;
using testing::errorOf;
namespace fs = std::filesystem;

namespace {

void writeText(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

}  // namespace

class TestCheckpoint : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    Mamba2Config config_ = testing::tinyConfig(2);
    Mamba2Weights weights_ = randomMamba2Weights(config_, 21);

    std::string dir(const char* name) { return (fs::path(tmp_.path().toStdString()) / name).string(); }

private slots:
    void bothLayoutsLoadToIdenticalLogits() {
        saveCheckpoint(dir("ss"), config_, weights_, SaveFormat::StateSpacesBin);
        saveCheckpoint(dir("hf"), config_, weights_, SaveFormat::HuggingFaceSafetensors);
        QVERIFY(fs::exists(dir("ss") + "/pytorch_model.bin"));
        QVERIFY(fs::exists(dir("hf") + "/model.safetensors"));
        at::Tensor ids = testing::randomIds(1, 9, config_.vocabSize, 3);
        at::Tensor ref = Mamba2Model(config_, weights_).forward(ids).logits;
        Mamba2Model ss = Mamba2Model::load(dir("ss"));
        Mamba2Model hf = Mamba2Model::load(dir("hf"));
        QVERIFY(ss.config().layout == CheckpointLayout::StateSpaces);
        QVERIFY(hf.config().layout == CheckpointLayout::HuggingFace);
        QVERIFY(at::equal(ss.forward(ids).logits, ref));
        QVERIFY(at::equal(hf.forward(ids).logits, ref));
    }

    void loadsInBf16AndFp16() {
        saveCheckpoint(dir("half"), config_, weights_, SaveFormat::HuggingFaceSafetensors);
        LoadOptions half;
        half.dtype = at::kHalf;
        QVERIFY(errorOf([&] { loadCheckpoint(dir("half"), half); }).find("fp16") != std::string::npos);
        for (auto type : {at::kBFloat16}) {
            LoadOptions o;
            o.dtype = type;
            Mamba2Model m = Mamba2Model::load(dir("half"), o);
            QCOMPARE(m.dtype(), type);
            QCOMPARE(m.weights().layers[0].aLog.scalar_type(), at::kFloat);  // SSM parameters stay fp32
            at::Tensor ids = testing::randomIds(1, 5, config_.vocabSize, 4);
            QVERIFY(testing::relativeError(m.forward(ids).logits, Mamba2Model(config_, weights_).forward(ids).logits) < 0.1);
        }
    }

    void stateSpacesConfigDefaultsAndVocabPadding() {
        nlohmann::json j = {{"d_model", 64}, {"n_layer", 2}, {"vocab_size", 50277}, {"pad_vocab_size_multiple", 16},
                            {"ssm_cfg", {{"layer", "Mamba2"}}}};
        Mamba2Config c = parseMamba2Config(j, "config.json");
        QCOMPARE(c.vocabSize, int64_t(50288));
        QCOMPARE(c.dState, int64_t(128));
        QCOMPARE(c.headdim, int64_t(64));
        QCOMPARE(c.chunkSize, int64_t(256));
        QCOMPARE(c.nHeads(), int64_t(2));
        QVERIFY(c.tieEmbeddings);
        nlohmann::json hf = {{"model_type", "mamba2"}, {"hidden_size", 64}, {"num_hidden_layers", 2},
                             {"num_heads", 2}, {"vocab_size", 1000}, {"time_step_limit", {0.0, 0.5}}};
        Mamba2Config h = parseMamba2Config(hf, "config.json");
        QCOMPARE(h.dtLimitMax, 0.5);
        QCOMPARE(h.nHeads(), int64_t(2));
    }

    void infiniteTimeStepLimitSpellings() {
        const fs::path d = dir("inf");
        fs::create_directories(d);
        const std::string base = R"({"model_type": "mamba2", "hidden_size": 64, "num_hidden_layers": 2, "num_heads": 2,
                                     "vocab_size": 100, "note": "Infinity in a string stays", "time_step_limit": )";
        for (const std::string limit : {R"([0.0, {"__float__": "Infinity"}])", "[0.0, Infinity]", R"([0.0, "inf"])"}) {
            writeText(d / "config.json", base + limit + "}");
            Mamba2Config c = loadMamba2Config((d / "config.json").string());
            QVERIFY2(std::isinf(c.dtLimitMax) && c.dtLimitMin == 0.0, limit.c_str());
        }
        writeText(d / "config.json", base + "[0.0, \"lots\"]}");
        QVERIFY(errorOf([&] { loadMamba2Config((d / "config.json").string()); }).find("time_step_limit") != std::string::npos);
    }

    void shardedSafetensors() {
        const fs::path d = dir("sharded");
        fs::create_directories(d);
        auto sd = toStateDict(weights_, TensorNaming::HuggingFace);
        std::map<std::string, at::Tensor> a, b;
        nlohmann::json map;
        int i = 0;
        for (const auto& kv : sd) {
            const bool first = (i++ % 2) == 0;
            (first ? a : b)[kv.first] = kv.second;
            map[kv.first] = first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
        }
        writeSafetensors((d / "model-00001-of-00002.safetensors").string(), a);
        writeSafetensors((d / "model-00002-of-00002.safetensors").string(), b);
        writeText(d / "model.safetensors.index.json", nlohmann::json({{"weight_map", map}}).dump());
        writeText(d / "config.json", config_.toHuggingFaceJson().dump());
        at::Tensor ids = testing::randomIds(1, 6, config_.vocabSize, 9);
        QVERIFY(at::equal(Mamba2Model::load(d.string()).forward(ids).logits,
                          Mamba2Model(config_, weights_).forward(ids).logits));
        fs::remove(d / "model-00002-of-00002.safetensors");
        QVERIFY(errorOf([&] { loadCheckpoint(d.string()); }).find("model-00002-of-00002.safetensors") != std::string::npos);
    }

    void tiedHeadAndStateSpacesNamesInSafetensors() {
        Mamba2Config c = testing::tinyConfig();
        c.tieEmbeddings = true;
        Mamba2Weights w = randomMamba2Weights(c, 5);
        const fs::path d = dir("tied");
        fs::create_directories(d);
        writeText(d / "config.json", c.toStateSpacesJson().dump());
        writeSafetensors((d / "model.safetensors").string(), toStateDict(w, TensorNaming::StateSpaces));
        LoadedCheckpoint l = loadCheckpoint(d.string());
        QVERIFY(l.weights.lmHead.is_same(l.weights.embedding));
    }

    void missingFilesAreNamed() {
        QVERIFY(errorOf([&] { loadCheckpoint(dir("nowhere")); }).find("nowhere") != std::string::npos);
        const fs::path d = dir("noweights");
        fs::create_directories(d);
        writeText(d / "config.json", config_.toHuggingFaceJson().dump());
        const std::string e = errorOf([&] { loadCheckpoint(d.string()); });
        QVERIFY2(e.find("no weights found") != std::string::npos, e.c_str());
        const fs::path n = dir("noconfig");
        fs::create_directories(n);
        QVERIFY(errorOf([&] { loadCheckpoint(n.string()); }).find("config.json") != std::string::npos);
    }

    void truncatedSafetensorsIsNamed() {
        saveCheckpoint(dir("trunc"), config_, weights_, SaveFormat::HuggingFaceSafetensors);
        const fs::path f = fs::path(dir("trunc")) / "model.safetensors";
        fs::resize_file(f, fs::file_size(f) - 100);
        std::string e = errorOf([&] { loadCheckpoint(dir("trunc")); });
        QVERIFY2(e.find("model.safetensors") != std::string::npos && e.find("truncated") != std::string::npos, e.c_str());
        fs::resize_file(f, 5);
        e = errorOf([&] { loadCheckpoint(dir("trunc")); });
        QVERIFY2(e.find("truncated") != std::string::npos, e.c_str());
    }

    void truncatedTorchBinIsNamed() {
        saveCheckpoint(dir("truncbin"), config_, weights_, SaveFormat::StateSpacesBin);
        const fs::path f = fs::path(dir("truncbin")) / "pytorch_model.bin";
        fs::resize_file(f, fs::file_size(f) / 2);
        const std::string e = errorOf([&] { loadCheckpoint(dir("truncbin")); });
        QVERIFY2(e.find("pytorch_model.bin") != std::string::npos, e.c_str());
    }

    void wrongShapeNamesTheTensor() {
        auto sd = toStateDict(weights_, TensorNaming::HuggingFace);
        sd["backbone.layers.1.mixer.out_proj.weight"] = at::zeros({3, 3});
        const fs::path d = dir("shape");
        fs::create_directories(d);
        writeText(d / "config.json", config_.toHuggingFaceJson().dump());
        writeSafetensors((d / "model.safetensors").string(), sd);
        const std::string e = errorOf([&] { loadCheckpoint(d.string()); });
        QVERIFY2(e.find("backbone.layers.1.mixer.out_proj.weight") != std::string::npos, e.c_str());
        QVERIFY2(e.find("[3, 3]") != std::string::npos && e.find("[24, 48]") != std::string::npos, e.c_str());
        sd.erase("backbone.layers.1.mixer.out_proj.weight");
        writeSafetensors((d / "model.safetensors").string(), sd);
        QVERIFY(errorOf([&] { loadCheckpoint(d.string()); }).find("is missing") != std::string::npos);
    }

    void unknownLayerTypeAndBadConfig() {
        QVERIFY(errorOf([] {
                    parseMamba2Config({{"d_model", 64}, {"n_layer", 2}, {"ssm_cfg", {{"layer", "Mamba1"}}}}, "c.json");
                }).find("unknown layer type \"Mamba1\"") != std::string::npos);
        QVERIFY(errorOf([] { parseMamba2Config({{"model_type", "llama"}}, "c.json"); }).find("llama") != std::string::npos);
        QVERIFY(errorOf([] {
                    parseMamba2Config({{"model_type", "mamba2"}, {"hidden_size", 64}, {"num_heads", 3}}, "c.json");
                }).find("num_heads") != std::string::npos);
        const fs::path d = dir("badjson");
        fs::create_directories(d);
        writeText(d / "config.json", "{\"d_model\": ");
        QVERIFY(errorOf([&] { loadCheckpoint(d.string()); }).find("not valid JSON") != std::string::npos);
    }

    // Found by fuzz_model_config: sizes were multiplied and divided before they were checked (head_dim 0
    // divided by zero; huge values overflowed int64).
    void configSizesAreCheckedBeforeTheyAreUsed() {
        auto hf = [](nlohmann::json changes) {
            nlohmann::json j = {{"model_type", "mamba2"}, {"hidden_size", 64}, {"num_hidden_layers", 2}};
            j.update(changes);
            return errorOf([&] { parseMamba2Config(j, "c.json"); });
        };
        QVERIFY2(hf({{"head_dim", 0}}).find("headdim must be positive, got 0") != std::string::npos, hf({{"head_dim", 0}}).c_str());
        QVERIFY(hf({{"expand", 4611686018427387904LL}}).find("expand = 4611686018427387904 is beyond") != std::string::npos);
        QVERIFY(hf({{"num_heads", 4611686018427387904LL}}).find("num_heads * head_dim") != std::string::npos);
        auto ss = [](nlohmann::json changes) {
            nlohmann::json j = {{"d_model", 64}, {"n_layer", 2}, {"ssm_cfg", {{"layer", "Mamba2"}}}};
            j.update(changes);
            return errorOf([&] { parseMamba2Config(j, "c.json"); });
        };
        QVERIFY(ss({{"vocab_size", 9223372036854775807LL}, {"pad_vocab_size_multiple", 16}}).find("vocab_size") !=
                std::string::npos);
        QVERIFY(ss({{"d_model", 4611686018427387904LL}, {"ssm_cfg", {{"layer", "Mamba2"}, {"d_ssm", 5}}}})
                    .find("d_model = 4611686018427387904 is beyond") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "test_checkpoint.moc"
