#!/usr/bin/env python3
"""Cleans, filters, de-duplicates and splits the raw paragraphs made by extract.py.

Usage: clean_split.py RAWDIR OUTDIR SOURCE [SOURCE ...]

Reads RAWDIR/<SOURCE>.tsv (document id TAB paragraph), in the order the sources
are given, and writes

  OUTDIR/train.txt      about 98% of the documents, one paragraph per line
  OUTDIR/heldout.txt    the other 2%
  OUTDIR/stats.tsv      per source: paragraphs kept, dropped (and why), bytes

Everything is deterministic: a document goes to held-out when the SHA-256 of
"<source>/<document id>" falls in the lowest 2% of its range, so the split of a
document never changes when other documents come or go.  Documents (not single
paragraphs) are also the unit of ordering: both files list documents sorted by
that hash, which interleaves the sources, while the paragraphs of one document
stay together and in order.  Duplicate paragraphs are dropped globally, the first
occurrence (in source order, then file order) winning.
"""

import hashlib
import os
import re
import sys
import unicodedata

HELDOUT_PER_10000 = 200  # 2%
MIN_CHARS = 30
MIN_WORDS = 5
MAX_CHARS = 2000  # longer paragraphs are cut at sentence ends (sentencepiece skips lines over 4192 bytes)

TRANSLATE = {
    0x00A0: " ", 0x2007: " ", 0x202F: " ", 0x2009: " ", 0x200A: " ", 0x2002: " ", 0x2003: " ",
    0x00AD: "", 0x200B: "", 0x200C: "", 0x200D: "", 0x2060: "", 0xFEFF: "",
    0x2018: "'", 0x2019: "'", 0x201A: "'", 0x201B: "'", 0x2032: "'",
    0x201C: '"', 0x201D: '"', 0x201E: '"', 0x201F: '"', 0x2033: '"',
    0x2026: "...", 0x2212: "-", 0x2010: "-", 0x2011: "-",
}

STOPWORDS = set("""a an the and or but if of to in on at by for with from as is are was were be been being
it its this that these those he she they we you i his her their our your my not no so than then there
which who whom whose what when where how all any each can could may might must shall should will would
do does did has have had into out up down over under about also only such other more most some""".split())

CODE_CHARS = set("{}[]<>=$@#\\|_`^~*/")
DASHES = {"-", "--", "---", "\u2013", "\u2014", "...", "&"}
NUMBER_RE = re.compile(r"^[(\[\"']*[$]?\d[\d,.:%\-\u2013]*(?:st|nd|rd|th|s)?[.,;:!?)\]\"']*$")
WORD_RE = re.compile(r"^[\"'(\[]*(?=[\w'\-]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9'\-]*[.,;:!?\"')\]]*$")


def normalise(text):
    text = unicodedata.normalize("NFC", text).translate(TRANSLATE)
    text = re.sub(r"::$", ":", text.strip())
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())


def reject_reason(text):
    """Why a paragraph is not clean English prose, or None if it is."""
    if len(text) < MIN_CHARS:
        return "short"
    words = text.split()
    if len(words) < MIN_WORDS:
        return "short"
    n = len(text)
    solid = n - text.count(" ")
    letters = sum(ch.isalpha() for ch in text)
    digits = sum(ch.isdigit() for ch in text)
    if letters < 0.6 * solid or letters + digits < 0.8 * solid:
        return "symbols"
    non_ascii = sum(ord(ch) > 127 for ch in text)
    if non_ascii > 0.03 * n:
        return "non-english"
    code = sum(ch in CODE_CHARS for ch in text)
    if code > 0.03 * n:
        return "code"
    # identifiers, calls, paths, options: a few are tolerated in technical prose, many are not
    odd = sum(1 for wd in words if not WORD_RE.match(wd) and not NUMBER_RE.match(wd) and wd not in DASHES)
    if odd > 0.1 * len(words) or re.search(r"(#include|\w\(\);|\{\s*$|^\s*[$%@]\w)", text):
        return "code"
    if len(words) >= 12:
        stop = sum(1 for wd in words if wd.strip("\"'(),.;:!?").lower() in STOPWORDS)
        if stop < 0.12 * len(words):
            return "not-prose"
    if text.rstrip()[-1:] in (":", ",") and len(words) < 15:
        return "fragment"
    return None


def cut_long(text):
    """Cuts a paragraph longer than MAX_CHARS at sentence ends."""
    if len(text) <= MAX_CHARS:
        return [text]
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z\"'(])", text)
    out, cur = [], ""
    for s in sentences:
        if cur and len(cur) + 1 + len(s) > MAX_CHARS:
            out.append(cur)
            cur = s
        else:
            cur = (cur + " " + s) if cur else s
    if cur:
        out.append(cur)
    return [p for p in out if len(p) <= 2 * MAX_CHARS]  # a sentence of 4000 characters is not prose


def dedup_key(text):
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def doc_hash(source, doc):
    return hashlib.sha256((source + "/" + doc).encode("utf-8")).hexdigest()


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    raw, out = argv[1], argv[2]
    sources = argv[3:]
    os.makedirs(out, exist_ok=True)
    seen = set()
    docs = {}  # hash -> (source, [paragraphs])
    stats = {}
    for source in sources:
        st = stats[source] = {"in": 0, "kept": 0, "dup": 0, "train_bytes": 0, "heldout_bytes": 0,
                              "train_paras": 0, "heldout_paras": 0}
        with open(os.path.join(raw, source + ".tsv"), encoding="utf-8") as f:
            for line in f:
                doc, _, text = line.rstrip("\n").partition("\t")
                st["in"] += 1
                for para in cut_long(normalise(text)):
                    why = reject_reason(para)
                    if why:
                        st[why] = st.get(why, 0) + 1
                        continue
                    key = dedup_key(para)
                    if key in seen:
                        st["dup"] += 1
                        continue
                    seen.add(key)
                    st["kept"] += 1
                    h = doc_hash(source, doc)
                    docs.setdefault(h, (source, []))[1].append(para)
    tmp_train = os.path.join(out, "train.txt.tmp")
    tmp_held = os.path.join(out, "heldout.txt.tmp")
    with open(tmp_train, "w", encoding="utf-8", newline="\n") as ft, \
            open(tmp_held, "w", encoding="utf-8", newline="\n") as fh:
        for h in sorted(docs):
            source, paras = docs[h]
            held = int(h[:8], 16) % 10000 < HELDOUT_PER_10000
            f, part = (fh, "heldout") if held else (ft, "train")
            for p in paras:
                data = p + "\n"
                f.write(data)
                stats[source][part + "_bytes"] += len(data.encode("utf-8"))
                stats[source][part + "_paras"] += 1
    os.replace(tmp_train, os.path.join(out, "train.txt"))
    os.replace(tmp_held, os.path.join(out, "heldout.txt"))

    reasons = ["short", "symbols", "non-english", "code", "not-prose", "fragment", "dup"]
    cols = ["source", "paragraphs_in", "kept"] + ["drop_" + r for r in reasons] + \
           ["train_paragraphs", "heldout_paragraphs", "train_bytes", "heldout_bytes"]
    with open(os.path.join(out, "stats.tsv"), "w", encoding="utf-8") as f:
        f.write("\t".join(cols) + "\n")
        for s in sources:
            st = stats[s]
            row = [s, st["in"], st["kept"]] + [st.get(r, 0) for r in reasons] + \
                  [st["train_paras"], st["heldout_paras"], st["train_bytes"], st["heldout_bytes"]]
            f.write("\t".join(str(x) for x in row) + "\n")
    print("%-9s %9s %9s %9s %10s %10s %8s" % ("source", "paras_in", "kept", "dropped", "train_MB", "heldout_MB",
                                             "share"))
    total_t = sum(stats[s]["train_bytes"] for s in sources)
    total_h = sum(stats[s]["heldout_bytes"] for s in sources)
    for s in sources:
        st = stats[s]
        print("%-9s %9d %9d %9d %10.2f %10.3f %7.1f%%" % (
            s, st["in"], st["kept"], sum(st.get(r, 0) for r in reasons), st["train_bytes"] / 1e6,
            st["heldout_bytes"] / 1e6, 100.0 * (st["train_bytes"] + st["heldout_bytes"]) / max(1, total_t + total_h)))
    print("%-9s %9d %9d %9s %10.2f %10.3f" % ("total", sum(stats[s]["in"] for s in sources),
                                              sum(stats[s]["kept"] for s in sources), "", total_t / 1e6,
                                              total_h / 1e6))


if __name__ == "__main__":
    main(sys.argv)
