#include "core/io/ZipArchive.h"

#include <array>
#include <cstring>
#include <unordered_set>

#include "core/Error.h"

namespace ssmlens {
namespace {

constexpr uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr uint32_t kZip64EndLocator = 0x07064b50;
constexpr uint32_t kZip64End = 0x06064b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint64_t kEndRecordBytes = 22, kZip64LocatorBytes = 20, kZip64EndBytes = 56;
constexpr uint64_t kCentralHeaderBytes = 46, kLocalHeaderBytes = 30;
constexpr uint64_t kMaxEntries = 1'000'000;  // a 64-layer model has about 700 tensors

uint16_t u16(const unsigned char* p) { return uint16_t(p[0] | (p[1] << 8)); }
uint32_t u32(const unsigned char* p) { return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24); }
uint64_t u64(const unsigned char* p) { return uint64_t(u32(p)) | (uint64_t(u32(p + 4)) << 32); }

// The zip64 extended-information field replaces, in this order, each of the 32-bit fields that is 0xFFFFFFFF.
void readZip64Extra(const unsigned char* extra, uint64_t extraBytes, uint64_t& size, uint64_t& compressed,
                    uint64_t& localOffset, const std::string& where) {
    uint64_t at = 0;
    while (at + 4 <= extraBytes) {
        const uint16_t id = u16(extra + at), bytes = u16(extra + at + 2);
        if (bytes > extraBytes - at - 4) throw Error(where + ": an extra field runs past its header");
        if (id == 0x0001) {
            const unsigned char* p = extra + at + 4;
            uint64_t left = bytes;
            for (uint64_t* field : {&size, &compressed, &localOffset}) {
                if (*field != 0xFFFFFFFFu) continue;
                if (left < 8) throw Error(where + ": the zip64 field is too short");
                *field = u64(p);
                p += 8, left -= 8;
            }
        }
        at += 4 + uint64_t(bytes);
    }
}

}  // namespace

uint32_t crc32Of(const unsigned char* data, uint64_t size) {
    static const std::array<uint32_t, 256> table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    uint32_t crc = 0xFFFFFFFFu;
    for (uint64_t i = 0; i < size; ++i) crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

ZipArchive::ZipArchive(const unsigned char* data, uint64_t size, const std::string& path)
    : data_(data), path_(path) {
    const std::string notZip = path + ": not a zip archive";
    if (size < kEndRecordBytes) throw Error(notZip + " (too short to hold one)");
    // The end record sits at the end, before a comment of at most 65535 bytes whose length it records.
    uint64_t end = UINT64_MAX;
    const uint64_t lowest = size - kEndRecordBytes > 65535 ? size - kEndRecordBytes - 65535 : 0;
    for (uint64_t at = size - kEndRecordBytes + 1; at-- > lowest;) {
        if (u32(data + at) == kEndOfCentralDirectory && u16(data + at + 20) == size - at - kEndRecordBytes) {
            end = at;
            break;
        }
    }
    if (end == UINT64_MAX) throw Error(notZip + " (no end-of-directory record; truncated download?)");
    const unsigned char* e = data + end;
    uint64_t entryCount = u16(e + 10), directoryBytes = u32(e + 12), directoryOffset = u32(e + 16);
    if (u16(e + 4) != 0 || u16(e + 6) != 0) throw Error(path + ": a multi-part zip archive is not supported");
    if (entryCount == 0xFFFF || directoryBytes == 0xFFFFFFFFu || directoryOffset == 0xFFFFFFFFu) {
        // Zip64: a locator right before the end record points at the zip64 end record.
        if (end < kZip64LocatorBytes || u32(data + end - kZip64LocatorBytes) != kZip64EndLocator)
            throw Error(path + ": the zip64 locator is missing");
        const uint64_t record = u64(data + end - kZip64LocatorBytes + 8);
        if (record > end - kZip64LocatorBytes || end - kZip64LocatorBytes - record < kZip64EndBytes ||
            u32(data + record) != kZip64End)
            throw Error(path + ": the zip64 end record is missing or out of place");
        const unsigned char* z = data + record;
        if (u32(z + 16) != 0 || u32(z + 20) != 0) throw Error(path + ": a multi-part zip archive is not supported");
        entryCount = u64(z + 32);
        directoryBytes = u64(z + 40);
        directoryOffset = u64(z + 48);
        end = record;
    }
    if (directoryOffset > end || directoryBytes > end - directoryOffset)
        throw Error(path + ": the zip directory lies outside the file (truncated download?)");
    if (entryCount > kMaxEntries || entryCount > directoryBytes / kCentralHeaderBytes)
        throw Error(path + ": the zip directory claims " + std::to_string(entryCount) + " entries in " +
                    std::to_string(directoryBytes) + " bytes");

    std::unordered_set<std::string> names;
    uint64_t at = directoryOffset;
    const uint64_t directoryEnd = directoryOffset + directoryBytes;
    entries_.reserve(static_cast<size_t>(entryCount));
    for (uint64_t i = 0; i < entryCount; ++i) {
        const std::string where = path + ": zip entry #" + std::to_string(i);
        if (directoryEnd - at < kCentralHeaderBytes || u32(data + at) != kCentralHeader)
            throw Error(where + ": damaged zip directory");
        const unsigned char* h = data + at;
        const uint16_t flags = u16(h + 8), method = u16(h + 10);
        const uint64_t nameBytes = u16(h + 28), extraBytes = u16(h + 30), commentBytes = u16(h + 32);
        if (kCentralHeaderBytes + nameBytes + extraBytes + commentBytes > directoryEnd - at)
            throw Error(where + ": damaged zip directory (a name runs past it)");
        ZipEntry entry;
        entry.name.assign(reinterpret_cast<const char*>(h + kCentralHeaderBytes), nameBytes);
        entry.crc32 = u32(h + 16);
        uint64_t compressed = u32(h + 20), stored = u32(h + 24), localOffset = u32(h + 42);
        readZip64Extra(h + kCentralHeaderBytes + nameBytes, extraBytes, stored, compressed, localOffset,
                       path + ": zip entry " + entry.name);
        const std::string named = path + ": zip entry \"" + entry.name.substr(0, 200) + "\"";
        if (flags & 0x0001) throw Error(named + " is encrypted");
        if (method != 0)
            throw Error(named + " is compressed (method " + std::to_string(method) +
                        "); torch.save writes its archives uncompressed");
        if (compressed != stored) throw Error(named + ": stored sizes disagree");
        if (localOffset > size || size - localOffset < kLocalHeaderBytes || u32(data + localOffset) != kLocalHeader)
            throw Error(named + ": its local header is missing or outside the file");
        const unsigned char* local = data + localOffset;
        const uint64_t dataStart = localOffset + kLocalHeaderBytes + u16(local + 26) + u16(local + 28);
        if (dataStart > size || stored > size - dataStart)
            throw Error(named + ": its data run past the end of the file (truncated download?)");
        if (u16(local + 26) != nameBytes ||
            std::memcmp(local + kLocalHeaderBytes, entry.name.data(), nameBytes) != 0)
            throw Error(named + ": the local header names another entry");
        entry.dataOffset = dataStart;
        entry.size = stored;
        if (!names.insert(entry.name).second) throw Error(named + " appears twice");
        entries_.push_back(std::move(entry));
        at += kCentralHeaderBytes + nameBytes + extraBytes + commentBytes;
    }
}

const ZipEntry* ZipArchive::find(const std::string& name) const {
    for (const ZipEntry& e : entries_)
        if (e.name == name) return &e;
    return nullptr;
}

void ZipArchive::checkCrc(const ZipEntry& e) const {
    if (crc32Of(dataOf(e), e.size) != e.crc32)
        throw Error(path_ + ": zip entry \"" + e.name + "\" is damaged (its CRC-32 does not match)");
}

}  // namespace ssmlens
