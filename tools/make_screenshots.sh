#!/usr/bin/env bash
# The pictures in docs/ (docs/figures.md says what each shows): the window under Xvfb at 1920x1200 in English
# and at 1600x1000 in German and Chinese, and every view exported without a display, on the demo model with
# the sample prompt and the depth-scaled schedule at keep ratio 0.7. Settings and autosave go to a scratch
# folder, so the user's own stay untouched.
#   bash tools/make_screenshots.sh [BUILD_DIR=build]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
app="$build/bin/ssmlens"
out=docs/screenshots
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SSMLENS_RESOURCES="$PWD/resources" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data"
q=0.7
echo "# $(date -u +%F) $(git rev-parse --short HEAD 2>/dev/null || echo '?') on $(nproc) cores:" \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2
quiet() { "$@" 2> >(grep -v XDG_RUNTIME_DIR >&2); }

quiet xvfb-run -a -s "-screen 0 1920x1200x24" "$app" --language en --keep-ratio $q --window-size 1920x1200 \
  --screenshot docs/screenshot-main-window.png
for lang in de zh_CN; do
  rm -rf "$tmp/config"  # the first-run layout in each language
  quiet xvfb-run -a -s "-screen 0 1600x1000x24" "$app" --language "$lang" --keep-ratio $q --window-size 1600x1000 \
    --screenshot "$out/window-1600x1000-$lang.png"
done
quiet "$app" --language en --keep-ratio $q --token 9 --export heatmap="$out/heatmap.png" --export strip="$out/strip.png" \
  --export graph="$out/graph.png" --export tokens-per-layer="$out/tokens-per-layer.png" --export accuracy="$out/accuracy.png"
quiet "$app" --language en --keep-ratio $q --token 9 --export attention="$out/attention.png" \
  --export importance-vs-attention="$out/importance-vs-attention.png" --export attribution="$out/attribution.png"
rm -rf "$tmp/config"
quiet xvfb-run -a -s "-screen 0 1920x1200x24" "$app" --language en --keep-ratio $q --token 9 --window-size 1920x1200 \
  --show-attention --screenshot "$out/window-attention.png"
quiet "$app" --language en --keep-ratio $q --size 1050x700 --dpi 300 --font-size 8 --export heatmap="$out/heatmap.pdf"
long=$(python3 -c "print(' '.join(open('resources/demo-model/eval/heldout_sample.txt').read().split()[:150]))")
quiet "$app" --language en --keep-ratio $q --prompt "$long" --export heatmap="$out/heatmap-long-prompt.png"
