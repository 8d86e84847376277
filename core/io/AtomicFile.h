#pragma once
// Replacing a file so that a reader (another process, another machine on a shared file system) sees the
// old content or the new, never a half-written file: the content goes to a temporary file beside it, which
// is then renamed over the target (rename is atomic within one file system). Used for result files whose
// presence means "this shard is done" and for progress files read while they change.
#include <string>

namespace ssmlens {

// Throws ssmlens::Error naming `path` when the folder cannot be written or the disk is full.
void writeFileAtomically(const std::string& path, const std::string& content);

}  // namespace ssmlens
