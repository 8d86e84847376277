#include "core/io/AtomicFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "core/Error.h"

namespace fs = std::filesystem;

namespace ssmlens {
namespace {

std::string randomSuffix() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string s(6, 'x');
    for (char& c : s) c = alphabet[rng() % (sizeof alphabet - 1)];
    return s;
}

// The file a path names: a symlink's target (so the link survives), the path itself otherwise.
fs::path resolveTarget(const std::string& path) {
    std::error_code ec;
    fs::path p(path);
    for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(p, ec)); ++hops) {
        const fs::path target = fs::read_symlink(p, ec);
        if (ec) break;
        p = target.is_absolute() ? target : p.parent_path() / target;
    }
    return p;
}

}  // namespace

AtomicFile::AtomicFile(const std::string& path) : path_(path) {
    const fs::path target = resolveTarget(path);
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code ec;
    if (fs::is_directory(fs::status(target, ec))) throw Error(path + ": is a folder; cannot write a file there");
    if (!fs::is_directory(fs::status(folder, ec)))
        throw Error(path + ": cannot write (the folder " + folder.string() + " does not exist)");
    for (int attempt = 0; attempt < 100; ++attempt) {
        const fs::path temp = folder / ("." + target.filename().string() + ".tmp-" + randomSuffix());
        // 0666 and the umask, like any new file; O_EXCL: never reuse someone else's file.
        const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno == EEXIST) continue;
        if (fd < 0) throw Error(path + ": cannot write (" + std::strerror(errno) + ")");
        struct stat old {};
        if (::stat(target.c_str(), &old) == 0 && S_ISREG(old.st_mode)) (void)::fchmod(fd, old.st_mode & 07777);
        ::close(fd);
        temp_ = temp.string();
        resolved_ = target.string();
        return;
    }
    throw Error(path + ": cannot create a temporary file next to it");
}

AtomicFile::~AtomicFile() {
    if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

void AtomicFile::commit() {
    const int fd = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(path_ + ": the temporary file vanished before it was complete");
    const bool synced = ::fsync(fd) == 0;
    const int syncError = errno;
    ::close(fd);
    if (!synced) throw Error(path_ + ": write failed (" + std::strerror(syncError) + ")");
    if (::rename(temp_.c_str(), resolved_.c_str()) != 0)
        throw Error(path_ + ": cannot replace the file (" + std::strerror(errno) + ")");
    committed_ = true;
}

void writeFileAtomically(const std::string& path, std::string_view bytes) {
    writeFileAtomically(path, [&](std::ostream& out) { out.write(bytes.data(), std::streamsize(bytes.size())); });
}

void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
    AtomicFile file(path);
    {
        std::ofstream out(file.tempPath(), std::ios::binary | std::ios::trunc);
        if (!out) throw Error(path + ": cannot write");
        write(out);
        out.flush();
        if (!out) throw Error(path + ": write failed (disk full?)");
    }
    file.commit();
}

}  // namespace ssmlens
