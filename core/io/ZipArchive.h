#pragma once
// The table of contents of a zip archive held in memory (a torch.save file, memory-mapped), read the way the
// safetensors reference reads its header: every count, length and offset is checked against the bytes
// present before it is used, so a damaged or hostile archive gives an error, never a read outside the
// buffer. Only what torch.save writes is accepted: one disk, entries stored without compression or
// encryption, zip64 fields for archives above 4 GiB. No libtorch and no Qt.
#include <cstdint>
#include <string>
#include <vector>

namespace ssmlens {

struct ZipEntry {
    std::string name;
    uint64_t dataOffset = 0;  // first byte of the entry's data in the archive
    uint64_t size = 0;        // bytes of data (stored: the same compressed or not)
    uint32_t crc32 = 0;       // as recorded in the central directory
};

class ZipArchive {
public:
    // data/size: the whole archive. `path` names it in error messages. Throws ssmlens::Error.
    ZipArchive(const unsigned char* data, uint64_t size, const std::string& path);

    const std::vector<ZipEntry>& entries() const { return entries_; }
    // nullptr when there is no entry of that name.
    const ZipEntry* find(const std::string& name) const;
    // The entry's bytes (valid while the archive's buffer is).
    const unsigned char* dataOf(const ZipEntry& e) const { return data_ + e.dataOffset; }
    // Throws ssmlens::Error naming the entry when its bytes do not match the recorded CRC-32.
    void checkCrc(const ZipEntry& e) const;

private:
    const unsigned char* data_;
    std::string path_;
    std::vector<ZipEntry> entries_;
};

// CRC-32 (IEEE 802.3, as zip and zlib compute it).
uint32_t crc32Of(const unsigned char* data, uint64_t size);

}  // namespace ssmlens
