#!/usr/bin/env bash
# Trains the demo model's sentencepiece tokenizer on the corpus of build_corpus.sh and
# measures it on held-out paragraphs.
#
#   tools/corpus/train_tokenizer.sh [CORPUS_DIR [OUT_DIR]]     (both default to build/corpus)
#
# Writes OUT_DIR/tokenizer.model (+ tokenizer.vocab) and OUT_DIR/tokenizer_report.json.
# Environment:
#   VOCAB=12000             vocabulary size (an upper bound; see train-tokenizer --help)
#   TOKENIZER_MAX_MB=0      when > 0 and train.txt is larger, train on a deterministic
#                           subsample of about that many MB (lines picked by a hash of
#                           their text), written to OUT_DIR/tokenizer_train.txt
#   REPORT_PARAGRAPHS=200   held-out paragraphs measured for the report
#   SSMLENS_CLI             the CLI (default build/bin/ssmlens-cli)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CORPUS="${1:-$ROOT/build/corpus}"
OUT="${2:-$CORPUS}"
VOCAB="${VOCAB:-12000}"
MAX_MB="${TOKENIZER_MAX_MB:-0}"
N="${REPORT_PARAGRAPHS:-200}"
CLI="${SSMLENS_CLI:-$ROOT/build/bin/ssmlens-cli}"
mkdir -p "$OUT"

[ -x "$CLI" ] || { echo "error: $CLI not built (ninja -C build ssmlens-cli)" >&2; exit 1; }
[ -s "$CORPUS/train.txt" ] || { echo "error: $CORPUS/train.txt missing (run tools/corpus/build_corpus.sh)" >&2; exit 1; }

INPUT="$CORPUS/train.txt"
size=$(stat -c %s "$INPUT")
if [ "$MAX_MB" -gt 0 ] && [ "$size" -gt $((MAX_MB * 1000000)) ]; then
    # keep a line when the first 8 hex digits of its SHA-256, as a fraction, fall below
    # MAX_MB / size: the same lines every time, spread over all sources
    python3 - "$INPUT" "$OUT/tokenizer_train.txt" "$MAX_MB" <<'PY'
import hashlib, os, sys
src, dst, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
limit = int(0x100000000 * mb * 1e6 / os.path.getsize(src))
kept = 0
with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8", newline="\n") as g:
    for line in f:
        if int(hashlib.sha256(line.encode("utf-8")).hexdigest()[:8], 16) < limit:
            g.write(line)
            kept += len(line.encode("utf-8"))
print("subsample: %.1f MB of %.1f MB" % (kept / 1e6, os.path.getsize(src) / 1e6))
PY
    INPUT="$OUT/tokenizer_train.txt"
fi

echo "== training a $VOCAB-piece unigram tokenizer on $INPUT ($(( $(stat -c %s "$INPUT") / 1000000 )) MB)"
start=$(date +%s)
"$CLI" train-tokenizer --input "$INPUT" --vocab-size "$VOCAB" --out "$OUT/tokenizer.model"
echo "== trained in $(( $(date +%s) - start )) s; $(wc -l < "$OUT/tokenizer.vocab") pieces"
sha256sum "$OUT/tokenizer.model"

echo "== measuring on $N held-out paragraphs"
python3 "$HERE/tokenizer_report.py" "$CLI" "$OUT/tokenizer.model" "$CORPUS/heldout.txt" "$N" "$OUT/tokenizer_report.json"
