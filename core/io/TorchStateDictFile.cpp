#include "core/io/TorchStateDictFile.h"

#include <algorithm>
#include <cstring>

#include <ATen/ATen.h>
#include <torch/csrc/jit/serialization/pickle.h>

#include "core/Error.h"
#include "core/io/AtomicFile.h"
#include "core/io/InputFile.h"
#include "core/io/MappedFile.h"
#include "core/io/TorchPickle.h"
#include "core/io/ZipArchive.h"

namespace ssmlens {
namespace {

// The archive's records sit under one folder named after the file torch.save wrote ("archive/",
// "pytorch_model/"): the one that holds data.pkl.
std::string archivePrefix(const ZipArchive& zip, const std::string& path) {
    std::string prefix;
    int found = 0;
    for (const ZipEntry& e : zip.entries()) {
        const size_t slash = e.name.find('/');
        if (slash != std::string::npos && e.name.compare(slash, std::string::npos, "/data.pkl") == 0) {
            prefix = e.name.substr(0, slash + 1);
            ++found;
        }
    }
    if (found == 0) throw Error(path + ": not a torch.save archive (no data.pkl inside)");
    if (found > 1) throw Error(path + ": the archive holds " + std::to_string(found) + " data.pkl files");
    return prefix;
}

// Elements of the storage that the view reaches, checked against the storage without overflow.
void checkExtent(const TorchTensorRecord& t, const std::string& where) {
    if (t.storageOffset > t.storageNumel)
        throw Error(where + ": its storage offset " + std::to_string(t.storageOffset) + " lies past its storage (" +
                    std::to_string(t.storageNumel) + " elements)");
    for (int64_t size : t.sizes)
        if (size == 0) return;  // empty: reads nothing
    uint64_t last = uint64_t(t.storageOffset);  // index of the last element the view reads
    for (size_t d = 0; d < t.sizes.size(); ++d) {
        const unsigned __int128 reach = (unsigned __int128)(uint64_t(t.sizes[d]) - 1) * uint64_t(t.strides[d]);
        if (reach > uint64_t(t.storageNumel) || last + uint64_t(reach) > uint64_t(t.storageNumel))
            throw Error(where + ": its sizes and strides reach past its storage (" + std::to_string(t.storageNumel) +
                        " elements)");
        last += uint64_t(reach);
    }
    if (last >= uint64_t(t.storageNumel))
        throw Error(where + ": its sizes and strides reach past its storage (" + std::to_string(t.storageNumel) +
                    " elements)");
}

}  // namespace

std::map<std::string, at::Tensor> readTorchStateDict(const std::string& path) {
    InputFile file(path, "a pytorch_model.bin file");
    if (file.size() < 4) throw Error(path + ": not a torch.save archive (" + std::to_string(file.size()) + " bytes)");
    std::shared_ptr<MappedFile> map = mapInputFile(file);
    if (map->bytes[0] != 'P' || map->bytes[1] != 'K')
        throw Error(path + ": not a torch.save zip archive (legacy pre-1.6 pickles are not supported; "
                           "re-save with a recent PyTorch or convert to safetensors)");
    const ZipArchive zip(map->bytes, map->size, path);
    const std::string prefix = archivePrefix(zip, path);
    if (const ZipEntry* order = zip.find(prefix + "byteorder")) {
        const std::string text(reinterpret_cast<const char*>(zip.dataOf(*order)), size_t(std::min<uint64_t>(order->size, 16)));
        if (text != "little") throw Error(path + ": the tensors were saved " + text.substr(0, 16) + "-endian; only little-endian is read");
    }
    const ZipEntry& pickle = *zip.find(prefix + "data.pkl");
    zip.checkCrc(pickle);
    const std::vector<TorchStateDictEntry> entries =
        readTorchStateDictPickle(zip.dataOf(pickle), pickle.size, path + ": " + pickle.name);

    std::map<std::string, at::Tensor> out;
    for (const TorchStateDictEntry& entry : entries) {
        const TorchTensorRecord& t = entry.tensor;
        const std::string where = path + ": tensor \"" + entry.name.substr(0, 200) + "\"";
        const ZipEntry* record = zip.find(prefix + "data/" + t.storageKey);
        if (!record) throw Error(where + ": its storage record data/" + t.storageKey + " is missing from the archive");
        const uint64_t elementBytes = c10::elementSize(t.dtype);
        if (uint64_t(t.storageNumel) > record->size / elementBytes)
            throw Error(where + ": its storage claims " + std::to_string(t.storageNumel) + " elements but the record holds " +
                        std::to_string(record->size) + " bytes (truncated or damaged)");
        checkExtent(t, where);
        auto* storage = const_cast<unsigned char*>(zip.dataOf(*record));
        at::Tensor tensor;
        if (reinterpret_cast<uintptr_t>(storage) % elementBytes == 0) {
            // A view of the mapping (torch.save aligns records to 64 bytes), kept alive by the tensor.
            tensor = at::from_blob(
                storage, {t.storageNumel}, [map](void*) mutable { map.reset(); }, at::TensorOptions().dtype(t.dtype));
        } else {
            tensor = at::empty({t.storageNumel}, at::TensorOptions().dtype(t.dtype));
            std::memcpy(tensor.data_ptr(), storage, size_t(t.storageNumel) * elementBytes);
        }
        out[entry.name] = tensor.as_strided(t.sizes, t.strides, t.storageOffset);
    }
    return out;
}

void writeTorchStateDict(const std::string& path, const std::map<std::string, at::Tensor>& tensors) {
    c10::impl::GenericDict dict(c10::StringType::get(), c10::TensorType::get());
    for (const auto& kv : tensors) dict.insert(kv.first, kv.second.detach().to(at::kCPU).contiguous());
    const std::vector<char> bytes = torch::jit::pickle_save(dict);
    writeFileAtomically(path, std::string_view(bytes.data(), bytes.size()));
}

}  // namespace ssmlens
