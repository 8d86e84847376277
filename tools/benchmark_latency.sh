#!/usr/bin/env bash
# Latency of the real window for the demo model on CPU with a 128-token prompt (goal: under 150 ms), on the
# first 90 words of the demo model's held-out sample (127 tokens), under Xvfb. Prints the JSON.
#   slider (default): `ssmlens --benchmark-latency N`, slider release to redrawn views (issue 6), in two phases
#     side by side: the dense pass rerun on every move, and reused (what the app does);
#   attention: `ssmlens --benchmark-attention N`, a layer change to the redrawn Attention view (issue 21).
#
#   bash tools/benchmark_latency.sh [N=20] [BUILD_DIR=build] [slider|attention]
# Settings and autosave go to a temporary folder, so the user's own stay untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
moves="${1:-20}"
build="${2:-build}"
what="${3:-slider}"
case "$what" in
  slider) option=--benchmark-latency ;;
  attention) option=--benchmark-attention ;;
  *) echo "unknown measurement \"$what\" (slider or attention)" >&2; exit 2 ;;
esac
prompt=$(python3 -c "print(' '.join(open('resources/demo-model/eval/heldout_sample.txt').read().split()[:90]))")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SSMLENS_RESOURCES="$PWD/resources" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data"
# A plain launch, as a user starts it: the app itself uses every core (no OMP_NUM_THREADS needed).
echo "# $(date -u +%F) $(git rev-parse --short HEAD 2>/dev/null || echo '?') on $(nproc) cores:" \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2
xvfb-run -a -s "-screen 0 1920x1200x24" "$build/bin/ssmlens" "$option" "$moves" --prompt "$prompt" \
  2> >(grep -v XDG_RUNTIME_DIR >&2)
