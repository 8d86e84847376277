#include "core/io/NpyFile.h"

#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include <ATen/ATen.h>

#include "core/Error.h"

namespace ssmlens {
namespace {

const char kMagic[] = "\x93NUMPY";

std::string descrOf(at::ScalarType t) {
    switch (t) {
        case at::kFloat: return "<f4";
        case at::kDouble: return "<f8";
        case at::kLong: return "<i8";
        case at::kInt: return "<i4";
        case at::kShort: return "<i2";
        default: throw Error(std::string("cannot write dtype ") + c10::toString(t) + " to .npy");
    }
}

at::ScalarType typeOf(const std::string& descr, const std::string& path) {
    if (descr == "<f4") return at::kFloat;
    if (descr == "<f8") return at::kDouble;
    if (descr == "<i8") return at::kLong;
    if (descr == "<i4") return at::kInt;
    if (descr == "<i2") return at::kShort;
    throw Error(path + ": unsupported .npy dtype '" + descr + "' (use float32, float64, int64, int32 or int16)");
}

}  // namespace

void writeNpy(const std::string& path, const at::Tensor& tIn) {
    at::Tensor t = tIn.detach().to(at::kCPU).contiguous();
    std::ostringstream h;
    h << "{'descr': '" << descrOf(t.scalar_type()) << "', 'fortran_order': False, 'shape': (";
    for (int64_t i = 0; i < t.dim(); ++i) h << t.size(i) << (t.dim() == 1 || i + 1 < t.dim() ? "," : "");
    h << "), }";
    std::string header = h.str();
    // Magic (6) + version (2) + length (2) + header + '\n' padded to a multiple of 64.
    const size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header.push_back('\n');
    std::ofstream out(path, std::ios::binary);
    if (!out) throw Error(path + ": cannot write");
    out.write(kMagic, 6);
    const char version[2] = {1, 0};
    out.write(version, 2);
    const uint16_t len = static_cast<uint16_t>(header.size());
    const char lenBytes[2] = {static_cast<char>(len & 0xff), static_cast<char>(len >> 8)};
    out.write(lenBytes, 2);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(static_cast<const char*>(t.data_ptr()), static_cast<std::streamsize>(t.numel() * t.element_size()));
    if (!out) throw Error(path + ": write failed (disk full?)");
}

at::Tensor readNpy(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open (missing or unreadable)");
    char magic[8] = {};
    in.read(magic, 8);
    if (!in || std::memcmp(magic, kMagic, 6) != 0) throw Error(path + ": not a NumPy .npy file (bad magic)");
    uint32_t headerLen = 0;
    if (magic[6] == 1) {
        unsigned char b[2];
        in.read(reinterpret_cast<char*>(b), 2);
        headerLen = b[0] | (b[1] << 8);
    } else {
        unsigned char b[4];
        in.read(reinterpret_cast<char*>(b), 4);
        headerLen = b[0] | (b[1] << 8) | (b[2] << 16) | (uint32_t(b[3]) << 24);
    }
    std::string header(headerLen, '\0');
    in.read(header.data(), headerLen);
    if (!in) throw Error(path + ": truncated .npy header");
    std::smatch m;
    if (!std::regex_search(header, m, std::regex("'descr':\\s*'([^']+)'")))
        throw Error(path + ": .npy header has no descr");
    const at::ScalarType type = typeOf(m[1], path);
    if (std::regex_search(header, std::regex("'fortran_order':\\s*True")))
        throw Error(path + ": Fortran-order .npy arrays are not supported");
    if (!std::regex_search(header, m, std::regex("'shape':\\s*\\(([^)]*)\\)")))
        throw Error(path + ": .npy header has no shape");
    std::vector<int64_t> shape;
    std::stringstream dims(m[1].str());
    std::string item;
    while (std::getline(dims, item, ','))
        if (item.find_first_not_of(" ") != std::string::npos) shape.push_back(std::stoll(item));
    at::Tensor t = at::empty(shape, at::TensorOptions().dtype(type));
    const auto bytes = static_cast<std::streamsize>(t.numel() * t.element_size());
    in.read(static_cast<char*>(t.data_ptr()), bytes);
    if (in.gcount() != bytes)
        throw Error(path + ": truncated .npy data (" + std::to_string(in.gcount()) + " of " + std::to_string(bytes) +
                    " bytes)");
    return t;
}

}  // namespace ssmlens
