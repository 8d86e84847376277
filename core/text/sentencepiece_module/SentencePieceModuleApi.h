#pragma once
// The C interface of libssmlens_sentencepiece.so, the only code in SSM Lens that links libsentencepiece.
// SentencePieceTokenizer opens the module with dlopen and looks these functions up by name.
//
// Plain C so that nothing C++ (exceptions, std::string layouts) crosses the boundary. Results come
// back through callbacks, so the module never hands out memory that the caller must free. Every
// function that can fail returns 0 on success, and on failure returns non-zero after passing a
// message to `error`.
#include <stddef.h>
#include <stdint.h>

#define SSMLENS_SP_API_VERSION 1

extern "C" {

typedef struct SsmlensSpProcessor SsmlensSpProcessor;

// Receives a string (a decoded text, a piece, or an error message); `user` is passed through.
typedef void (*SsmlensSpTextSink)(void* user, const char* text, size_t size);
// Receives one token: its id, its piece, and the byte span [begin, end) of the input it covers.
typedef void (*SsmlensSpPieceSink)(void* user, int32_t id, const char* piece, size_t pieceSize,
                                   uint32_t begin, uint32_t end);

typedef int (*SsmlensSpApiVersionFn)(void);
// Loads a model from a file path, or from the bytes of a .model file. Sets *out on success.
typedef int (*SsmlensSpLoadFileFn)(const char* path, SsmlensSpProcessor** out, void* user,
                                   SsmlensSpTextSink error);
typedef int (*SsmlensSpLoadBytesFn)(const char* data, size_t size, SsmlensSpProcessor** out, void* user,
                                    SsmlensSpTextSink error);
typedef void (*SsmlensSpFreeFn)(SsmlensSpProcessor* processor);
typedef int (*SsmlensSpEncodeFn)(const SsmlensSpProcessor* processor, const char* text, size_t size,
                                 void* user, SsmlensSpPieceSink piece, SsmlensSpTextSink error);
typedef int (*SsmlensSpDecodeFn)(const SsmlensSpProcessor* processor, const int32_t* ids, size_t count,
                                 void* user, SsmlensSpTextSink text, SsmlensSpTextSink error);
typedef int32_t (*SsmlensSpVocabSizeFn)(const SsmlensSpProcessor* processor);
typedef int32_t (*SsmlensSpEosIdFn)(const SsmlensSpProcessor* processor);  // -1 when none
// The piece for an id; returns non-zero (no message) when the id is out of range.
typedef int (*SsmlensSpIdToPieceFn)(const SsmlensSpProcessor* processor, int32_t id, void* user,
                                    SsmlensSpTextSink piece);
// Runs SentencePieceTrainer::Train with a command-line style argument string
// ("--input=corpus.txt --model_prefix=out/m --vocab_size=400 ...").
typedef int (*SsmlensSpTrainFn)(const char* args, void* user, SsmlensSpTextSink error);

// The exported functions, one per type above.
int ssmlens_sp_api_version(void);
int ssmlens_sp_load_file(const char* path, SsmlensSpProcessor** out, void* user, SsmlensSpTextSink error);
int ssmlens_sp_load_bytes(const char* data, size_t size, SsmlensSpProcessor** out, void* user,
                          SsmlensSpTextSink error);
void ssmlens_sp_free(SsmlensSpProcessor* processor);
int ssmlens_sp_encode(const SsmlensSpProcessor* processor, const char* text, size_t size, void* user,
                      SsmlensSpPieceSink piece, SsmlensSpTextSink error);
int ssmlens_sp_decode(const SsmlensSpProcessor* processor, const int32_t* ids, size_t count, void* user,
                      SsmlensSpTextSink text, SsmlensSpTextSink error);
int32_t ssmlens_sp_vocab_size(const SsmlensSpProcessor* processor);
int32_t ssmlens_sp_eos_id(const SsmlensSpProcessor* processor);
int ssmlens_sp_id_to_piece(const SsmlensSpProcessor* processor, int32_t id, void* user,
                           SsmlensSpTextSink piece);
int ssmlens_sp_train(const char* args, void* user, SsmlensSpTextSink error);

}  // extern "C"
