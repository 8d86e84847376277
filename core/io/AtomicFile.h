#pragma once
// Writing an output file so that it is either the complete new file or the untouched old one: the bytes go
// to a temporary file in the same folder (so the final rename stays on one file system), which is flushed
// to disk and then renamed over the target. A crash, a full disk or an exception mid-write leaves no
// half-written file behind. Used by every file SSM Lens writes: the CLI's .npy, traces, eval results and
// checkpoints, and the window's PNG/PDF/SVG exports. Torch-free and Qt-free.
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

namespace ssmlens {

class AtomicFile {
public:
    // Creates the temporary file next to `path` (".<name>.tmp-XXXXXX"). A symlink at `path` is followed, so
    // the file it points to is replaced and the link stays. Throws ssmlens::Error naming `path`.
    explicit AtomicFile(const std::string& path);
    // Removes the temporary file unless commit() succeeded.
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    const std::string& path() const { return path_; }
    // Where to write; a writer that takes a file name (QImage::save, QPdfWriter, std::ofstream) writes here.
    const std::string& tempPath() const { return temp_; }
    // Flushes the temporary file to disk and renames it over path(). The new file keeps the old file's
    // permissions, or gets the usual ones (0666 less the umask). Throws ssmlens::Error naming path().
    void commit();

private:
    std::string path_;      // as the caller named it (messages)
    std::string resolved_;  // the file replaced: path_, or the file a symlink at path_ points to
    std::string temp_;
    bool committed_ = false;
};

// The whole file at once.
void writeFileAtomically(const std::string& path, std::string_view bytes);
// Through a stream (binary mode); a failed stream after `write` returns is a write error.
void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace ssmlens
