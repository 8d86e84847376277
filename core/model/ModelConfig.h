#pragma once
// Mamba2Config: the shape of a Mamba-2 language model, read from either checkpoint layout.
// state-spaces layout: {d_model, n_layer, vocab_size, ssm_cfg{layer:"Mamba2", ...}, pad_vocab_size_multiple,
// tie_embeddings, ...}; Hugging Face layout: {model_type:"mamba2", hidden_size, num_hidden_layers, ...}.
// Missing fields take the Mamba2 defaults (docs/mamba2.md in shared docs).
#include <cstdint>
#include <limits>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace ssmlens {

enum class CheckpointLayout { StateSpaces, HuggingFace };

// Sizes a config may give (Mamba2Config::validate); far above the published models (d_model 2560, 64 layers,
// 50288 embedding rows), low enough that no size computed from them overflows.
inline constexpr int64_t kMaxModelWidth = 65536;
inline constexpr int64_t kMaxLayers = 4096;
inline constexpr int64_t kMaxVocabulary = int64_t(1) << 22;

struct Mamba2Config {
    int64_t dModel = 768;
    int64_t nLayer = 24;
    int64_t vocabSize = 50288;  // rows of the embedding (already padded)
    int64_t dState = 128;
    int64_t headdim = 64;
    int64_t ngroups = 1;
    int64_t chunkSize = 256;
    int64_t expand = 2;
    int64_t dConv = 4;
    double normEps = 1e-5;
    bool tieEmbeddings = true;
    bool inProjBias = false;   // "bias" / "use_bias"
    bool convBias = true;      // "conv_bias" / "use_conv_bias"
    bool dHasHdim = false;     // D per channel instead of per head
    double dtLimitMin = 0.0;
    double dtLimitMax = std::numeric_limits<double>::infinity();
    CheckpointLayout layout = CheckpointLayout::StateSpaces;
    int64_t eosId = 0;

    int64_t dInner() const { return expand * dModel; }
    int64_t nHeads() const { return dInner() / headdim; }
    int64_t convDim() const { return dInner() + 2 * ngroups * dState; }
    int64_t inProjDim() const { return 2 * dInner() + 2 * ngroups * dState + nHeads(); }

    // Throws ssmlens::Error naming the offending field when the shape is inconsistent.
    void validate(const std::string& source) const;
    int64_t parameterCount() const;
    std::string summary() const;  // one line: "d_model 768, 24 layers, ..."
    nlohmann::json toStateSpacesJson() const;
    nlohmann::json toHuggingFaceJson() const;
};

// Parses config.json of either layout. `source` names the file in error messages.
Mamba2Config parseMamba2Config(const nlohmann::json& j, const std::string& source);
Mamba2Config loadMamba2Config(const std::string& configPath);

// The published sizes (130m, 370m, 780m, 1.3b, 2.7b), for benchmarks with random weights.
Mamba2Config namedMamba2Config(const std::string& name);
const char* const* namedMamba2ConfigNames();  // nullptr-terminated

}  // namespace ssmlens
