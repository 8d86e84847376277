#!/usr/bin/env bash
# The run command: installs what is missing, builds, and starts the SSM Lens window on the bundled demo
# model (resources/demo-model, docs/demo-model.md). Arguments go to the window (build/bin/ssmlens --help).
# Without a display it shows the engine through the CLI instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
bash tools/build.sh
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "run.sh: no display; showing the engine through the CLI instead (ssmlens-cli reduce on the demo model):"
  exec build/bin/ssmlens-cli reduce --text "In the beginning God created the heaven and the earth. And the earth was without form, and void." \
    --preset depth --keep-ratio 0.7
fi
exec build/bin/ssmlens "$@"
