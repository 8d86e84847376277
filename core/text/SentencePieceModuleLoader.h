#pragma once
// Finds and opens libssmlens_sentencepiece.so (the bridge to libsentencepiece) once per process.
#include "core/text/sentencepiece_module/SentencePieceModuleApi.h"

#include <string>

namespace ssmlens {

struct SentencePieceModule {
    std::string path;  // where it was loaded from
    SsmlensSpLoadFileFn loadFile = nullptr;
    SsmlensSpLoadBytesFn loadBytes = nullptr;
    SsmlensSpFreeFn free = nullptr;
    SsmlensSpEncodeFn encode = nullptr;
    SsmlensSpDecodeFn decode = nullptr;
    SsmlensSpVocabSizeFn vocabSize = nullptr;
    SsmlensSpEosIdFn eosId = nullptr;
    SsmlensSpIdToPieceFn idToPiece = nullptr;
    SsmlensSpTrainFn train = nullptr;
};

// Looks, in order, at: $SSMLENS_SENTENCEPIECE_MODULE (a path to the .so), the folder of the running
// executable, that folder's ../lib/ssmlens, and the build tree's copy. Throws ssmlens::Error listing
// the places it looked when none works. Safe to call from several threads.
const SentencePieceModule& sentencePieceModule();

}  // namespace ssmlens
