#include "core/text/SentencePieceModuleLoader.h"

#include "core/Error.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#ifndef SSMLENS_SENTENCEPIECE_MODULE_BUILD_PATH
#define SSMLENS_SENTENCEPIECE_MODULE_BUILD_PATH ""
#endif
// Where `cmake --install` puts the module, relative to the installed executable (core/CMakeLists.txt),
// e.g. "../lib/ssmlens" or "../lib/x86_64-linux-gnu/ssmlens".
#ifndef SSMLENS_SENTENCEPIECE_MODULE_INSTALL_RELDIR
#define SSMLENS_SENTENCEPIECE_MODULE_INSTALL_RELDIR "../lib/ssmlens"
#endif

namespace ssmlens {
namespace {

constexpr const char* kModuleFile = "libssmlens_sentencepiece.so";

std::string executableDir() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : exe.parent_path().string();
}

std::vector<std::string> candidatePaths() {
    std::vector<std::string> paths;
    if (const char* env = std::getenv("SSMLENS_SENTENCEPIECE_MODULE"); env && *env) paths.emplace_back(env);
    if (const std::string dir = executableDir(); !dir.empty()) {
        paths.push_back(dir + "/" + kModuleFile);
        paths.push_back(dir + "/../lib/ssmlens/" + kModuleFile);
        const std::string installed = dir + "/" + SSMLENS_SENTENCEPIECE_MODULE_INSTALL_RELDIR + "/" + kModuleFile;
        if (installed != paths.back()) paths.push_back(installed);
    }
    if (*SSMLENS_SENTENCEPIECE_MODULE_BUILD_PATH) paths.emplace_back(SSMLENS_SENTENCEPIECE_MODULE_BUILD_PATH);
    return paths;
}

// dlopen with RTLD_DEEPBIND (why: below). AddressSanitizer's dlopen refuses the flag outright, because a
// deep-bound library calls libc's malloc/free instead of ASan's; the sanitizer build (SSMLENS_SANITIZED) calls
// the real dlopen behind ASan's interceptor instead. That is safe here because the module's C interface never
// hands heap memory across (results come through callbacks, the processor is freed by the module), so the two
// allocators never see each other's pointers; the module is simply not checked by ASan (its input is, by
// SentencePieceModelCheck). docs/reliability.md.
void* openDeepBound(const std::string& path) {
    constexpr int kFlags = RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND;
#ifdef SSMLENS_SANITIZED
    using DlopenFn = void* (*)(const char*, int);
    static const auto realDlopen = reinterpret_cast<DlopenFn>(dlsym(RTLD_NEXT, "dlopen"));
    if (realDlopen) return realDlopen(path.c_str(), kFlags);
#endif
    return dlopen(path.c_str(), kFlags);
}

template <typename Fn>
void bind(void* handle, const std::string& path, const char* name, Fn& fn) {
    fn = reinterpret_cast<Fn>(dlsym(handle, name));
    if (!fn) throw Error(path + ": the sentencepiece module has no function " + name + " (stale build?)");
}

SentencePieceModule open() {
    std::string looked;
    for (const std::string& path : candidatePaths()) {
        looked += "\n  " + path;
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) continue;

        // Why a separate module, opened with RTLD_DEEPBIND: Debian's libsentencepiece carries its own
        // copy of protobuf-lite and exports those symbols. Linked into one process together with
        // Debian's libtorch (which links the system libprotobuf), the two protobufs resolve to each
        // other's symbols and the program segfaults before main(). With deep binding the module and
        // libsentencepiece resolve symbols in their own dependencies first, so sentencepiece keeps its
        // protobuf to itself; RTLD_LOCAL keeps those symbols from leaking into the rest of the process.
        // (So ssmlens_text must never link libsentencepiece directly.)
        void* handle = openDeepBound(path);
        if (!handle) {
            const char* why = dlerror();
            throw Error(path + ": cannot load the sentencepiece module: " + (why ? why : "unknown error"));
        }
        SentencePieceModule m;
        m.path = path;
        SsmlensSpApiVersionFn version = nullptr;
        bind(handle, path, "ssmlens_sp_api_version", version);
        if (version() != SSMLENS_SP_API_VERSION)
            throw Error(path + ": the sentencepiece module has interface version " + std::to_string(version()) +
                        ", expected " + std::to_string(SSMLENS_SP_API_VERSION) + " (stale build?)");
        bind(handle, path, "ssmlens_sp_load_file", m.loadFile);
        bind(handle, path, "ssmlens_sp_load_bytes", m.loadBytes);
        bind(handle, path, "ssmlens_sp_free", m.free);
        bind(handle, path, "ssmlens_sp_encode", m.encode);
        bind(handle, path, "ssmlens_sp_decode", m.decode);
        bind(handle, path, "ssmlens_sp_vocab_size", m.vocabSize);
        bind(handle, path, "ssmlens_sp_eos_id", m.eosId);
        bind(handle, path, "ssmlens_sp_id_to_piece", m.idToPiece);
        bind(handle, path, "ssmlens_sp_train", m.train);
        return m;  // the handle stays open for the life of the process
    }
    throw Error(std::string("sentencepiece support module ") + kModuleFile +
                " not found; looked in:" + looked +
                "\n(set SSMLENS_SENTENCEPIECE_MODULE to its full path)");
}

}  // namespace

const SentencePieceModule& sentencePieceModule() {
    // A function-local static: initialized once, and tried again on the next call if it threw.
    static const SentencePieceModule module = open();
    return module;
}

}  // namespace ssmlens
