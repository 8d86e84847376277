#pragma once
// Opening a file the user named: hostile until parsed. Only regular files are opened (a FIFO, a device, a
// socket or a folder is refused before anything blocks on it), sizes are known before anything is read,
// and a file larger than the caller's limit is refused before it is allocated. Torch-free and Qt-free, so
// every layer (tokenizers, schedules, the window) reads files the same way.
#include <cstdint>
#include <string>

namespace ssmlens {

// The largest JSON or text file read whole (config.json, tokenizer.json, schedules, sessions, benchmark
// files): 1 GiB. Weights are memory-mapped and not bound by this.
inline constexpr uint64_t kMaxWholeFileBytes = uint64_t(1) << 30;

// An open, read-only descriptor of a regular file. Closes itself.
class InputFile {
public:
    // Throws ssmlens::Error "<path>: no such file (expected <what>)", "...: is a folder, expected <what>",
    // "...: is a FIFO (named pipe), not a regular file; expected <what>", or the system's reason.
    InputFile(const std::string& path, const std::string& what);
    ~InputFile();
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    int fd() const { return fd_; }
    uint64_t size() const { return size_; }
    const std::string& path() const { return path_; }
    // The whole file; throws when it is larger than maxBytes or shrinks while being read.
    std::string readAll(uint64_t maxBytes = kMaxWholeFileBytes) const;

private:
    std::string path_;
    int fd_ = -1;
    uint64_t size_ = 0;
};

// Reads a regular file whole (see InputFile). `what` names the kind of file in messages ("the model
// config", "a tokenizer.json file").
std::string readInputFile(const std::string& path, const std::string& what, uint64_t maxBytes = kMaxWholeFileBytes);

// Throws the same errors as InputFile when `path` is not a regular file; opens nothing.
void requireRegularFile(const std::string& path, const std::string& what);

// "1.9 GiB", "640.0 KiB": sizes in messages.
std::string byteCountText(uint64_t bytes);

}  // namespace ssmlens
