#include "core/io/SafetensorsFile.h"

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>
#include <string_view>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "core/Error.h"
#include "core/io/AtomicFile.h"
#include "core/io/InputFile.h"
#include "core/io/MappedFile.h"
#include "core/io/JsonDocument.h"

namespace ssmlens {

namespace {

// The reference parser's limit on the JSON header (huggingface/safetensors, MAX_HEADER_SIZE).
constexpr uint64_t kMaxHeaderBytes = 100'000'000;
constexpr size_t kMaxDims = 64;

// A tensor name for a message: quoted, and cut short when a hostile file makes it long.
std::string quotedName(const std::string& name) {
    return name.size() <= 120 ? "\"" + name + "\"" : "\"" + name.substr(0, 100) + "...\" (" + std::to_string(name.size()) + " characters)";
}

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
    throw Error(where + ": unsupported dtype " + quotedName(name) + " (F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL)");
}

const char* dtypeToName(at::ScalarType t) {
    for (const auto& d : kDtypes)
        if (t == d.type) return d.name;
    throw Error(std::string("safetensors: cannot write dtype ") + c10::toString(t));
}

}  // namespace

SafetensorsFile::SafetensorsFile(const std::string& path) : path_(path) {
    // Checked in the order of huggingface/safetensors' reference parser: the header length against the file,
    // the header as JSON, every entry's dtype, shape and offsets, then the offsets together (sorted, they
    // must tile the data exactly: no gap, no overlap, nothing after the last tensor).
    InputFile file(path, "a safetensors file");
    const uint64_t fileSize = file.size();
    if (fileSize < 8)
        throw Error(path + ": truncated safetensors file (" + std::to_string(fileSize) + " bytes, no header)");
    unsigned char lengthBytes[8];
    if (::pread(file.fd(), lengthBytes, 8, 0) != 8) throw Error(path + ": cannot read the safetensors header");
    uint64_t headerLen = 0;
    for (int i = 7; i >= 0; --i) headerLen = (headerLen << 8) | lengthBytes[i];
    if (headerLen > fileSize - 8)
        throw Error(path + ": truncated safetensors file (header says " + std::to_string(headerLen) +
                    " bytes, file has " + std::to_string(fileSize) + ")");
    if (headerLen > kMaxHeaderBytes)
        throw Error(path + ": the safetensors header is " + byteCountText(headerLen) + ", more than the " +
                    byteCountText(kMaxHeaderBytes) + " the format allows");
    map_ = mapInputFile(file);

    const auto* bytes = reinterpret_cast<const char*>(map_->bytes);
    const std::string_view headerText(bytes + 8, static_cast<size_t>(headerLen));
    if (headerText.empty() || headerText.front() != '{')
        throw Error(path + ": not a safetensors file (the header does not start with '{')");
    const nlohmann::json header = parseJsonText(headerText, path + ": safetensors header");
    if (!header.is_object()) throw Error(path + ": the safetensors header is not a JSON object");
    const uint64_t dataStart = 8 + headerLen, dataSize = fileSize - dataStart;

    for (auto it = header.begin(); it != header.end(); ++it) {
        const nlohmann::json& v = it.value();
        if (it.key() == "__metadata__") {
            if (!v.is_object()) throw Error(path + ": __metadata__ must be an object of strings");
            for (const auto& item : v.items())
                if (!item.value().is_string())
                    throw Error(path + ": __metadata__ entry " + quotedName(item.key()) + " is " +
                                jsonTypeWords(item.value()) + ", not a string");
            continue;
        }
        const std::string where = path + ": tensor " + quotedName(it.key());
        if (!v.is_object()) throw Error(where + ": the header entry is " + jsonTypeWords(v) + ", not an object");
        const auto dtype = v.find("dtype"), shape = v.find("shape"), offsets = v.find("data_offsets");
        if (dtype == v.end() || !dtype->is_string()) throw Error(where + ": no dtype (a string such as \"F32\")");
        if (shape == v.end() || !shape->is_array()) throw Error(where + ": no shape (a list of sizes)");
        if (offsets == v.end() || !offsets->is_array() || offsets->size() != 2 || !(*offsets)[0].is_number_unsigned() ||
            !(*offsets)[1].is_number_unsigned())
            throw Error(where + ": data_offsets must be two non-negative integers [begin, end]");
        Entry e;
        e.dtype = dtypeFromName(dtype->get<std::string>(), where);
        if (shape->size() > kMaxDims) throw Error(where + ": the shape has " + std::to_string(shape->size()) + " dimensions");
        uint64_t numel = 1;
        for (const auto& d : *shape) {
            if (!d.is_number_unsigned()) throw Error(where + ": shape " + jsonSnippet(*shape) + " holds a size that is not a non-negative integer");
            const uint64_t size = d.get<uint64_t>();
            if (size > uint64_t(INT64_MAX) || (size != 0 && numel > UINT64_MAX / size))
                throw Error(where + ": shape " + jsonSnippet(*shape) + " is too large");
            numel *= size;
            e.shape.push_back(static_cast<int64_t>(size));
        }
        const uint64_t elementBytes = c10::elementSize(e.dtype);
        if (numel > UINT64_MAX / elementBytes) throw Error(where + ": shape " + jsonSnippet(*shape) + " is too large");
        const uint64_t begin = (*offsets)[0].get<uint64_t>(), end = (*offsets)[1].get<uint64_t>();
        if (end < begin)
            throw Error(where + ": data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                        "] end before they begin");
        // Each offset against the data actually present before anything is added to it.
        if (end > dataSize)
            throw Error(where + ": data runs past the end of the file (truncated download? the data section has " +
                        std::to_string(dataSize) + " bytes, the tensor ends at " + std::to_string(end) + ")");
        if (end - begin != numel * elementBytes)
            throw Error(where + ": data_offsets cover " + std::to_string(end - begin) + " bytes but the shape needs " +
                        std::to_string(numel * elementBytes));
        e.begin = static_cast<size_t>(dataStart + begin);
        e.end = static_cast<size_t>(dataStart + end);
        entries_[it.key()] = std::move(e);
    }

    // Together: sorted by where they begin, each tensor starts where the previous one ended.
    std::vector<std::pair<const std::string*, const Entry*>> order;
    for (const auto& kv : entries_) order.emplace_back(&kv.first, &kv.second);
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
        return a.second->begin != b.second->begin ? a.second->begin < b.second->begin : a.second->end < b.second->end;
    });
    size_t expected = static_cast<size_t>(dataStart);
    const std::string* previous = nullptr;
    for (const auto& [name, e] : order) {
        if (e->begin < expected)
            throw Error(path + ": the data of tensors " + quotedName(*previous) + " and " + quotedName(*name) +
                        " overlap (bytes " + std::to_string(e->begin - dataStart) + ".." +
                        std::to_string(expected - dataStart) + " of the data section)");
        if (e->begin > expected)
            throw Error(path + ": bytes " + std::to_string(expected - dataStart) + ".." +
                        std::to_string(e->begin - dataStart) + " of the data section belong to no tensor " +
                        "(the file is damaged; the safetensors reference refuses it too)");
        expected = e->end;
        previous = name;
    }
    if (expected != fileSize)
        throw Error(path + ": " + std::to_string(fileSize - expected) +
                    " bytes after the last tensor belong to no tensor (the file is damaged)");
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
    void* ptr = const_cast<unsigned char*>(map_->bytes) + e.begin;
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
    const uint64_t len = headerText.size();
    unsigned char lenBytes[8];
    for (int i = 0; i < 8; ++i) lenBytes[i] = static_cast<unsigned char>((len >> (8 * i)) & 0xff);
    writeFileAtomically(path, [&](std::ostream& out) {
        out.write(reinterpret_cast<const char*>(lenBytes), 8);
        out.write(headerText.data(), static_cast<std::streamsize>(headerText.size()));
        for (const auto& t : cpu)
            out.write(static_cast<const char*>(t.data_ptr()), static_cast<std::streamsize>(t.numel() * t.element_size()));
    });
}

}  // namespace ssmlens
