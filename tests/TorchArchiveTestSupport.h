#pragma once
// Building torch.save archives byte by byte, to test the reader (core/io/ZipArchive, TorchPickle,
// TorchStateDictFile) on what torch.save writes and on what a hostile file could hold: a stored zip (optionally
// with the zip64 records PyTorch writes above 4 GiB) and protocol-2 pickles of one-tensor state dicts.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ssmlens::testing {

inline void putLe(std::string& out, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(char((v >> (8 * i)) & 0xFF));
}

// entries: (name, data). zip64: every size and offset in the central directory as 0xFFFFFFFF with a zip64
// extra field, and the zip64 end records, as miniz (PyTorch's writer) does for large archives.
inline std::string storedZip(const std::vector<std::pair<std::string, std::string>>& entries, bool zip64 = false) {
    std::string out, central;
    for (const auto& [name, data] : entries) {
        const uint64_t offset = out.size();
        putLe(out, 0x04034b50, 4);
        putLe(out, 20, 2), putLe(out, 0, 2), putLe(out, 0, 2), putLe(out, 0, 2), putLe(out, 0, 2);
        putLe(out, 0, 4);  // CRC: checked for data.pkl only; filled below
        putLe(out, data.size(), 4), putLe(out, data.size(), 4);
        putLe(out, name.size(), 2), putLe(out, 0, 2);
        out += name;
        out += data;
        uint32_t crc = 0xFFFFFFFFu;  // CRC-32 of data
        for (unsigned char c : data) {
            crc ^= c;
            for (int k = 0; k < 8; ++k) crc = (crc & 1) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        crc ^= 0xFFFFFFFFu;
        out.replace(offset + 14, 4, std::string{char(crc), char(crc >> 8), char(crc >> 16), char(crc >> 24)});
        std::string extra;
        if (zip64) {
            putLe(extra, 1, 2), putLe(extra, 24, 2);
            putLe(extra, data.size(), 8), putLe(extra, data.size(), 8), putLe(extra, offset, 8);
        }
        putLe(central, 0x02014b50, 4);
        putLe(central, 45, 2), putLe(central, 45, 2), putLe(central, 0, 2), putLe(central, 0, 2);
        putLe(central, 0, 2), putLe(central, 0, 2);
        putLe(central, crc, 4);
        putLe(central, zip64 ? 0xFFFFFFFFu : data.size(), 4), putLe(central, zip64 ? 0xFFFFFFFFu : data.size(), 4);
        putLe(central, name.size(), 2), putLe(central, extra.size(), 2), putLe(central, 0, 2);
        putLe(central, 0, 2), putLe(central, 0, 2), putLe(central, 0, 4);
        putLe(central, zip64 ? 0xFFFFFFFFu : offset, 4);
        central += name + extra;
    }
    const uint64_t directoryOffset = out.size();
    out += central;
    if (zip64) {
        const uint64_t record = out.size();
        putLe(out, 0x06064b50, 4), putLe(out, 44, 8), putLe(out, 45, 2), putLe(out, 45, 2);
        putLe(out, 0, 4), putLe(out, 0, 4), putLe(out, entries.size(), 8), putLe(out, entries.size(), 8);
        putLe(out, central.size(), 8), putLe(out, directoryOffset, 8);
        putLe(out, 0x07064b50, 4), putLe(out, 0, 4), putLe(out, record, 8), putLe(out, 1, 4);
    }
    putLe(out, 0x06054b50, 4), putLe(out, 0, 2), putLe(out, 0, 2);
    putLe(out, zip64 ? 0xFFFF : entries.size(), 2), putLe(out, zip64 ? 0xFFFF : entries.size(), 2);
    putLe(out, zip64 ? 0xFFFFFFFFu : central.size(), 4), putLe(out, zip64 ? 0xFFFFFFFFu : directoryOffset, 4);
    putLe(out, 0, 2);
    return out;
}

// Pickle opcodes for a protocol-2 state dict, written as torch.save writes them.
struct PickleWriter {
    std::string bytes = std::string("\x80\x02", 2);
    PickleWriter& op(char c) { return bytes.push_back(c), *this; }
    PickleWriter& text(const std::string& s) {  // BINUNICODE
        bytes.push_back('X');
        putLe(bytes, s.size(), 4);
        bytes += s;
        return *this;
    }
    PickleWriter& integer(int64_t v) {  // LONG1, 8 bytes: any value
        bytes += std::string("\x8a\x08", 2);
        putLe(bytes, uint64_t(v), 8);
        return *this;
    }
    PickleWriter& global(const std::string& module, const std::string& name) {
        bytes += "c" + module + "\n" + name + "\n";
        return *this;
    }
    // key -> _rebuild_tensor_v2(storage(key, FloatStorage, numel), offset, sizes, strides, False, OrderedDict())
    PickleWriter& tensorItem(const std::string& name, const std::string& storageKey, int64_t storageNumel,
                             int64_t offset, const std::vector<int64_t>& sizes, const std::vector<int64_t>& strides,
                             const std::string& storageType = "FloatStorage") {
        text(name);
        global("torch._utils", "_rebuild_tensor_v2");
        op('(');
        op('(').text("storage").global("torch", storageType).text(storageKey).text("cpu").integer(storageNumel).op('t');
        op('Q');
        integer(offset);
        op('(');
        for (int64_t s : sizes) integer(s);
        op('t');
        op('(');
        for (int64_t s : strides) integer(s);
        op('t');
        op('\x89');
        global("collections", "OrderedDict").op(')').op('R');
        op('t').op('R');
        return *this;
    }
};

// data.pkl of a dict {name: tensor} (one SETITEMS), the storage records, as a torch.save archive.
inline std::string torchArchive(const std::string& pickle,
                                const std::vector<std::pair<std::string, std::string>>& storages, bool zip64 = false) {
    std::vector<std::pair<std::string, std::string>> entries{{"archive/data.pkl", pickle},
                                                             {"archive/byteorder", "little"}};
    for (const auto& [key, data] : storages) entries.emplace_back("archive/data/" + key, data);
    entries.emplace_back("archive/version", "3\n");
    return storedZip(entries, zip64);
}

inline std::string floatBytes(const std::vector<float>& values) {
    return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
}

}  // namespace ssmlens::testing
