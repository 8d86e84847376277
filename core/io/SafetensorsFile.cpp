#include "core/io/SafetensorsFile.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "core/Error.h"

namespace ssmlens {

struct MappedFile {
    void* data = nullptr;
    size_t size = 0;
    ~MappedFile() {
        if (data && data != MAP_FAILED) munmap(data, size);
    }
};

namespace {

struct DtypeName {
    const char* name;
    at::ScalarType type;
};
const DtypeName kDtypes[] = {{"F32", at::kFloat},  {"F16", at::kHalf}, {"BF16", at::kBFloat16}, {"F64", at::kDouble},
                             {"I64", at::kLong},   {"I32", at::kInt},  {"I16", at::kShort},     {"I8", at::kChar},
                             {"U8", at::kByte},    {"BOOL", at::kBool}};

at::ScalarType dtypeFromName(const std::string& name, const std::string& where) {
    for (const auto& d : kDtypes)
        if (name == d.name) return d.type;
    throw Error(where + ": unsupported dtype \"" + name + "\"");
}

const char* dtypeToName(at::ScalarType t) {
    for (const auto& d : kDtypes)
        if (t == d.type) return d.name;
    throw Error(std::string("safetensors: cannot write dtype ") + c10::toString(t));
}

}  // namespace

SafetensorsFile::SafetensorsFile(const std::string& path) : path_(path), map_(std::make_shared<MappedFile>()) {
    int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) throw Error(path + ": cannot open (" + std::strerror(errno) + ")");
    struct stat st {};
    if (fstat(fd, &st) != 0) {
        ::close(fd);
        throw Error(path + ": cannot stat (" + std::strerror(errno) + ")");
    }
    const size_t fileSize = static_cast<size_t>(st.st_size);
    if (fileSize < 8) {
        ::close(fd);
        throw Error(path + ": truncated safetensors file (" + std::to_string(fileSize) + " bytes, no header)");
    }
    map_->size = fileSize;
    map_->data = mmap(nullptr, fileSize, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (map_->data == MAP_FAILED) throw Error(path + ": cannot memory-map (" + std::strerror(errno) + ")");

    const auto* bytes = static_cast<const unsigned char*>(map_->data);
    uint64_t headerLen = 0;
    for (int i = 7; i >= 0; --i) headerLen = (headerLen << 8) | bytes[i];
    if (headerLen > fileSize - 8)
        throw Error(path + ": truncated safetensors file (header says " + std::to_string(headerLen) +
                    " bytes, file has " + std::to_string(fileSize) + ")");
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(bytes + 8, bytes + 8 + headerLen);
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": the safetensors header is not valid JSON (" + e.what() + ")");
    }
    if (!header.is_object()) throw Error(path + ": the safetensors header is not a JSON object");
    const size_t dataStart = 8 + headerLen;
    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() == "__metadata__") continue;
        const std::string where = path + ": tensor " + it.key();
        const auto& v = it.value();
        try {
            Entry e;
            e.dtype = dtypeFromName(v.at("dtype").get<std::string>(), where);
            e.shape = v.at("shape").get<std::vector<int64_t>>();
            auto offs = v.at("data_offsets").get<std::vector<uint64_t>>();
            if (offs.size() != 2 || offs[1] < offs[0]) throw Error(where + ": bad data_offsets");
            int64_t numel = 1;
            for (int64_t d : e.shape) {
                if (d < 0) throw Error(where + ": negative dimension in shape");
                numel *= d;
            }
            const size_t expected = static_cast<size_t>(numel) * c10::elementSize(e.dtype);
            if (offs[1] - offs[0] != expected)
                throw Error(where + ": data_offsets cover " + std::to_string(offs[1] - offs[0]) +
                            " bytes but the shape needs " + std::to_string(expected));
            e.begin = dataStart + offs[0];
            e.end = dataStart + offs[1];
            if (e.end > fileSize)
                throw Error(where + ": data runs past the end of the file (truncated download? file has " +
                            std::to_string(fileSize) + " bytes, tensor ends at " + std::to_string(e.end) + ")");
            entries_[it.key()] = std::move(e);
        } catch (const nlohmann::json::exception& ex) {
            throw Error(where + ": malformed header entry (" + ex.what() + ")");
        }
    }
}

std::vector<std::string> SafetensorsFile::names() const {
    std::vector<std::string> out;
    for (const auto& kv : entries_) out.push_back(kv.first);
    return out;
}

std::vector<int64_t> SafetensorsFile::shape(const std::string& name) const {
    auto it = entries_.find(name);
    if (it == entries_.end()) throw Error(path_ + ": no tensor named " + name);
    return it->second.shape;
}

at::Tensor SafetensorsFile::tensor(const std::string& name) const {
    auto it = entries_.find(name);
    if (it == entries_.end()) throw Error(path_ + ": no tensor named " + name);
    const Entry& e = it->second;
    auto keepAlive = map_;
    void* ptr = static_cast<char*>(map_->data) + e.begin;
    // Unaligned data (odd offsets are legal in the format) is copied so kernels see aligned memory.
    if (reinterpret_cast<uintptr_t>(ptr) % c10::elementSize(e.dtype) != 0) {
        at::Tensor out = at::empty(e.shape, at::TensorOptions().dtype(e.dtype));
        std::memcpy(out.data_ptr(), ptr, e.end - e.begin);
        return out;
    }
    return at::from_blob(
        ptr, e.shape, [keepAlive](void*) mutable { keepAlive.reset(); }, at::TensorOptions().dtype(e.dtype));
}

void writeSafetensors(const std::string& path, const std::map<std::string, at::Tensor>& tensors) {
    nlohmann::json header = nlohmann::json::object();
    std::vector<at::Tensor> cpu;
    size_t offset = 0;
    for (const auto& kv : tensors) {
        at::Tensor t = kv.second.detach().to(at::kCPU).contiguous();
        const size_t bytes = t.numel() * t.element_size();
        header[kv.first] = {{"dtype", dtypeToName(t.scalar_type())},
                            {"shape", t.sizes().vec()},
                            {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
        cpu.push_back(t);
    }
    std::string headerText = header.dump();
    while (headerText.size() % 8 != 0) headerText.push_back(' ');  // keeps tensor data 8-byte aligned
    std::ofstream out(path, std::ios::binary);
    if (!out) throw Error(path + ": cannot write");
    uint64_t len = headerText.size();
    unsigned char lenBytes[8];
    for (int i = 0; i < 8; ++i) lenBytes[i] = static_cast<unsigned char>((len >> (8 * i)) & 0xff);
    out.write(reinterpret_cast<const char*>(lenBytes), 8);
    out.write(headerText.data(), static_cast<std::streamsize>(headerText.size()));
    for (const auto& t : cpu)
        out.write(static_cast<const char*>(t.data_ptr()), static_cast<std::streamsize>(t.numel() * t.element_size()));
    if (!out) throw Error(path + ": write failed (disk full?)");
}

}  // namespace ssmlens
