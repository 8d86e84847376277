#include "app/cli/ModelArgs.h"

#include <cstdio>
#include <cstdlib>
#include <charconv>
#include <filesystem>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include "core/Error.h"
#include "core/bench/ModelBenchmark.h"
#include "core/io/NpyFile.h"
#include "core/reduction/TokenReducer.h"  // reductionKernelsBuilt
#include "core/runtime/DemoModel.h"

namespace fs = std::filesystem;

namespace ssmlens::cli {

std::vector<OptionSpec> modelOptionSpecs() {
    return {{"model", "DIR", "checkpoint folder (state-spaces or Hugging Face layout); default: the demo model"},
            {"dtype", "T", "fp32 (default), bf16 or fp16 (GPU only)"},
            {"device", "D", "cpu (default), cuda or cuda:N"},
            {"threads", "N", "CPU threads (default: all cores)"}};
}

std::string modelDirFrom(const CliArgs& args) {
    if (args.has("model")) return args.get("model");
    std::string dir = defaultModelDir();
    if (dir.empty()) throw Error("no --model given and no bundled demo model was found");
    return dir;
}

at::Device deviceFrom(const CliArgs& args, const std::string& fallback) {
    const std::string text = args.get("device", fallback);
    at::Device device(at::kCPU);
    try {
        device = at::Device(text);
    } catch (const std::exception&) {
        throw Error("unknown device \"" + text + "\" (use cpu, cuda or cuda:N)");
    }
    if (device.is_cuda() && !at::hasCUDA())
        throw Error("--device " + text + ": this build of libtorch has no CUDA or no GPU is visible");
    return device;
}

OptionSpec skipWithoutGpuOption() {
    return {"skip-without-gpu", "", "exit 77 (skipped, for CTest) when no CUDA device or no CUDA kernels are there"};
}

bool skippedWithoutGpu(const CliArgs& args, const std::string& command, bool kernelsNeeded) {
    if (!args.has("skip-without-gpu")) return false;
    const char* why = !at::hasCUDA() ? "no CUDA device is visible (or libtorch has no CUDA)"
                      : kernelsNeeded && !reductionKernelsBuilt() ? "this build has no CUDA kernels"
                                                                  : nullptr;
    if (!why) return false;
    std::printf("%s: skipped: %s\n", command.c_str(), why);
    return true;
}

Mamba2Model loadModelFrom(const CliArgs& args) {
    if (args.has("threads")) at::set_num_threads(static_cast<int>(args.getInt("threads", 1)));
    LoadOptions o;
    o.dtype = parseDtypeName(args.get("dtype", "fp32"));
    o.device = deviceFrom(args);
    Mamba2Model model = Mamba2Model::load(modelDirFrom(args), o);
    for (const std::string& w : model.loadWarnings()) std::fprintf(stderr, "warning: %s\n", w.c_str());
    return model;
}

std::unique_ptr<Tokenizer> tokenizerFrom(const CliArgs& args) {
    if (args.has("tokenizer")) return loadTokenizer(args.get("tokenizer"));
    const std::string dir = modelDirFrom(args);
    auto tok = loadTokenizerFromModelDir(dir);
    if (!tok) throw Error(dir + ": no tokenizer.json or tokenizer.model in the model folder (give --tokenizer FILE)");
    return tok;
}

std::vector<OptionSpec> promptOptionSpecs() {
    return {{"text", "T", "prompt text (tokenized with the model's tokenizer)"},
            {"ids", "IDS", "prompt token ids (comma-separated or .npy) instead of --text"},
            {"tokenizer", "FILE", "tokenizer file, when the model folder has none"}};
}

Prompt promptFrom(const CliArgs& args) {
    Prompt p;
    if (args.has("ids")) {
        p.ids = parseIds(args.get("ids"));
        try {
            p.tokenizer = tokenizerFrom(args);
        } catch (const Error&) {
            // ids without a tokenizer: everything works, text is shown as ids.
        }
    } else {
        p.tokenizer = tokenizerFrom(args);
        Encoding e = p.tokenizer->encode(args.required("text"));
        p.ids = std::move(e.ids);
        p.pieces = std::move(e.pieces);
    }
    if (p.ids.empty()) throw Error("the prompt has no tokens");
    return p;
}

std::vector<int64_t> parseIds(const std::string& text) {
    if (text.size() > 4 && text.substr(text.size() - 4) == ".npy") {
        at::Tensor t = readNpy(text);
        if (t.is_floating_point()) throw Error(text + ": ids must be integers (int64 or int32), not floats");
        t = t.to(at::kLong).flatten().contiguous();
        return std::vector<int64_t>(t.data_ptr<int64_t>(), t.data_ptr<int64_t>() + t.numel());
    }
    std::vector<int64_t> ids;
    for (const auto& item : splitList(text)) {
        long long id = 0;
        const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
        if (ec != std::errc() || end != item.data() + item.size())
            throw Error("--ids: \"" + item.substr(0, 40) + "\" is not an integer (give a comma-separated list or an .npy file)");
        ids.push_back(id);
    }
    if (ids.empty()) throw Error("--ids is empty");
    return ids;
}

}  // namespace ssmlens::cli
