#!/usr/bin/env bash
# Slider-move latency of the real window (issue 6's goal: under 150 ms from slider release to redrawn views
# for the demo model on CPU with a 128-token prompt). Runs `ssmlens --benchmark-latency N` under Xvfb on the
# first 90 words of the demo model's held-out sample (127 tokens), which measures two phases side by side:
# the dense pass rerun on every move, and reused (what the app does). Prints the JSON.
#
#   bash tools/benchmark_latency.sh [N=20] [BUILD_DIR=build]
# Settings and autosave go to a temporary folder, so the user's own stay untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
moves="${1:-20}"
build="${2:-build}"
prompt=$(python3 -c "print(' '.join(open('resources/demo-model/eval/heldout_sample.txt').read().split()[:90]))")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SSMLENS_RESOURCES="$PWD/resources" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
echo "# $(date -u +%F) $(git rev-parse --short HEAD 2>/dev/null || echo '?') on $(nproc) cores:" \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2
xvfb-run -a -s "-screen 0 1920x1200x24" "$build/bin/ssmlens" --benchmark-latency "$moves" --prompt "$prompt" \
  2> >(grep -v XDG_RUNTIME_DIR >&2)
