#!/usr/bin/env python3
"""Measures a tokenizer on held-out paragraphs through `ssmlens-cli tokenize --json`.

Usage: tokenizer_report.py CLI TOKENIZER_MODEL HELDOUT_TXT N REPORT_JSON

Takes N paragraphs spread evenly over HELDOUT_TXT (line i * count // N), tokenizes
each one with the CLI, and reports tokens per paragraph, per character, per byte
and per word, plus how often the byte fallback was needed.
"""

import json
import os
import re
import subprocess
import sys


def main(argv):
    if len(argv) != 6:
        sys.exit(__doc__)
    cli, model, heldout, n, report = argv[1], argv[2], argv[3], int(argv[4]), argv[5]
    with open(heldout, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if l.strip()]
    n = min(n, len(lines))
    picked = [lines[i * len(lines) // n] for i in range(n)]
    vocab_path = model[:-len(".model")] + ".vocab"
    vocab = sum(1 for _ in open(vocab_path, encoding="utf-8")) if os.path.exists(vocab_path) else None
    tokens = chars = nbytes = words = fallback = 0
    per_para = []
    used = set()
    for text in picked:
        out = subprocess.run([cli, "tokenize", "--tokenizer", model, "--text", text, "--json"],
                             check=True, capture_output=True, text=True).stdout
        res = json.loads(out)
        ids = res["ids"]
        pieces = res.get("pieces", [])
        tokens += len(ids)
        per_para.append(len(ids))
        used.update(ids)
        chars += len(text)
        nbytes += len(text.encode("utf-8"))
        words += len(text.split())
        fallback += sum(1 for p in pieces if re.fullmatch(r"<0x[0-9A-Fa-f]{2}>", p))
    per_para.sort()
    rep = {
        "tokenizer": model,
        "vocab_size": vocab,
        "heldout_paragraphs": n,
        "characters": chars,
        "bytes": nbytes,
        "words": words,
        "tokens": tokens,
        "tokens_per_paragraph_mean": round(tokens / n, 2),
        "tokens_per_paragraph_median": per_para[n // 2],
        "tokens_per_paragraph_max": per_para[-1],
        "tokens_per_char": round(tokens / chars, 4),
        "chars_per_token": round(chars / tokens, 3),
        "tokens_per_word": round(tokens / words, 3),
        "byte_fallback_tokens": fallback,
        "distinct_ids_used": len(used),
    }
    with open(report, "w", encoding="utf-8") as f:
        json.dump(rep, f, indent=2)
        f.write("\n")
    for k, v in rep.items():
        print("%-28s %s" % (k, v))


if __name__ == "__main__":
    main(sys.argv)
