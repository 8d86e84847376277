#include "core/train/Trainer.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>
#include <nlohmann/json.hpp>

#include "core/Error.h"
#include "core/io/AtomicFile.h"
#include "core/io/JsonDocument.h"
#include "core/io/SafetensorsFile.h"
#include "core/model/Checkpoint.h"
#include "core/model/Mamba2Model.h"
#include "core/train/TrainingWeights.h"

namespace ssmlens {
namespace fs = std::filesystem;
namespace {

const char kCsvHeader[] =
    "step,tokens,learning_rate,train_loss,grad_norm,heldout_loss,heldout_perplexity,tokens_per_second,"
    "elapsed_seconds";

// Cross-entropy of predicting windows[:, 1:] from windows[:, :-1].
at::Tensor nextTokenLoss(const Mamba2Model& model, const at::Tensor& windows) {
    const int64_t L = windows.size(1) - 1;
    at::Tensor inputs = windows.narrow(1, 0, L).to(model.device());
    at::Tensor targets = windows.narrow(1, 1, L).to(model.device());
    at::Tensor logits = model.forward(inputs).logits;  // [B, L, V] fp32
    return at::cross_entropy_loss(logits.reshape({-1, logits.size(-1)}), targets.reshape(-1));
}

struct Resumed {
    int64_t step = 0, tokens = 0;
    double elapsed = 0;
};

const char* const kCheckpointFiles[] = {"config.json", "model.safetensors", "optimizer.safetensors",
                                        "trainer_state.json"};

// Removes a checkpoint folder file by file. With fs::remove_all here, the GPU build (against PyTorch 2.11's
// libtorch) died of SIGSEGV at every second checkpoint save, the first that removes a full folder, with no
// usable backtrace; removing the known files one by one fixed it (2026-11-23, docs/demo-model.md). Our guess
// is a clash with std::filesystem symbols that libtorch exports; the directory iterator is avoided here.
void removeCheckpointDir(const fs::path& dir) {
    std::error_code ec;
    for (const char* f : kCheckpointFiles) fs::remove(dir / f, ec);
    fs::remove(dir, ec);
    if (fs::exists(dir)) throw Error(dir.string() + ": cannot remove (it holds files other than a checkpoint's)");
}

// Writes into dir.tmp, then swaps it in, so an interrupted save never destroys the last good checkpoint.
void saveTrainingState(const fs::path& dir, const Mamba2Config& config, const Mamba2Weights& master,
                       const AdamW& optimizer, const Resumed& at) {
    const fs::path tmp = dir.string() + ".tmp", old = dir.string() + ".old";
    removeCheckpointDir(tmp);
    saveCheckpoint(tmp.string(), config, master, SaveFormat::HuggingFaceSafetensors);
    writeSafetensors((tmp / "optimizer.safetensors").string(), optimizer.state());
    nlohmann::json state = {{"format", "ssmlens-trainer-state"}, {"version", 1}, {"step", at.step},
                            {"tokens", at.tokens}, {"elapsed_seconds", at.elapsed}};
    writeFileAtomically((tmp / "trainer_state.json").string(), state.dump(2) + "\n");
    removeCheckpointDir(old);
    if (fs::exists(dir)) fs::rename(dir, old);
    fs::rename(tmp, dir);
    removeCheckpointDir(old);
}

// The checkpoint to resume from: dir, or dir.old when a save was interrupted between its two renames.
fs::path resumableCheckpoint(const fs::path& dir) {
    for (const fs::path& p : {dir, fs::path(dir.string() + ".old")})
        if (fs::exists(p / "trainer_state.json")) return p;
    return {};
}

Resumed loadTrainingState(const fs::path& dir, const Mamba2Config& config, Mamba2Weights& master,
                          at::Device device) {
    LoadedCheckpoint ckpt = loadCheckpoint(dir.string(), {at::kFloat, device});
    if (ckpt.config.toHuggingFaceJson() != config.toHuggingFaceJson())
        throw Error(dir.string() + ": the checkpoint is of a different model shape (" + ckpt.config.summary() +
                    ") than the one asked for (" + config.summary() + "); use another --out folder");
    // Loaded tensors may view a read-only mapping: copy them into fresh trainable tensors.
    master = ckpt.weights;
    auto cloneAll = [](at::Tensor& t) { if (t.defined()) t = t.clone(); };
    cloneAll(master.embedding);
    cloneAll(master.normF);
    master.lmHead = config.tieEmbeddings ? master.embedding : master.lmHead.clone();
    for (auto& L : master.layers)
        for (at::Tensor* t : {&L.norm, &L.inProj, &L.inProjBias, &L.convWeight, &L.convBias, &L.dtBias, &L.aLog,
                              &L.d, &L.gatedNorm, &L.outProj, &L.outProjBias})
            cloneAll(*t);
    const std::string statePath = (dir / "trainer_state.json").string();
    const nlohmann::json state = readJsonFile(statePath, "the trainer state");
    try {
        const Resumed at{state.at("step").get<int64_t>(), state.at("tokens").get<int64_t>(),
                         state.at("elapsed_seconds").get<double>()};
        if (at.step < 0 || at.tokens < 0 || !(at.elapsed >= 0))
            throw Error(statePath + ": step, tokens and elapsed_seconds must not be negative");
        return at;
    } catch (const nlohmann::json::exception& e) {
        throw Error(statePath + ": malformed trainer state (" + jsonProblem(e) + ")");
    }
}

// loss.csv without the rows after `step` (they belong to the run that was interrupted).
void truncateLossCsv(const fs::path& csv, int64_t step) {
    std::ifstream in(csv.string());
    std::ostringstream kept;
    kept << kCsvHeader << "\n";
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        char* end = nullptr;
        const long long rowStep = std::strtoll(line.c_str(), &end, 10);
        if (end != line.c_str() && *end == ',' && rowStep <= step) kept << line << "\n";  // damaged rows are dropped
    }
    in.close();
    writeFileAtomically(csv.string(), kept.str());
}

void exportModel(const fs::path& dir, const Mamba2Config& config, const Mamba2Weights& master, at::ScalarType dtype) {
    at::NoGradGuard noGrad;
    Mamba2Weights w = computeWeights(master, dtype);
    saveCheckpoint(dir.string(), config, w, SaveFormat::HuggingFaceSafetensors);
}

}  // namespace

double meanWindowLoss(const Mamba2Model& model, const TokenStream& stream, int64_t seqLen, int64_t windows,
                      int64_t batchSize) {
    at::NoGradGuard noGrad;
    if (batchSize < 1) throw Error("the batch must hold at least one window (got " + std::to_string(batchSize) + ")");
    windows = std::min(windows, stream.windowCount(seqLen));
    if (windows <= 0) throw Error("the held-out stream is shorter than one window of " + std::to_string(seqLen));
    double sum = 0;
    for (int64_t first = 0; first < windows; first += batchSize) {
        const int64_t n = std::min(batchSize, windows - first);
        sum += nextTokenLoss(model, stream.windows(first, n, seqLen)).item<double>() * static_cast<double>(n);
    }
    return sum / static_cast<double>(windows);
}

TrainResult trainMamba2(const Mamba2Config& config, const TokenStream& train, const TokenStream& heldout,
                        const TrainOptions& o, const std::function<void(const TrainProgress&)>& progress) {
    config.validate("the training configuration");
    if (o.outDir.empty()) throw Error("training needs an output folder");
    if (train.maxId() >= config.vocabSize || heldout.maxId() >= config.vocabSize)
        throw Error("the token ids go up to " + std::to_string(std::max(train.maxId(), heldout.maxId())) +
                    " but the model has " + std::to_string(config.vocabSize) + " embedding rows");
    if (o.batchSize < 1 || o.seqLen < 2 || o.learningRate.totalSteps < 1)
        throw Error("batch size, sequence length and steps must be positive");
    const fs::path out(o.outDir), ckptDir = out / "checkpoint", csv = out / "loss.csv";
    fs::create_directories(out);

    TrainResult result;
    Resumed at;
    Mamba2Weights master;
    const fs::path from = resumableCheckpoint(ckptDir);
    if (!from.empty()) {
        at = loadTrainingState(from, config, master, o.device);
        result.resumed = true;
    } else {
        master = initialMamba2Weights(config, o.seed, o.device);
    }
    AdamW optimizer(trainableParameters(master), o.adamw);
    if (result.resumed) {
        SafetensorsFile state((from / "optimizer.safetensors").string());
        std::map<std::string, at::Tensor> tensors;
        for (const auto& name : state.names()) tensors[name] = state.tensor(name);
        optimizer.loadState(tensors, at.step);
        truncateLossCsv(csv, at.step);
    } else {
        writeFileAtomically(csv.string(), std::string(kCsvHeader) + "\n");
    }
    std::ofstream log(csv.string(), std::ios::app);

    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    auto elapsed = [&] { return at.elapsed + std::chrono::duration<double>(Clock::now() - start).count(); };
    double lastTime = elapsed();
    int64_t lastTokens = at.tokens;
    double heldoutLoss = -1;
    const int64_t tokensPerStep = o.batchSize * o.seqLen;

    while (at.step < o.learningRate.totalSteps) {
        const double lr = o.learningRate.at(at.step);
        at::Tensor loss;
        {
            Mamba2Model model(config, computeWeights(master, o.computeDtype));
            loss = nextTokenLoss(model, train.batch(at.step, o.batchSize, o.seqLen, o.seed));
            loss.backward();
        }
        const double gradNorm = clipGradientNorm(optimizer.parameters(), o.gradClip);
        optimizer.step(lr);
        ++at.step;
        at.tokens += tokensPerStep;

        const bool last = at.step == o.learningRate.totalSteps;
        const bool outOfTime = o.timeLimitSeconds > 0 && elapsed() >= o.timeLimitSeconds;
        const bool evaluate = last || outOfTime || (o.evalEvery > 0 && at.step % o.evalEvery == 0);
        if (evaluate) {
            Mamba2Model model(config, computeWeights(master, o.computeDtype));
            heldoutLoss = meanWindowLoss(model, heldout, o.seqLen, o.evalWindows, o.batchSize);
        }
        if (evaluate || at.step % std::max<int64_t>(1, o.logEvery) == 0 || at.step == 1) {
            TrainProgress p;
            p.step = at.step;
            p.tokens = at.tokens;
            p.learningRate = lr;
            p.trainLoss = loss.item<double>();
            p.gradNorm = gradNorm;
            p.heldoutLoss = evaluate ? heldoutLoss : -1;
            p.elapsedSeconds = elapsed();
            p.tokensPerSecond = static_cast<double>(at.tokens - lastTokens) / std::max(1e-9, p.elapsedSeconds - lastTime);
            lastTime = p.elapsedSeconds;
            lastTokens = at.tokens;
            log << p.step << ',' << p.tokens << ',' << p.learningRate << ',' << p.trainLoss << ',' << p.gradNorm << ',';
            if (evaluate) log << heldoutLoss << ',' << std::exp(heldoutLoss);
            else log << ',';
            log << ',' << p.tokensPerSecond << ',' << p.elapsedSeconds << "\n";
            log.flush();
            if (progress) progress(p);
        }
        if (last || outOfTime || (o.checkpointEvery > 0 && at.step % o.checkpointEvery == 0)) {
            Resumed snapshot = at;
            snapshot.elapsed = elapsed();
            saveTrainingState(ckptDir, config, master, optimizer, snapshot);
        }
        if (outOfTime) break;
    }
    if (heldoutLoss < 0) {  // resumed at the end: evaluate once so the result is complete
        Mamba2Model model(config, computeWeights(master, o.computeDtype));
        heldoutLoss = meanWindowLoss(model, heldout, o.seqLen, o.evalWindows, o.batchSize);
    }
    exportModel(out / "model", config, master, o.exportDtype);
    result.steps = at.step;
    result.tokens = at.tokens;
    result.finished = at.step >= o.learningRate.totalSteps;
    result.heldoutLoss = heldoutLoss;
    result.seconds = elapsed();
    return result;
}

}  // namespace ssmlens
