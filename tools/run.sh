#!/usr/bin/env bash
# The run command: installs what is missing, builds, and starts SSM Lens on the bundled demo model.
# Until the demo model and the desktop window land, this writes a tiny random-weight model and runs the
# CLI on it (info, then a short greedy generation), so the whole engine is exercised end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
bash tools/build.sh
cli=build/bin/ssmlens-cli
model=build/tiny-random-model
[ -f "$model/config.json" ] || "$cli" random-model --size tiny --seed 1 --out "$model"
"$cli" info --model "$model"
"$cli" generate --model "$model" --ids 510,1234,42 --max-new-tokens 16 --json
