#pragma once
// Helpers shared by the fuzz targets (tests/fuzz/fuzz_*.cpp, libFuzzer). Readers of SSM Lens take file
// paths, so each input is put in an in-memory file (memfd: a regular file, no disk) and read by path, the way
// a user's file is. An ssmlens::Error is the expected outcome for a bad input; anything else (a crash, a
// sanitizer report, another exception type escaping, a hang) is a finding.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace ssmlens::fuzz {

class MemoryFile {
public:
    MemoryFile(const uint8_t* data, size_t size) {
        fd_ = memfd_create("ssmlens-fuzz", MFD_CLOEXEC);
        if (fd_ < 0) std::abort();
        for (size_t done = 0; done < size;) {
            const ssize_t n = ::write(fd_, data + done, size - done);
            if (n <= 0) std::abort();
            done += size_t(n);
        }
        path_ = "/proc/self/fd/" + std::to_string(fd_);
    }
    ~MemoryFile() { ::close(fd_); }
    const std::string& path() const { return path_; }

private:
    int fd_ = -1;
    std::string path_;
};

inline std::string_view asText(const uint8_t* data, size_t size) {
    return std::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace ssmlens::fuzz
