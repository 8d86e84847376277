#include "core/io/NpyFile.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <string_view>

#include <ATen/ATen.h>

#include "core/Error.h"
#include "core/io/AtomicFile.h"
#include "core/io/InputFile.h"

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
    const uint16_t len = static_cast<uint16_t>(header.size());
    const char lenBytes[2] = {static_cast<char>(len & 0xff), static_cast<char>(len >> 8)};
    writeFileAtomically(path, [&](std::ostream& out) {
        out.write(kMagic, 6);
        const char version[2] = {1, 0};
        out.write(version, 2);
        out.write(lenBytes, 2);
        out.write(header.data(), static_cast<std::streamsize>(header.size()));
        out.write(static_cast<const char*>(t.data_ptr()), static_cast<std::streamsize>(t.numel() * t.element_size()));
    });
}

namespace {

// The header is a Python dict literal, {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }, read by
// this small scanner (no regex: std::regex recurses per character and overflows the stack on a long header).
class NpyHeaderParser {
public:
    NpyHeaderParser(std::string_view text, const std::string& path) : t_(text), path_(path) {}

    void parse(std::string& descr, bool& fortranOrder, std::vector<int64_t>& shape) {
        bool haveDescr = false, haveOrder = false, haveShape = false;
        expect('{');
        while (!peek('}')) {
            const std::string key = quoted();
            expect(':');
            if (key == "descr") descr = quoted(), haveDescr = true;
            else if (key == "fortran_order") fortranOrder = boolean(), haveOrder = true;
            else if (key == "shape") shape = tuple(), haveShape = true;
            else fail("unknown header key '" + key.substr(0, 40) + "'");
            if (!peek('}')) expect(',');
        }
        expect('}');
        if (!haveDescr || !haveOrder || !haveShape) fail("the header lacks descr, fortran_order or shape");
    }

private:
    [[noreturn]] void fail(const std::string& problem) const { throw Error(path_ + ": bad .npy header (" + problem + ")"); }
    void skipSpace() {
        while (at_ < t_.size() && (t_[at_] == ' ' || t_[at_] == '\t' || t_[at_] == '\n' || t_[at_] == '\r')) ++at_;
    }
    bool peek(char c) {
        skipSpace();
        return at_ < t_.size() && t_[at_] == c;
    }
    void expect(char c) {
        if (!peek(c)) fail(std::string("expected '") + c + "' at byte " + std::to_string(at_));
        ++at_;
    }
    std::string quoted() {
        skipSpace();
        if (at_ >= t_.size() || (t_[at_] != '\'' && t_[at_] != '"')) fail("expected a quoted string at byte " + std::to_string(at_));
        const char q = t_[at_++];
        const size_t close = t_.find(q, at_);
        if (close == std::string_view::npos || close - at_ > 64) fail("an unterminated or overlong string");
        std::string s(t_.substr(at_, close - at_));
        at_ = close + 1;
        return s;
    }
    bool boolean() {
        skipSpace();
        if (t_.substr(at_, 4) == "True") return at_ += 4, true;
        if (t_.substr(at_, 5) == "False") return at_ += 5, false;
        fail("fortran_order is neither True nor False");
    }
    std::vector<int64_t> tuple() {
        std::vector<int64_t> dims;
        expect('(');
        while (!peek(')')) {
            uint64_t v = 0;
            size_t digits = 0;
            while (at_ < t_.size() && t_[at_] >= '0' && t_[at_] <= '9') {
                if (++digits > 18) fail("a dimension in shape is too large");
                v = v * 10 + uint64_t(t_[at_++] - '0');
            }
            if (at_ < t_.size() && t_[at_] == 'L') ++at_;  // Python 2 longs
            if (digits == 0) fail("shape holds something other than non-negative integers");
            dims.push_back(int64_t(v));
            if (dims.size() > 32) fail("shape has more than 32 dimensions");
            if (!peek(')')) expect(',');
        }
        expect(')');
        return dims;
    }

    std::string_view t_;
    const std::string& path_;
    size_t at_ = 0;
};

constexpr uint64_t kMaxNpyHeaderBytes = 1 << 20;  // numpy writes a few dozen bytes; it refuses > 10000 by default

}  // namespace

at::Tensor readNpy(const std::string& path) {
    InputFile file(path, "a NumPy .npy file");
    auto readAt = [&](void* into, uint64_t bytes, uint64_t offset) {
        if (offset > file.size() || bytes > file.size() - offset) return false;
        auto* out = static_cast<char*>(into);
        for (uint64_t done = 0; done < bytes;) {
            const ssize_t n = ::pread(file.fd(), out + done, size_t(bytes - done), off_t(offset + done));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            done += uint64_t(n);
        }
        return true;
    };
    unsigned char lead[12] = {};
    if (!readAt(lead, 10, 0) || std::memcmp(lead, kMagic, 6) != 0) throw Error(path + ": not a NumPy .npy file (bad magic)");
    const int major = lead[6];
    if (major < 1 || major > 3) throw Error(path + ": .npy format version " + std::to_string(major) + " is not supported");
    uint64_t headerLen = 0, headerStart = 10;
    if (major == 1) {
        headerLen = lead[8] | (uint64_t(lead[9]) << 8);
    } else {
        if (!readAt(lead + 10, 2, 10)) throw Error(path + ": truncated .npy header");
        headerLen = lead[8] | (uint64_t(lead[9]) << 8) | (uint64_t(lead[10]) << 16) | (uint64_t(lead[11]) << 24);
        headerStart = 12;
    }
    // The length against the bytes present before anything is allocated for it.
    if (headerLen > file.size() - headerStart)
        throw Error(path + ": truncated .npy header (it claims " + std::to_string(headerLen) + " bytes, the file has " +
                    std::to_string(file.size()) + ")");
    if (headerLen > kMaxNpyHeaderBytes)
        throw Error(path + ": the .npy header is " + byteCountText(headerLen) + " long; refused");
    std::string header(size_t(headerLen), '\0');
    if (!readAt(header.data(), headerLen, headerStart)) throw Error(path + ": truncated .npy header");

    std::string descr;
    bool fortranOrder = false;
    std::vector<int64_t> shape;
    NpyHeaderParser(header, path).parse(descr, fortranOrder, shape);
    const at::ScalarType type = typeOf(descr, path);
    if (fortranOrder) throw Error(path + ": Fortran-order .npy arrays are not supported");
    const uint64_t dataStart = headerStart + headerLen, available = file.size() - dataStart;
    const bool empty = std::find(shape.begin(), shape.end(), int64_t(0)) != shape.end();
    uint64_t bytes = empty ? 0 : c10::elementSize(type);
    for (int64_t d : shape) {
        if (bytes > 0 && bytes > available / uint64_t(d))
            throw Error(path + ": truncated .npy data (the shape needs more than the " + std::to_string(available) +
                        " bytes present)");
        bytes *= uint64_t(d);
    }
    if (bytes > available)
        throw Error(path + ": truncated .npy data (" + std::to_string(available) + " of " + std::to_string(bytes) + " bytes)");
    at::Tensor t = at::empty(shape, at::TensorOptions().dtype(type));
    if (!readAt(t.data_ptr(), bytes, dataStart)) throw Error(path + ": read error in the .npy data");
    return t;
}

}  // namespace ssmlens
