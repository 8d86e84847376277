#include "core/model/Checkpoint.h"

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "core/Error.h"
#include "core/io/SafetensorsFile.h"
#include "core/io/TorchStateDictFile.h"

namespace fs = std::filesystem;

namespace ssmlens {
namespace {

std::string shapeText(at::IntArrayRef s) {
    std::ostringstream o;
    o << "[";
    for (size_t i = 0; i < s.size(); ++i) o << (i ? ", " : "") << s[i];
    o << "]";
    return o.str();
}

// Uniform access to the tensors of one checkpoint, whatever the container.
class TensorSource {
public:
    virtual ~TensorSource() = default;
    virtual bool has(const std::string& name) const = 0;
    virtual at::Tensor get(const std::string& name) const = 0;
    virtual std::string fileOf(const std::string& name) const = 0;
};

class SafetensorsSource : public TensorSource {
public:
    explicit SafetensorsSource(const fs::path& single) { files_.emplace_back(single.string()); index(0); }
    // Sharded: model.safetensors.index.json {"weight_map": {name: shard file}}
    static std::unique_ptr<SafetensorsSource> fromIndex(const fs::path& indexPath) {
        std::ifstream in(indexPath);
        if (!in) throw Error(indexPath.string() + ": cannot open the shard index");
        nlohmann::json j;
        try {
            in >> j;
        } catch (const nlohmann::json::exception& e) {
            throw Error(indexPath.string() + ": not valid JSON (" + e.what() + ")");
        }
        if (!j.contains("weight_map") || !j["weight_map"].is_object())
            throw Error(indexPath.string() + ": no \"weight_map\" object in the shard index");
        auto src = std::unique_ptr<SafetensorsSource>(new SafetensorsSource());
        std::map<std::string, size_t> shardIndex;
        for (auto it = j["weight_map"].begin(); it != j["weight_map"].end(); ++it) {
            const std::string shard = it.value().get<std::string>();
            if (!shardIndex.count(shard)) {
                fs::path p = indexPath.parent_path() / shard;
                if (!fs::exists(p))
                    throw Error(p.string() + ": shard listed in " + indexPath.filename().string() + " is missing");
                shardIndex[shard] = src->files_.size();
                src->files_.emplace_back(p.string());
            }
        }
        for (size_t i = 0; i < src->files_.size(); ++i) src->index(i);
        return src;
    }
    bool has(const std::string& name) const override { return where_.count(name) != 0; }
    at::Tensor get(const std::string& name) const override { return files_[where_.at(name)].tensor(name); }
    std::string fileOf(const std::string& name) const override {
        auto it = where_.find(name);
        return it == where_.end() ? files_.front().path() : files_[it->second].path();
    }

private:
    SafetensorsSource() = default;
    void index(size_t i) {
        for (const auto& n : files_[i].names()) where_[n] = i;
    }
    std::vector<SafetensorsFile> files_;
    std::map<std::string, size_t> where_;
};

class TorchBinSource : public TensorSource {
public:
    explicit TorchBinSource(const fs::path& p) : path_(p.string()), tensors_(readTorchStateDict(path_)) {}
    bool has(const std::string& name) const override { return tensors_.count(name) != 0; }
    at::Tensor get(const std::string& name) const override { return tensors_.at(name); }
    std::string fileOf(const std::string&) const override { return path_; }

private:
    std::string path_;
    std::map<std::string, at::Tensor> tensors_;
};

std::unique_ptr<TensorSource> openWeights(const fs::path& dir, std::string& which) {
    const fs::path index = dir / "model.safetensors.index.json", single = dir / "model.safetensors",
                   bin = dir / "pytorch_model.bin";
    if (fs::exists(index)) {
        which = index.string();
        return SafetensorsSource::fromIndex(index);
    }
    if (fs::exists(single)) {
        which = single.string();
        return std::make_unique<SafetensorsSource>(single);
    }
    if (fs::exists(bin)) {
        which = bin.string();
        return std::make_unique<TorchBinSource>(bin);
    }
    throw Error(dir.string() + ": no weights found (looked for model.safetensors.index.json, model.safetensors, "
                               "pytorch_model.bin)");
}

// Fetches one tensor by any of its names, checks its shape and converts it.
struct TensorReader {
    const TensorSource& src;
    const LoadOptions& opt;

    bool has(std::initializer_list<std::string> names) const {
        for (const auto& n : names)
            if (src.has(n)) return true;
        return false;
    }
    at::Tensor read(std::initializer_list<std::string> names, std::vector<int64_t> shape, at::ScalarType dtype,
                    bool required = true) const {
        for (const auto& n : names) {
            if (!src.has(n)) continue;
            at::Tensor t;
            try {
                t = src.get(n);
            } catch (const Error&) {
                throw;
            } catch (const std::exception& e) {
                throw Error(src.fileOf(n) + ": tensor " + n + " cannot be read (" + e.what() + ")");
            }
            if (t.sizes().vec() != shape)
                throw Error(src.fileOf(n) + ": tensor " + n + " has shape " + shapeText(t.sizes()) + ", expected " +
                            shapeText(shape));
            if (!t.is_floating_point())
                throw Error(src.fileOf(n) + ": tensor " + n + " has dtype " + c10::toString(t.scalar_type()) +
                            ", expected a floating-point type");
            return t.to(opt.device, dtype, /*non_blocking=*/false, /*copy=*/true).contiguous();
        }
        if (required)
            throw Error(src.fileOf(*names.begin()) + ": tensor " + *names.begin() + " is missing from the checkpoint");
        return {};
    }
};

}  // namespace

LoadedCheckpoint loadCheckpoint(const std::string& dirText, const LoadOptions& opt) {
    const fs::path dir(dirText);
    if (!fs::is_directory(dir)) throw Error(dirText + ": not a model folder (does not exist or is not a directory)");
    if (opt.dtype == at::kHalf && opt.device.is_cpu())
        throw Error("fp16 is not available on the CPU (libtorch has no CPU half-precision matrix product); "
                    "use fp32 or bf16 on the CPU, fp16 on a GPU");
    LoadedCheckpoint out;
    out.config = loadMamba2Config((dir / "config.json").string());
    auto src = openWeights(dir, out.weightsFile);
    TensorReader r{*src, opt};
    Mamba2Config& c = out.config;

    if (r.has({"backbone.layers.0.mixer.x_proj.weight"}))
        throw Error(out.weightsFile + ": this is a Mamba-1 checkpoint (mixer.x_proj found); SSM Lens reads Mamba-2");
    if (r.has({"backbone.layers." + std::to_string(c.nLayer) + ".norm.weight"}))
        throw Error(out.weightsFile + ": holds more layers than n_layer = " + std::to_string(c.nLayer) + " in config.json");

    // The embedding decides the vocabulary rows: checkpoints pad it (50277 -> 50288) and configs differ on it.
    const std::vector<std::string> embNames = {"backbone.embedding.weight", "backbone.embeddings.weight"};
    for (const auto& n : embNames) {
        if (!src->has(n)) continue;
        auto shape = src->get(n).sizes().vec();
        if (shape.size() == 2 && shape[1] == c.dModel && shape[0] >= c.vocabSize - 64) c.vocabSize = shape[0];
    }
    const int64_t D = c.dModel, Di = c.dInner(), H = c.nHeads(), V = c.vocabSize;
    Mamba2Weights& w = out.weights;
    w.embedding = r.read({embNames[0], embNames[1]}, {V, D}, opt.dtype);
    for (int64_t i = 0; i < c.nLayer; ++i) {
        const std::string p = "backbone.layers." + std::to_string(i) + ".";
        Mamba2LayerWeights L;
        L.norm = r.read({p + "norm.weight"}, {D}, opt.dtype);
        L.inProj = r.read({p + "mixer.in_proj.weight"}, {c.inProjDim(), D}, opt.dtype);
        L.inProjBias = r.read({p + "mixer.in_proj.bias"}, {c.inProjDim()}, opt.dtype, c.inProjBias);
        L.convWeight = r.read({p + "mixer.conv1d.weight"}, {c.convDim(), 1, c.dConv}, opt.dtype);
        L.convBias = r.read({p + "mixer.conv1d.bias"}, {c.convDim()}, opt.dtype, c.convBias);
        L.dtBias = r.read({p + "mixer.dt_bias"}, {H}, at::kFloat);
        L.aLog = r.read({p + "mixer.A_log"}, {H}, at::kFloat);
        L.d = r.read({p + "mixer.D"}, {c.dHasHdim ? Di : H}, at::kFloat);
        L.gatedNorm = r.read({p + "mixer.norm.weight"}, {Di}, opt.dtype);
        L.outProj = r.read({p + "mixer.out_proj.weight"}, {D, Di}, opt.dtype);
        L.outProjBias = r.read({p + "mixer.out_proj.bias"}, {D}, opt.dtype, c.inProjBias);
        w.layers.push_back(std::move(L));
    }
    w.normF = r.read({"backbone.norm_f.weight"}, {D}, opt.dtype);
    if (!c.tieEmbeddings && r.has({"lm_head.weight"}))
        w.lmHead = r.read({"lm_head.weight"}, {V, D}, opt.dtype);
    else
        w.lmHead = w.embedding;  // tied, or the file omits the duplicate
    return out;
}

void saveCheckpoint(const std::string& dirText, const Mamba2Config& config, const Mamba2Weights& weights,
                    SaveFormat format) {
    const fs::path dir(dirText);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(dirText + ": cannot create the folder (" + ec.message() + ")");
    const bool hf = format == SaveFormat::HuggingFaceSafetensors;
    {
        std::ofstream cfg(dir / "config.json");
        if (!cfg) throw Error((dir / "config.json").string() + ": cannot write");
        cfg << (hf ? config.toHuggingFaceJson() : config.toStateSpacesJson()).dump(2) << "\n";
    }
    auto sd = toStateDict(weights, hf ? TensorNaming::HuggingFace : TensorNaming::StateSpaces);
    if (hf)
        writeSafetensors((dir / "model.safetensors").string(), sd);
    else
        writeTorchStateDict((dir / "pytorch_model.bin").string(), sd);
}

}  // namespace ssmlens
