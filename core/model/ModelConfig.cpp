#include "core/model/ModelConfig.h"

#include <cmath>
#include <limits>
#include <sstream>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "core/Error.h"
#include "core/io/InputFile.h"
#include "core/io/JsonDocument.h"

namespace ssmlens {
namespace {

using nlohmann::json;

constexpr uint64_t kMaxConfigBytes = 16 << 20;  // a config.json is a few KB

// A field of the config, strictly typed: an integer field holds an integer (64.0 is accepted, 64.9 and true
// are not: nlohmann would quietly make them 64 and 1), a number field a number, a flag true or false.
template <typename T>
T field(const json& j, const char* key, T fallback, const std::string& source) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    const json& v = *it;
    auto wrong = [&](const char* expected) -> Error {
        return Error(source + ": field \"" + key + "\" should be " + expected + ", found " + jsonTypeWords(v) + " (" +
                     jsonSnippet(v, 40) + ")");
    };
    if constexpr (std::is_same_v<T, bool>) {
        if (!v.is_boolean()) throw wrong("true or false");
        return v.get<bool>();
    } else if constexpr (std::is_same_v<T, std::string>) {
        if (!v.is_string()) throw wrong("a string");
        return v.get<std::string>();
    } else if constexpr (std::is_integral_v<T>) {
        if (v.is_number_integer()) {
            if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))
                throw wrong("an integer of sensible size");
            return static_cast<T>(v.get<int64_t>());
        }
        if (v.is_number_float()) {
            const double d = v.get<double>();
            if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) return static_cast<T>(d);
        }
        throw wrong("an integer");
    } else {
        if (!v.is_number()) throw wrong("a number");
        return v.get<T>();
    }
}

int64_t roundUp(int64_t v, int64_t multiple) { return multiple > 0 ? (v + multiple - 1) / multiple * multiple : v; }

void readDtLimit(const json& value, Mamba2Config& c, const std::string& source) {
    if (!value.is_array() || value.size() != 2) throw Error(source + ": time_step_limit must be a pair [min, max]");
    // transformers 5 writes infinity as {"__float__": "Infinity"}; older versions as a bare Infinity, which
    // loadMamba2Config turns into the string "Infinity" before parsing.
    auto num = [&](const json& v) -> double {
        if (v.is_number()) return v.get<double>();
        const json& text = v.is_object() && v.contains("__float__") ? v["__float__"] : v;
        if (text.is_string()) {
            const std::string t = text.get<std::string>();
            if (t == "inf" || t == "Infinity" || t == "+Infinity") return std::numeric_limits<double>::infinity();
            if (t == "-inf" || t == "-Infinity") return -std::numeric_limits<double>::infinity();
        }
        throw Error(source + ": time_step_limit holds " + jsonSnippet(v, 40) + ", not a number");
    };
    c.dtLimitMin = num(value[0]);
    c.dtLimitMax = num(value[1]);
}

Mamba2Config parseStateSpaces(const json& j, const std::string& source) {
    Mamba2Config c;
    c.layout = CheckpointLayout::StateSpaces;
    c.dModel = field<int64_t>(j, "d_model", 2560, source);
    c.nLayer = field<int64_t>(j, "n_layer", 64, source);
    if (field<int64_t>(j, "d_intermediate", 0, source) != 0)
        throw Error(source + ": d_intermediate > 0 (MLP blocks) is not a pure Mamba-2 model; not supported");
    auto attn = j.find("attn_layer_idx");
    if (attn != j.end() && attn->is_array() && !attn->empty())
        throw Error(source + ": attn_layer_idx lists attention layers; hybrid models are not supported");
    const auto ssmIt = j.find("ssm_cfg");
    const json ssm = ssmIt == j.end() || ssmIt->is_null() ? json::object() : *ssmIt;
    if (!ssm.is_object()) throw Error(source + ": ssm_cfg must be an object, found " + jsonTypeWords(ssm));
    std::string layer = field<std::string>(ssm, "layer", "Mamba1", source);
    if (layer != "Mamba2")
        throw Error(source + ": unknown layer type \"" + layer + "\" in ssm_cfg.layer (SSM Lens reads Mamba2)");
    c.dState = field<int64_t>(ssm, "d_state", 128, source);
    c.headdim = field<int64_t>(ssm, "headdim", 64, source);
    c.ngroups = field<int64_t>(ssm, "ngroups", 1, source);
    c.chunkSize = field<int64_t>(ssm, "chunk_size", 256, source);
    c.expand = field<int64_t>(ssm, "expand", 2, source);
    c.dConv = field<int64_t>(ssm, "d_conv", 4, source);
    c.inProjBias = field<bool>(ssm, "bias", false, source);
    c.convBias = field<bool>(ssm, "conv_bias", true, source);
    c.dHasHdim = field<bool>(ssm, "D_has_hdim", false, source);
    if (!field<bool>(ssm, "rmsnorm", true, source))
        throw Error(source + ": ssm_cfg.rmsnorm = false is not supported (the published models use the gated RMSNorm)");
    if (field<bool>(ssm, "norm_before_gate", false, source))
        throw Error(source + ": ssm_cfg.norm_before_gate = true is not supported");
    const int64_t dSsm = field<int64_t>(ssm, "d_ssm", -1, source);
    if (ssm.contains("dt_limit")) readDtLimit(ssm["dt_limit"], c, source);
    int64_t vocab = field<int64_t>(j, "vocab_size", 50277, source);
    const int64_t pad = field<int64_t>(j, "pad_vocab_size_multiple", 8, source);
    if (vocab <= 0 || vocab > kMaxVocabulary || pad < 0 || pad > 4096)  // before rounding: no overflow
        throw Error(source + ": vocab_size " + std::to_string(vocab) + " with pad_vocab_size_multiple " +
                    std::to_string(pad) + " is outside what SSM Lens accepts (1.." + std::to_string(kMaxVocabulary) +
                    ", 0..4096)");
    c.vocabSize = roundUp(vocab, pad);
    c.tieEmbeddings = field<bool>(j, "tie_embeddings", true, source);
    if (!field<bool>(j, "rms_norm", true, source))
        throw Error(source + ": rms_norm = false (LayerNorm blocks) is not supported");
    c.validate(source);  // the sizes first: the checks below multiply and divide them
    if (dSsm != -1 && dSsm != c.dInner())
        throw Error(source + ": ssm_cfg.d_ssm differs from expand * d_model; partial SSM channels are not supported");
    return c;
}

Mamba2Config parseHuggingFace(const json& j, const std::string& source) {
    Mamba2Config c;
    c.layout = CheckpointLayout::HuggingFace;
    c.dModel = field<int64_t>(j, "hidden_size", 2048, source);
    c.nLayer = field<int64_t>(j, "num_hidden_layers", 48, source);
    c.dState = field<int64_t>(j, "state_size", 128, source);
    c.headdim = field<int64_t>(j, "head_dim", 64, source);
    c.ngroups = field<int64_t>(j, "n_groups", 1, source);
    c.chunkSize = field<int64_t>(j, "chunk_size", 256, source);
    c.expand = field<int64_t>(j, "expand", 2, source);
    c.dConv = field<int64_t>(j, "conv_kernel", 4, source);
    c.normEps = field<double>(j, "layer_norm_epsilon", 1e-5, source);
    c.inProjBias = field<bool>(j, "use_bias", false, source);
    c.convBias = field<bool>(j, "use_conv_bias", true, source);
    c.vocabSize = field<int64_t>(j, "vocab_size", 32768, source);
    c.tieEmbeddings = field<bool>(j, "tie_word_embeddings", false, source);
    c.eosId = field<int64_t>(j, "eos_token_id", 0, source);
    if (j.contains("time_step_limit") && !j["time_step_limit"].is_null()) readDtLimit(j["time_step_limit"], c, source);
    const int64_t givenHeads = field<int64_t>(j, "num_heads", -1, source);
    c.validate(source);  // the sizes first (head_dim 0 divided by zero here before)
    const int64_t numHeads = givenHeads == -1 ? c.nHeads() : givenHeads;
    if (numHeads <= 0 || numHeads > c.dInner() || numHeads * c.headdim != c.dInner())
        // The factors, not their product: a hostile num_heads would overflow it (UBSan found it in this message).
        throw Error(source + ": num_heads * head_dim (" + std::to_string(numHeads) + " * " + std::to_string(c.headdim) +
                    ") differs from expand * hidden_size (" + std::to_string(c.dInner()) + ")");
    return c;
}

}  // namespace

void Mamba2Config::validate(const std::string& source) const {
    // Upper bounds far above any published model (the largest Mamba-2 has d_model 2560 and 64 layers), low
    // enough that sizes computed from them cannot overflow and nothing allocates gigabytes for a typo.
    auto inRange = [&](int64_t v, const char* name, int64_t most) {
        if (v <= 0) throw Error(source + ": " + name + " must be positive, got " + std::to_string(v));
        if (v > most)
            throw Error(source + ": " + name + " = " + std::to_string(v) + " is beyond what SSM Lens accepts (at most " +
                        std::to_string(most) + "); is the config damaged?");
    };
    inRange(dModel, "d_model", kMaxModelWidth);
    inRange(nLayer, "n_layer", kMaxLayers);
    inRange(vocabSize, "vocab_size", kMaxVocabulary);
    inRange(dState, "d_state", 4096);
    inRange(headdim, "headdim", 4096);
    inRange(ngroups, "ngroups", 4096);
    inRange(chunkSize, "chunk_size", 65536);
    inRange(expand, "expand", 16);
    inRange(dConv, "d_conv", 64);
    if (!(normEps > 0 && normEps < 1))
        throw Error(source + ": the norm epsilon (layer_norm_epsilon) must be in (0, 1), got " + std::to_string(normEps));
    if (!(dtLimitMin >= 0) || !(dtLimitMax > dtLimitMin))
        throw Error(source + ": time_step_limit [" + std::to_string(dtLimitMin) + ", " + std::to_string(dtLimitMax) +
                    "] must satisfy 0 <= min < max");
    if (dInner() % headdim != 0)
        throw Error(source + ": expand * d_model (" + std::to_string(dInner()) + ") is not a multiple of headdim (" +
                    std::to_string(headdim) + ")");
    if (nHeads() % ngroups != 0)
        throw Error(source + ": the number of heads (" + std::to_string(nHeads()) + ") is not a multiple of ngroups (" +
                    std::to_string(ngroups) + ")");
}

int64_t Mamba2Config::parameterCount() const {
    const int64_t H = nHeads();
    int64_t perLayer = dModel                                    // norm
                       + inProjDim() * dModel + (inProjBias ? inProjDim() : 0)
                       + convDim() * dConv + (convBias ? convDim() : 0)
                       + 3 * H + (dHasHdim ? dInner() - H : 0)  // dt_bias, A_log, D
                       + dInner()                                // gated norm
                       + dInner() * dModel + (inProjBias ? dModel : 0);
    return vocabSize * dModel * (tieEmbeddings ? 1 : 2) + nLayer * perLayer + dModel;
}

std::string Mamba2Config::summary() const {
    std::ostringstream s;
    s << "d_model " << dModel << ", " << nLayer << " layers, d_state " << dState << ", headdim " << headdim << ", "
      << nHeads() << " heads, ngroups " << ngroups << ", expand " << expand << ", d_conv " << dConv << ", chunk "
      << chunkSize << ", vocab " << vocabSize << (tieEmbeddings ? ", tied head" : ", separate head");
    return s.str();
}

nlohmann::json Mamba2Config::toStateSpacesJson() const {
    json ssm = {{"layer", "Mamba2"},  {"d_state", dState}, {"headdim", headdim}, {"ngroups", ngroups},
                {"chunk_size", chunkSize}, {"expand", expand}, {"d_conv", dConv}, {"bias", inProjBias},
                {"conv_bias", convBias}, {"D_has_hdim", dHasHdim}};
    return {{"d_model", dModel}, {"d_intermediate", 0}, {"n_layer", nLayer}, {"vocab_size", vocabSize},
            {"ssm_cfg", ssm}, {"attn_layer_idx", json::array()}, {"attn_cfg", json::object()},
            {"rms_norm", true}, {"residual_in_fp32", true}, {"fused_add_norm", true},
            {"pad_vocab_size_multiple", 1}, {"tie_embeddings", tieEmbeddings}};
}

nlohmann::json Mamba2Config::toHuggingFaceJson() const {
    json limit = json::array({dtLimitMin, std::isinf(dtLimitMax) ? json(1e30) : json(dtLimitMax)});
    return {{"model_type", "mamba2"}, {"architectures", {"Mamba2ForCausalLM"}}, {"hidden_size", dModel},
            {"num_hidden_layers", nLayer}, {"state_size", dState}, {"head_dim", headdim}, {"n_groups", ngroups},
            {"num_heads", nHeads()}, {"expand", expand}, {"conv_kernel", dConv}, {"chunk_size", chunkSize},
            {"vocab_size", vocabSize}, {"layer_norm_epsilon", normEps}, {"tie_word_embeddings", tieEmbeddings},
            {"use_bias", inProjBias}, {"use_conv_bias", convBias}, {"residual_in_fp32", true},
            {"rms_norm", true}, {"norm_before_gate", false}, {"time_step_limit", limit}, {"eos_token_id", eosId}};
}

Mamba2Config parseMamba2Config(const nlohmann::json& j, const std::string& source) {
    if (!j.is_object()) throw Error(source + ": expected a JSON object");
    Mamba2Config c;
    if (j.contains("model_type")) {
        std::string type = j["model_type"].is_string() ? j["model_type"].get<std::string>() : jsonSnippet(j["model_type"], 40);
        if (type.size() > 60) type = type.substr(0, 60) + "...";
        if (type != "mamba2")
            throw Error(source + ": model_type is \"" + type + "\"; SSM Lens reads Mamba-2 models (model_type mamba2)");
        c = parseHuggingFace(j, source);
    } else if (j.contains("d_model") || j.contains("ssm_cfg")) {
        c = parseStateSpaces(j, source);
    } else {
        throw Error(source + ": neither a state-spaces config (d_model, ssm_cfg) nor a Hugging Face one (model_type)");
    }
    c.validate(source);
    return c;
}

// Python's json module writes Infinity, -Infinity and NaN as bare words, which are not JSON; quote them
// (outside strings) so the parser accepts the file and the fields that allow them can read them.
static std::string quoteNonFiniteLiterals(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (inString) {
            out.push_back(ch);
            if (ch == '\\' && i + 1 < text.size()) out.push_back(text[++i]);
            else if (ch == '"') inString = false;
            continue;
        }
        if (ch == '"') inString = true;
        bool replaced = false;
        for (const char* word : {"-Infinity", "Infinity", "NaN"}) {
            const size_t n = std::char_traits<char>::length(word);
            if (text.compare(i, n, word) == 0) {
                out += std::string("\"") + word + "\"";
                i += n - 1;
                replaced = true;
                break;
            }
        }
        if (!replaced) out.push_back(ch);
    }
    return out;
}

Mamba2Config loadMamba2Config(const std::string& configPath) {
    const std::string text = readInputFile(configPath, "the model config (config.json)", kMaxConfigBytes);
    return parseMamba2Config(parseJsonText(quoteNonFiniteLiterals(text), configPath), configPath);
}

static const char* const kNamedConfigs[] = {"130m", "370m", "780m", "1.3b", "2.7b", nullptr};

const char* const* namedMamba2ConfigNames() { return kNamedConfigs; }

Mamba2Config namedMamba2Config(const std::string& name) {
    Mamba2Config c;  // defaults: d_state 128, headdim 64, expand 2, d_conv 4, chunk 256, vocab 50288, tied
    if (name == "130m") { c.dModel = 768; c.nLayer = 24; }
    else if (name == "370m") { c.dModel = 1024; c.nLayer = 48; }
    else if (name == "780m") { c.dModel = 1536; c.nLayer = 48; }
    else if (name == "1.3b") { c.dModel = 2048; c.nLayer = 48; }
    else if (name == "2.7b") { c.dModel = 2560; c.nLayer = 64; }
    else throw Error("unknown model size \"" + name + "\" (one of 130m, 370m, 780m, 1.3b, 2.7b)");
    return c;
}

}  // namespace ssmlens
