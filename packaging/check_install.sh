#!/usr/bin/env bash
# Checks an installed SSM Lens tree: the programs start from it, find the bundled demo model and the
# sentencepiece module there, and the window draws a first result.
#
#   bash packaging/check_install.sh /tmp/ssmlens-install     # after cmake --install build --prefix ...
#   bash packaging/check_install.sh /tmp/x/usr               # a .deb unpacked with dpkg-deb -x
#   bash packaging/check_install.sh /tmp/x/ssmlens-0.1.0-Linux-x86_64   # an unpacked .tar.gz
#
# Without a display the window runs under xvfb-run, or else on Qt's offscreen platform. Exit status 0 when all
# checks pass. Also a CTest test of the build (install_tree, packaging/Packaging.cmake).
set -euo pipefail
prefix=$(cd "${1:?usage: check_install.sh PREFIX}" && pwd)
fail=0
step() { printf '\n== %s\n' "$*"; }
bad() { echo "FAILED: $*"; fail=1; }

# Nothing from the source or build tree may help: no environment overrides, and run from elsewhere.
unset SSMLENS_RESOURCES SSMLENS_DEMO_MODEL SSMLENS_SENTENCEPIECE_MODULE
cd /

step "layout"
for f in bin/ssmlens-cli share/ssmlens/demo-model/config.json share/ssmlens/demo-model/model.safetensors \
         share/ssmlens/demo-model/tokenizer.model share/ssmlens/eval-samples/piqa/valid.jsonl; do
  [[ -e "$prefix/$f" ]] && echo "ok   $f" || bad "missing $f"
done
module=$(find "$prefix/lib" -name libssmlens_sentencepiece.so 2>/dev/null | head -n 1)
[[ -n "$module" ]] && echo "ok   ${module#"$prefix"/}" || bad "missing lib/.../ssmlens/libssmlens_sentencepiece.so"

step "libraries the programs load (none may come from a build tree)"
for f in "$prefix"/bin/* "$module"; do
  [[ -f "$f" ]] || continue
  missing=$(ldd "$f" | grep 'not found' || true)
  [[ -z "$missing" ]] || bad "$f: $missing"
  rpath=$(readelf -d "$f" | grep -E 'RPATH|RUNPATH' || true)
  echo "${f#"$prefix"/}: ${rpath:-no RPATH/RUNPATH}"
done

step "ssmlens-cli info (default model = the installed demo model)"
out=$("$prefix/bin/ssmlens-cli" info 2>&1) || bad "ssmlens-cli info exited $?"
echo "$out"
grep -q "$prefix/share/ssmlens/demo-model" <<<"$out" || bad "info does not name $prefix/share/ssmlens/demo-model"

step "ssmlens-cli tokenize (sentencepiece module from the install)"
out=$("$prefix/bin/ssmlens-cli" tokenize --model "$prefix/share/ssmlens/demo-model" --text "Hello world" --json 2>&1) \
  || bad "ssmlens-cli tokenize exited $?"
echo "$out"

step "ssmlens-cli generate on the default model"
"$prefix/bin/ssmlens-cli" generate --text "The river" --max-new-tokens 8 --greedy 2>&1 || bad "generate exited $?"

if [[ -x "$prefix/bin/ssmlens" ]]; then
  step "ssmlens --screenshot (window on the default model, under Xvfb)"
  shot=$(mktemp --suffix=.png)
  # A display if there is one, else Xvfb, else Qt's offscreen platform.
  if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; then run=(env)
  elif command -v xvfb-run >/dev/null; then run=(xvfb-run -a -s "-screen 0 1600x1000x24")
  else run=(env QT_QPA_PLATFORM=offscreen); fi
  if "${run[@]}" "$prefix/bin/ssmlens" --screenshot "$shot"; then
    echo "ok   screenshot $(stat -c %s "$shot") bytes"
  else
    bad "ssmlens --screenshot exited $?"
  fi
  rm -f "$shot"
fi

if (( fail )); then echo; echo "check_install: FAILED"; exit 1; fi
echo; echo "check_install: all checks passed for $prefix"
