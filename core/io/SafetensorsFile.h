#pragma once
// Reader and writer for the safetensors format: 8-byte little-endian header length, a JSON header
// {name: {dtype, shape, data_offsets}}, then raw little-endian tensor data. The reader memory-maps the file
// and hands out CPU tensors that view the mapping (no copy); the mapping lives as long as any such tensor.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

namespace ssmlens {

struct MappedFile;

class SafetensorsFile {
public:
    // Throws ssmlens::Error naming the file: missing, truncated, a bad header, offsets outside the data.
    explicit SafetensorsFile(const std::string& path);

    const std::string& path() const { return path_; }
    std::vector<std::string> names() const;
    bool contains(const std::string& name) const { return entries_.count(name) != 0; }
    std::vector<int64_t> shape(const std::string& name) const;
    // A CPU tensor viewing the mapped bytes. Read-only use: the mapping is copy-on-write, never written back.
    at::Tensor tensor(const std::string& name) const;

private:
    struct Entry {
        at::ScalarType dtype;
        std::vector<int64_t> shape;
        size_t begin = 0, end = 0;  // byte offsets from the start of the file
    };
    std::string path_;
    std::shared_ptr<MappedFile> map_;
    std::map<std::string, Entry> entries_;
};

// Writes tensors (any device, contiguous or not) as one safetensors file, names in sorted order.
void writeSafetensors(const std::string& path, const std::map<std::string, at::Tensor>& tensors);

}  // namespace ssmlens
