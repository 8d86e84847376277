#!/usr/bin/env bash
# Trains the two small sentencepiece models that seed fuzz_sentencepiece_model (tests/fuzz/corpus/): a unigram
# and a BPE model with byte fallback, both with a few custom normalization rules, so their
# precompiled_charsmap holds a real darts-clone trie (a few hundred bytes, not nmt_nfkc's 240 KB). Needs
# libsentencepiece-dev and g++; deterministic for a given sentencepiece version.
#     bash tools/fuzz/make_sentencepiece_seeds.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=tests/fuzz/corpus/fuzz_sentencepiece_model
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/train.cpp" <<'CPP'
#include <sentencepiece_trainer.h>
#include <iostream>
int main(int argc, char** argv) {
    const auto status = sentencepiece::SentencePieceTrainer::Train(argv[1]);
    if (!status.ok()) std::cerr << status.ToString() << "\n";
    return status.ok() ? 0 : 1;
}
CPP
g++ -O1 "$work/train.cpp" -o "$work/train" -lsentencepiece_train -lsentencepiece
# Rules (hex code points, tab, replacement): fullwidth A and b, the fi ligature, a circled 1, and "AB" -> "ab".
printf 'FF21\t41\nFF42\t62\nFB01\t66 69\n2460\t31\n41 42\t61 62\n' > "$work/rules.tsv"
python3 - "$work/corpus.txt" <<'PY'
import random, sys
random.seed(1)
words = ['hello', 'world', 'tokens', 'reduce', 'mamba', 'state', 'space', 'model', 'the', 'of', 'and',
         '\ufb01ne', '\uff21bc', '\u2460']
open(sys.argv[1], 'w').write('\n'.join(' '.join(random.choice(words) for _ in range(8)) for _ in range(300)))
PY
common="--input=$work/corpus.txt --normalization_rule_tsv=$work/rules.tsv --character_coverage=1.0 --hard_vocab_limit=false --minloglevel=2"
"$work/train" "$common --model_prefix=$work/unigram --vocab_size=40 --model_type=unigram" 2>/dev/null
"$work/train" "$common --model_prefix=$work/bpe --vocab_size=300 --model_type=bpe --byte_fallback=true" 2>/dev/null
mkdir -p "$out"
cp "$work/unigram.model" "$out/unigram_custom_rules.model"
cp "$work/bpe.model" "$out/bpe_byte_fallback.model"
ls -l "$out"
