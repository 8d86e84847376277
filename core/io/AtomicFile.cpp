#include "core/io/AtomicFile.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "core/Error.h"

namespace ssmlens {

void writeFileAtomically(const std::string& path, const std::string& content) {
    // The pid keeps two writers of one path (a resubmitted shard and a late original) off each other's file.
    const std::string tmp = path + ".tmp" + std::to_string(getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw Error(path + ": cannot write (the folder is missing or not writable)");
        out << content;
        out.flush();
        if (!out) {
            out.close();
            std::remove(tmp.c_str());
            throw Error(path + ": write failed (disk full?)");
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw Error(path + ": cannot replace the file");
    }
}

}  // namespace ssmlens
