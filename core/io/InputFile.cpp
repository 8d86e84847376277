#include "core/io/InputFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/Error.h"

namespace ssmlens {
namespace {

// Why a path that exists is not something we read, in words; empty for a regular file.
std::string notRegularReason(mode_t mode, const std::string& what) {
    if (S_ISREG(mode)) return {};
    if (S_ISDIR(mode)) return "is a folder, expected " + what;
    if (S_ISFIFO(mode)) return "is a FIFO (named pipe), not a regular file; expected " + what;
    if (S_ISSOCK(mode)) return "is a socket, not a regular file; expected " + what;
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "is a device, not a regular file; expected " + what;
    return "is not a regular file; expected " + what;
}

[[noreturn]] void throwOpenError(const std::string& path, const std::string& what, int err) {
    if (err == ENOENT || err == ENOTDIR) throw Error(path + ": no such file (expected " + what + ")");
    throw Error(path + ": cannot open " + what + " (" + std::strerror(err) + ")");
}

}  // namespace

InputFile::InputFile(const std::string& path, const std::string& what) : path_(path) {
    // stat first, so a FIFO is refused without opening it; O_NONBLOCK as well, in case the path is swapped
    // for a FIFO between the two calls (an open() of a FIFO without a writer would block forever).
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throwOpenError(path, what, errno);
    if (std::string why = notRegularReason(st.st_mode, what); !why.empty()) throw Error(path + ": " + why);
    fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) throwOpenError(path, what, errno);
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
        const std::string why = notRegularReason(st.st_mode, what);
        ::close(fd_);
        throw Error(path + ": " + (why.empty() ? "cannot be examined" : why));
    }
    const int flags = ::fcntl(fd_, F_GETFL);
    if (flags >= 0) ::fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK);
    size_ = static_cast<uint64_t>(st.st_size);
}

InputFile::~InputFile() {
    if (fd_ >= 0) ::close(fd_);
}

std::string InputFile::readAll(uint64_t maxBytes) const {
    if (size_ > maxBytes)
        throw Error(path_ + ": the file is " + byteCountText(size_) + ", more than the " + byteCountText(maxBytes) +
                    " this kind of file may have");
    std::string bytes(static_cast<size_t>(size_), '\0');
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::pread(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Error(path_ + ": read error (" + std::strerror(errno) + ")");
        if (n == 0) throw Error(path_ + ": the file shrank while it was being read");
        done += static_cast<size_t>(n);
    }
    return bytes;
}

std::string readInputFile(const std::string& path, const std::string& what, uint64_t maxBytes) {
    return InputFile(path, what).readAll(maxBytes);
}

void requireRegularFile(const std::string& path, const std::string& what) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throwOpenError(path, what, errno);
    if (std::string why = notRegularReason(st.st_mode, what); !why.empty()) throw Error(path + ": " + why);
}

std::string byteCountText(uint64_t bytes) {
    char text[32];
    if (bytes >= (uint64_t(1) << 30)) std::snprintf(text, sizeof text, "%.1f GiB", double(bytes) / (1 << 30));
    else if (bytes >= (uint64_t(1) << 20)) std::snprintf(text, sizeof text, "%.1f MiB", double(bytes) / (1 << 20));
    else if (bytes >= 1024) std::snprintf(text, sizeof text, "%.1f KiB", double(bytes) / 1024);
    else std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
    return text;
}

}  // namespace ssmlens
