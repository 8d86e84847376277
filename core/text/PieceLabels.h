#pragma once
// Labels for showing a prompt token by token (the window's chips, heatmap axis and token strip). The
// tokenizers write the bytes of a token that are not whole characters as "<0xE4>" (sentencepiece's byte
// fallback for characters outside its vocabulary, or a character that byte-level BPE split across tokens).
// A row of such tokens is unreadable — "<0xE4><0xBD><0xA0>" is 你 — so this joins the bytes of
// neighbouring tokens into the characters they form and labels each token with its character, and which
// of its bytes the token holds when it holds only some: "你 1/3", "你 2/3", "你 3/3". Tokens without such
// bytes keep their piece as it is; bytes that form no character with their neighbours stay "<0xHH>".
#include <string>
#include <vector>

namespace ssmlens {

std::vector<std::string> readablePieceLabels(const std::vector<std::string>& pieces);

}  // namespace ssmlens
