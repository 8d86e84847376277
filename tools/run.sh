#!/usr/bin/env bash
# The run command: installs what is missing, builds, and starts the SSM Lens window.
# It opens the bundled demo model when one is installed (resources/demo-model). Until the demo model lands,
# it writes a small random-weight model with a sentencepiece tokenizer trained on this repository's
# documentation, so every view works (the model's predictions are meaningless until then).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
bash tools/build.sh
cli=build/bin/ssmlens-cli
if [ -f resources/demo-model/config.json ]; then
  exec build/bin/ssmlens "$@"
fi
model=build/random-demo-model
if [ ! -f "$model/tokenizer.model" ]; then
  "$cli" random-model --size tiny --seed 1 --out "$model"
  cat README.md docs/*.md > build/random-demo-corpus.txt
  "$cli" train-tokenizer --input build/random-demo-corpus.txt --vocab-size 800 --out "$model/tokenizer.model" 2>/dev/null
fi
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "run.sh: no display; showing the engine through the CLI instead (ssmlens-cli reduce):"
  exec "$cli" reduce --model "$model" --text "The quick brown fox jumps over the lazy dog." --preset depth --keep-ratio 0.7
fi
exec build/bin/ssmlens --model "$model" "$@"
