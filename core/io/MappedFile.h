#pragma once
// A read-only file mapped into memory, copy-on-write: tensors can view its bytes without a copy (and a
// kernel that writes to one never writes to the file). Lives as long as the last tensor that views it.
#include <cstddef>
#include <memory>

namespace ssmlens {

class InputFile;

struct MappedFile {
    const unsigned char* bytes = nullptr;
    size_t size = 0;
    ~MappedFile();
};

// Maps the whole file (InputFile: a regular file, already open). Throws ssmlens::Error naming the file.
std::shared_ptr<MappedFile> mapInputFile(const InputFile& file);

}  // namespace ssmlens
