#include "core/model/Checkpoint.h"

#include <filesystem>
#include <functional>
#include <set>
#include <sstream>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "core/Error.h"
#include "core/io/AtomicFile.h"
#include "core/io/JsonDocument.h"
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
    virtual std::vector<std::string> names() const = 0;
};

class SafetensorsSource : public TensorSource {
public:
    explicit SafetensorsSource(const fs::path& single) { files_.emplace_back(single.string()); index(0); }
    // Sharded: model.safetensors.index.json {"weight_map": {name: shard file}}. A shard is a plain file name
    // in the model folder (a subfolder at most): absolute paths, ".." and symlinks that lead out of the
    // folder are refused, so a downloaded index cannot make us open (and quote) files elsewhere.
    static std::unique_ptr<SafetensorsSource> fromIndex(const fs::path& indexPath) {
        const std::string source = indexPath.string();
        const nlohmann::json j = readJsonFile(source, "the shard index");
        if (!j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object())
            throw Error(source + ": no \"weight_map\" object in the shard index");
        auto src = std::unique_ptr<SafetensorsSource>(new SafetensorsSource());
        std::map<std::string, size_t> shardIndex;
        std::error_code ec;
        const fs::path folder = fs::canonical(indexPath.parent_path().empty() ? fs::path(".") : indexPath.parent_path(), ec);
        if (ec) throw Error(source + ": cannot resolve the model folder (" + ec.message() + ")");
        for (auto it = j["weight_map"].begin(); it != j["weight_map"].end(); ++it) {
            if (!it.value().is_string())
                throw Error(source + ": weight_map entry \"" + it.key().substr(0, 200) + "\" is " +
                            jsonTypeWords(it.value()) + ", not a shard file name");
            const std::string shard = it.value().get<std::string>();
            if (shardIndex.count(shard)) continue;
            src->files_.emplace_back(shardInside(folder, shard, source));
            shardIndex[shard] = src->files_.size() - 1;
        }
        if (src->files_.empty()) throw Error(source + ": the shard index lists no shards");
        for (size_t i = 0; i < src->files_.size(); ++i) src->index(i);
        return src;
    }
    bool has(const std::string& name) const override { return where_.count(name) != 0; }
    at::Tensor get(const std::string& name) const override { return files_[where_.at(name)].tensor(name); }
    std::string fileOf(const std::string& name) const override {
        auto it = where_.find(name);
        return it == where_.end() ? files_.front().path() : files_[it->second].path();
    }
    std::vector<std::string> names() const override {
        std::vector<std::string> out;
        for (const auto& kv : where_) out.push_back(kv.first);
        return out;
    }

private:
    SafetensorsSource() = default;
    // The shard's path, after checking that it stays inside `folder` (canonical) once symlinks are resolved.
    static std::string shardInside(const fs::path& folder, const std::string& shard, const std::string& source) {
        const std::string quoted = "\"" + (shard.size() > 200 ? shard.substr(0, 200) + "..." : shard) + "\"";
        const fs::path relative(shard);
        bool climbs = false;
        for (const auto& part : relative) climbs = climbs || part == "..";
        if (shard.empty() || relative.is_absolute() || climbs || shard.find('\0') != std::string::npos)
            throw Error(source + ": shard " + quoted +
                        " is not a file name inside the model folder (absolute paths and .. are refused)");
        const fs::path candidate = folder / relative;
        std::error_code ec;
        if (!fs::exists(fs::symlink_status(candidate, ec)))
            throw Error(candidate.string() + ": shard listed in " + fs::path(source).filename().string() + " is missing");
        const fs::path resolved = fs::canonical(candidate, ec);
        if (ec) throw Error(candidate.string() + ": cannot resolve the shard (" + ec.message() + ")");
        const auto [folderEnd, unused] = std::mismatch(folder.begin(), folder.end(), resolved.begin(), resolved.end());
        (void)unused;
        if (folderEnd != folder.end())
            throw Error(source + ": shard " + quoted + " leads outside the model folder (through a symlink); refused");
        return candidate.string();
    }
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
    std::vector<std::string> names() const override {
        std::vector<std::string> out;
        for (const auto& kv : tensors_) out.push_back(kv.first);
        return out;
    }

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

// "12 NaN and 3 infinite values": what a tensor holds that no forward pass survives; empty when all finite.
std::string nonFiniteText(const at::Tensor& t) {
    if (at::isfinite(t).all().item<bool>()) return {};
    const int64_t nan = at::isnan(t).sum().item<int64_t>(), inf = at::isinf(t).sum().item<int64_t>();
    std::string text;
    if (nan) text = std::to_string(nan) + " NaN";
    if (inf) text += (text.empty() ? "" : " and ") + std::to_string(inf) + " infinite";
    return text + (nan + inf == 1 ? " value" : " values");
}

// Fetches one tensor by any of its names, checks its shape and converts it; records which names were used
// and which tensors hold NaN or infinite values.
struct TensorReader {
    const TensorSource& src;
    const LoadOptions& opt;
    std::set<std::string>* used;
    std::vector<std::string>* warnings;

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
                const std::string what = e.what();
                throw Error(src.fileOf(n) + ": tensor " + n + " cannot be read (" + what.substr(0, what.find('\n')) + ")");
            }
            if (t.sizes().vec() != shape)
                throw Error(src.fileOf(n) + ": tensor " + n + " has shape " + shapeText(t.sizes()) + ", expected " +
                            shapeText(shape));
            if (!t.is_floating_point())
                throw Error(src.fileOf(n) + ": tensor " + n + " has dtype " + c10::toString(t.scalar_type()) +
                            ", expected a floating-point type");
            used->insert(n);
            at::Tensor converted = t.to(opt.device, dtype, /*non_blocking=*/false, /*copy=*/true).contiguous();
            // Checked once here (on the device the model runs on, so cheap on a GPU): a NaN in any weight makes
            // every output NaN, silently. Said by name so the user knows which tensor is damaged.
            if (std::string bad = nonFiniteText(converted); !bad.empty()) {
                const bool overflow = nonFiniteText(t).empty();  // finite in the file: too large for the dtype
                warnings->push_back(src.fileOf(n) + ": tensor " + n + " holds " + bad +
                                    (overflow ? " after conversion to " + std::string(c10::toString(dtype)) +
                                                    " (values beyond its range); load it in a wider dtype"
                                              : "; outputs of this model will be NaN"));
            }
            return converted;
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
    std::set<std::string> used;
    TensorReader r{*src, opt, &used, &out.warnings};
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

    // Tensors the model does not use: a different architecture, or a file meant for another tool. Said, not
    // hidden; a tied head's copy is expected.
    std::vector<std::string> unknown;
    for (const std::string& n : src->names())
        if (!used.count(n) && n != "lm_head.weight" && n != embNames[0] && n != embNames[1]) unknown.push_back(n);
    if (!unknown.empty()) {
        std::string list;
        for (size_t i = 0; i < unknown.size() && i < 5; ++i) list += (i ? ", " : "") + unknown[i].substr(0, 120);
        if (unknown.size() > 5) list += ", ...";
        out.warnings.push_back(out.weightsFile + ": " + std::to_string(unknown.size()) +
                               (unknown.size() == 1 ? " tensor is not part of a Mamba-2 model and was ignored: "
                                                    : " tensors are not part of a Mamba-2 model and were ignored: ") +
                               list);
    }
    return out;
}

void saveCheckpoint(const std::string& dirText, const Mamba2Config& config, const Mamba2Weights& weights,
                    SaveFormat format) {
    const fs::path dir(dirText);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(dirText + ": cannot create the folder (" + ec.message() + ")");
    const bool hf = format == SaveFormat::HuggingFaceSafetensors;
    writeFileAtomically((dir / "config.json").string(),
                        (hf ? config.toHuggingFaceJson() : config.toStateSpacesJson()).dump(2) + "\n");
    auto sd = toStateDict(weights, hf ? TensorNaming::HuggingFace : TensorNaming::StateSpaces);
    if (hf)
        writeSafetensors((dir / "model.safetensors").string(), sd);
    else
        writeTorchStateDict((dir / "pytorch_model.bin").string(), sd);
}

}  // namespace ssmlens
