#include "core/io/TorchStateDictFile.h"

#include <fstream>
#include <iterator>

#include <ATen/ATen.h>
#include <torch/csrc/jit/serialization/pickle.h>

#include "core/Error.h"

namespace ssmlens {

std::map<std::string, at::Tensor> readTorchStateDict(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open (missing or unreadable)");
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() < 4 || bytes[0] != 'P' || bytes[1] != 'K')
        throw Error(path + ": not a torch.save zip archive (legacy pre-1.6 pickles are not supported; "
                           "re-save with a recent PyTorch or convert to safetensors)");
    c10::IValue value;
    try {
        value = torch::jit::pickle_load(bytes);
    } catch (const std::exception& e) {
        std::string what = e.what();
        throw Error(path + ": cannot read the torch.save archive (truncated or corrupt?): " +
                    what.substr(0, what.find('\n')));
    }
    if (!value.isGenericDict()) throw Error(path + ": the archive does not hold a state dict (a dict of tensors)");
    std::map<std::string, at::Tensor> out;
    for (const auto& item : value.toGenericDict()) {
        if (!item.key().isString()) throw Error(path + ": a state-dict key is not a string");
        const std::string name = item.key().toStringRef();
        if (!item.value().isTensor()) continue;  // e.g. _metadata or non-tensor extras
        out[name] = item.value().toTensor();
    }
    return out;
}

void writeTorchStateDict(const std::string& path, const std::map<std::string, at::Tensor>& tensors) {
    c10::impl::GenericDict dict(c10::StringType::get(), c10::TensorType::get());
    for (const auto& kv : tensors) dict.insert(kv.first, kv.second.detach().to(at::kCPU).contiguous());
    std::vector<char> bytes = torch::jit::pickle_save(dict);
    std::ofstream out(path, std::ios::binary);
    if (!out) throw Error(path + ": cannot write");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw Error(path + ": write failed (disk full?)");
}

}  // namespace ssmlens
