#pragma once
// Checks a sentencepiece .model (a serialized ModelProto) before libsentencepiece sees it. libsentencepiece
// trusts the normalizer's precompiled_charsmap: a double-array trie (darts-clone) whose node offsets and
// values it follows without bounds checks, so a crafted tokenizer.model (picked up automatically from a
// model folder) makes it read outside the blob and crash while tokenizing. This walks the protobuf wire
// format of the whole message (every length against the bytes left) and, for the normalizer and
// denormalizer specs, every node of the trie that any input can reach:
//   - each node's 256 possible children lie inside the array;
//   - each leaf's value points into the normalized-string pool, at a string that ends (NUL) inside it;
//   - no path repeats a node and none carries more than 32 matches (libsentencepiece keeps 32 results in a
//     fixed stack array and reads as many as it counted).
// No libsentencepiece, no protobuf library: the checker is small and is fuzzed on its own.
#include <string>
#include <string_view>

namespace ssmlens {

// Throws ssmlens::Error "<source>: ..." naming the problem.
void checkSentencePieceModel(std::string_view modelBytes, const std::string& source);

// The precompiled_charsmap blob alone: <trie bytes (uint32 little-endian)><trie><normalized strings>.
void checkPrecompiledCharsMap(std::string_view blob, const std::string& where);

}  // namespace ssmlens
