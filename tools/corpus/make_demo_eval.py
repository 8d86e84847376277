#!/usr/bin/env python3
"""Writes the demo model's evaluation sets from the held-out part of the corpus.

Usage: make_demo_eval.py CORPUSDIR OUTDIR [--max N] [--seed S]

CORPUSDIR is what build_corpus.sh wrote (heldout.txt and work/raw/*.tsv). Only
held-out documents of public-domain sources are used (the King James Bible, The
Devil's Dictionary, the Jargon File), so the files can ship with the app and no
example was seen in training. It writes, in the layouts the evaluation reads:

  OUTDIR/lambada_openai/lambada_test.jsonl   LAMBADA-style: {"text": passage}; the
      last word is to be predicted. A passage is 40-150 words of whole
      sentences; its last word has 3+ letters, is not a stop word, and occurs
      earlier in the passage (as in LAMBADA, the context is needed).
  OUTDIR/heldout_sample.txt                  the first 40 of these held-out paragraphs, one per
      line: the fixed slice whose perplexity the demo model's test checks.
  OUTDIR/hellaswag/hellaswag_val.jsonl       multiple-choice cloze in HellaSwag's
      jsonl form: ctx_a = 1-4 sentences, endings = the true next sentence and
      three sentences of other documents of the same source of similar length.

Deterministic in the corpus and the seed.
"""

import json
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clean_split  # noqa: E402  (the corpus's own cleaning and split rules)

SOURCES = {"bible": "Bible", "devil": "Devil's Dictionary", "jargon": "Jargon File"}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(]?[A-Z])")
WORD = re.compile(r"[A-Za-z]+")


def heldout_paragraphs(corpus):
    """(source, document, [paragraphs]) of the public-domain held-out documents, in corpus order."""
    with open(os.path.join(corpus, "heldout.txt"), encoding="utf-8") as f:
        heldout = set(line.rstrip("\n") for line in f)
    docs = {}
    for source in SOURCES:
        with open(os.path.join(corpus, "work", "raw", source + ".tsv"), encoding="utf-8") as f:
            for line in f:
                doc, _, text = line.rstrip("\n").partition("\t")
                h = clean_split.doc_hash(source, doc)
                if int(h[:8], 16) % 10000 >= clean_split.HELDOUT_PER_10000:
                    continue
                for para in clean_split.cut_long(clean_split.normalise(text)):
                    if para in heldout:
                        docs.setdefault(h, (source, doc, []))[2].append(para)
    return [docs[h] for h in sorted(docs)]


def sentences(paragraph):
    return [s.strip() for s in SENTENCE_END.split(paragraph) if s.strip()]


def lambada_examples(docs):
    out = []
    for source, doc, paras in docs:
        for para in paras:
            sents, start = sentences(para), 0
            for end in range(1, len(sents) + 1):
                passage = " ".join(sents[start:end])
                words = passage.split()
                if len(words) < 40:
                    continue
                if len(words) > 150:
                    start = end
                    continue
                text = re.sub(r"[^A-Za-z]+$", "", passage)
                target = text.split()[-1] if text.split() else ""
                context = text[: len(text) - len(target)]
                earlier = set(w.lower() for w in WORD.findall(context))
                if (WORD.fullmatch(target) and len(target) >= 3 and target.lower() not in clean_split.STOPWORDS
                        and target.lower() in earlier):
                    out.append({"text": text, "source": source, "document": doc})
                    start = end  # passages do not overlap
    return out


def cloze_examples(docs, rng):
    pool = {}
    for source, doc, paras in docs:
        for para in paras:
            for s in sentences(para):
                if 6 <= len(s.split()) <= 40:
                    pool.setdefault(source, []).append((doc, s))
    out = []
    for source, doc, paras in docs:
        for para in paras:
            sents = sentences(para)
            i = 0
            while i + 1 < len(sents):
                take = 1
                while i + take + 1 < len(sents) and take < 4 and len(" ".join(sents[i:i + take]).split()) < 30:
                    take += 1
                ctx, truth = " ".join(sents[i:i + take]), sents[i + take]
                i += take + 1
                n = len(truth.split())
                if not (30 <= len(ctx.split()) <= 120 and 6 <= n <= 40):
                    continue
                others = [s for d, s in pool.get(source, []) if d != doc and 0.5 * n <= len(s.split()) <= 1.5 * n]
                if len(others) < 3:
                    continue
                endings = rng.sample(others, 3)
                label = rng.randrange(4)
                endings.insert(label, truth)
                out.append({"ind": len(out), "activity_label": SOURCES[source], "ctx_a": ctx, "ctx_b": "",
                            "ctx": ctx, "endings": endings, "label": label, "split": "val",
                            "source_id": source + ":" + doc})
    return out


def spread(examples, n, rng):
    """n examples chosen evenly across the list (every source represented), in corpus order."""
    if len(examples) <= n:
        return examples
    keep = sorted(rng.sample(range(len(examples)), n))
    return [examples[i] for i in keep]


def main(argv):
    args = [a for a in argv[1:]]
    if len(args) < 2:
        sys.exit(__doc__)
    corpus, out = args[0], args[1]
    n = int(args[args.index("--max") + 1]) if "--max" in args else 300
    rng = random.Random(int(args[args.index("--seed") + 1]) if "--seed" in args else 1234)
    docs = heldout_paragraphs(corpus)
    lam = spread(lambada_examples(docs), n, rng)
    clz = cloze_examples(docs, rng)
    clz = spread(clz, n, rng)
    for i, e in enumerate(clz):
        e["ind"] = i
    os.makedirs(os.path.join(out, "lambada_openai"), exist_ok=True)
    os.makedirs(os.path.join(out, "hellaswag"), exist_ok=True)
    with open(os.path.join(out, "heldout_sample.txt"), "w", encoding="utf-8", newline="\n") as f:
        paras = [p for _, _, ps in docs for p in ps]
        f.write("".join(p + "\n" for p in paras[:40]))
    with open(os.path.join(out, "lambada_openai", "lambada_test.jsonl"), "w", encoding="utf-8") as f:
        for e in lam:
            f.write(json.dumps({"text": e["text"]}, ensure_ascii=False) + "\n")
    with open(os.path.join(out, "hellaswag", "hellaswag_val.jsonl"), "w", encoding="utf-8") as f:
        for e in clz:
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
    by = lambda xs, key: {s: sum(1 for x in xs if key(x) == s) for s in SOURCES}
    print("lambada-style: %d passages %s" % (len(lam), by(lam, lambda e: e["source"])))
    print("cloze: %d items %s" % (len(clz), by(clz, lambda e: e["source_id"].split(":")[0])))


if __name__ == "__main__":
    main(sys.argv)
