#include "core/io/MappedFile.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include "core/Error.h"
#include "core/io/InputFile.h"

namespace ssmlens {

MappedFile::~MappedFile() {
    if (bytes) munmap(const_cast<unsigned char*>(bytes), size);
}

std::shared_ptr<MappedFile> mapInputFile(const InputFile& file) {
    auto map = std::make_shared<MappedFile>();
    if (file.size() == 0) return map;  // mmap refuses empty files; nothing to view
    void* data = mmap(nullptr, static_cast<size_t>(file.size()), PROT_READ | PROT_WRITE, MAP_PRIVATE, file.fd(), 0);
    if (data == MAP_FAILED) throw Error(file.path() + ": cannot memory-map (" + std::strerror(errno) + ")");
    map->bytes = static_cast<const unsigned char*>(data);
    map->size = static_cast<size_t>(file.size());
    return map;
}

}  // namespace ssmlens
