#!/usr/bin/env python3
"""Print Hugging Face `tokenizers`' ids and offsets for a list of strings, as JSON.

SSM Lens re-implements byte-level BPE in C++ (core/text/ByteLevelBpeTokenizer); this script produces
the expected values from the real library so the C++ test can compare against them
(tests/test_text_byte_level_bpe.cpp reads tests/data/gpt_neox_reference.json when it exists):

    pip install tokenizers
    mkdir -p tests/data
    python3 tools/tokenizer_reference.py ../shared/data/gpt-neox-20b-tokenizer.json \\
        tools/tokenizer_reference_inputs.json > tests/data/gpt_neox_reference.json

INPUTS is a .json file holding an array of strings, a .jsonl file with one JSON string per line, or any
other file with one plain string per line. Offsets are what `Tokenizer.encode(text).offsets` gives
(code points of the input, after the post-processor's offset trimming).
"""
import argparse
import json
import sys

import tokenizers
from tokenizers import Tokenizer


def read_inputs(path):
    with open(path, encoding="utf-8") as f:
        content = f.read()
    if path.endswith(".json"):
        strings = json.loads(content)
        if not isinstance(strings, list) or not all(isinstance(s, str) for s in strings):
            sys.exit(f"{path}: expected a JSON array of strings")
        return strings
    if path.endswith(".jsonl"):
        return [json.loads(line) for line in content.splitlines() if line.strip()]
    return content.splitlines()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tokenizer", help="tokenizer.json")
    parser.add_argument("inputs", help="strings to encode (.json array, .jsonl, or plain lines)")
    args = parser.parse_args()

    tok = Tokenizer.from_file(args.tokenizer)
    cases = []
    for text in read_inputs(args.inputs):
        enc = tok.encode(text)
        cases.append({
            "text": text,
            "ids": enc.ids,
            "offsets": [list(o) for o in enc.offsets],
            "tokens": enc.tokens,
            "decoded": tok.decode(enc.ids, skip_special_tokens=False),
        })
    json.dump({"tokenizers_version": tokenizers.__version__, "tokenizer": args.tokenizer, "cases": cases},
              sys.stdout, indent=1, ensure_ascii=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
