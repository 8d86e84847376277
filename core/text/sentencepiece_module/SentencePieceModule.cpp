// libssmlens_sentencepiece.so: the bridge between SSM Lens and libsentencepiece, loaded at run time
// with dlopen(RTLD_DEEPBIND) by SentencePieceTokenizer (see SentencePieceModuleLoader.cpp for why it
// is a separate module). The interface is declared in SentencePieceModuleApi.h.
#include "SentencePieceModuleApi.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <exception>
#include <string>
#include <vector>

struct SsmlensSpProcessor {
    sentencepiece::SentencePieceProcessor processor;
};

namespace {

void report(void* user, SsmlensSpTextSink sink, const std::string& message) {
    if (sink) sink(user, message.data(), message.size());
}

// Runs `body`, turning a failed status or any exception into an error message.
template <typename Body>
int guarded(void* user, SsmlensSpTextSink error, Body body) {
    try {
        const sentencepiece::util::Status status = body();
        if (status.ok()) return 0;
        report(user, error, status.ToString());
    } catch (const std::exception& e) {
        report(user, error, e.what());
    } catch (...) {
        report(user, error, "unknown error in the sentencepiece module");
    }
    return 1;
}

int load(SsmlensSpProcessor** out, void* user, SsmlensSpTextSink error,
         sentencepiece::util::Status (*loadInto)(sentencepiece::SentencePieceProcessor&, const void*),
         const void* source) {
    *out = nullptr;
    auto* p = new (std::nothrow) SsmlensSpProcessor;
    if (!p) {
        report(user, error, "out of memory");
        return 1;
    }
    const int rc = guarded(user, error, [&] { return loadInto(p->processor, source); });
    if (rc != 0) delete p;
    else *out = p;
    return rc;
}

}  // namespace

extern "C" {

int ssmlens_sp_api_version(void) { return SSMLENS_SP_API_VERSION; }

int ssmlens_sp_load_file(const char* path, SsmlensSpProcessor** out, void* user, SsmlensSpTextSink error) {
    return load(out, user, error,
                [](sentencepiece::SentencePieceProcessor& p, const void* path) {
                    return p.Load(static_cast<const char*>(path));
                },
                path);
}

int ssmlens_sp_load_bytes(const char* data, size_t size, SsmlensSpProcessor** out, void* user,
                          SsmlensSpTextSink error) {
    const std::string bytes(data, size);
    return load(out, user, error,
                [](sentencepiece::SentencePieceProcessor& p, const void* bytes) {
                    return p.LoadFromSerializedProto(*static_cast<const std::string*>(bytes));
                },
                &bytes);
}

void ssmlens_sp_free(SsmlensSpProcessor* processor) { delete processor; }

int ssmlens_sp_encode(const SsmlensSpProcessor* processor, const char* text, size_t size, void* user,
                      SsmlensSpPieceSink piece, SsmlensSpTextSink error) {
    return guarded(user, error, [&] {
        // The immutable proto carries, for each piece, the byte span of the input it came from.
        const auto encoded = processor->processor.EncodeAsImmutableProto(std::string(text, size));
        for (const auto& p : encoded.pieces())
            piece(user, int32_t(p.id()), p.piece().data(), p.piece().size(), p.begin(), p.end());
        return sentencepiece::util::Status();
    });
}

int ssmlens_sp_decode(const SsmlensSpProcessor* processor, const int32_t* ids, size_t count, void* user,
                      SsmlensSpTextSink text, SsmlensSpTextSink error) {
    return guarded(user, error, [&] {
        const std::vector<int> idList(ids, ids + count);
        std::string decoded;
        const auto status = processor->processor.Decode(idList, &decoded);
        if (status.ok()) text(user, decoded.data(), decoded.size());
        return status;
    });
}

int32_t ssmlens_sp_vocab_size(const SsmlensSpProcessor* processor) {
    return processor->processor.GetPieceSize();
}

int32_t ssmlens_sp_eos_id(const SsmlensSpProcessor* processor) { return processor->processor.eos_id(); }

int ssmlens_sp_id_to_piece(const SsmlensSpProcessor* processor, int32_t id, void* user,
                           SsmlensSpTextSink piece) {
    if (id < 0 || id >= processor->processor.GetPieceSize()) return 1;
    const std::string& p = processor->processor.IdToPiece(id);
    piece(user, p.data(), p.size());
    return 0;
}

int ssmlens_sp_train(const char* args, void* user, SsmlensSpTextSink error) {
    return guarded(user, error, [&] { return sentencepiece::SentencePieceTrainer::Train(args); });
}

}  // extern "C"
