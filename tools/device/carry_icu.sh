#!/usr/bin/env bash
# Run here, on the development machine (Debian 12), once: copies ICU's headers and shared libraries (libicu-dev
# and libicu72, ICU 72) into .carry/icu/ (about 38 MB), for a GPU machine whose image has no libicu-dev. There
# the engine-only build finds no ICU and builds tokenizers that refuse text (token ids still work); with
# .carry/icu present, tools/gpu_run.sh builds against it (ICU_ROOT) and the programs find its libraries through
# their RPATH. Pass carry [".carry"] to the device call (the folder is git-ignored).
#   bash tools/device/carry_icu.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
lib=$(dirname "$(readlink -f /usr/lib/x86_64-linux-gnu/libicuuc.so)")
[ -d /usr/include/unicode ] && [ -e "$lib/libicuuc.so" ] || { echo "install libicu-dev first (tools/install-deps.sh)"; exit 1; }
dest=.carry/icu
rm -rf "$dest"
mkdir -p "$dest/include" "$dest/lib"
cp -r /usr/include/unicode "$dest/include/"
cp -P "$lib"/libicuuc.so* "$lib"/libicudata.so* "$dest/lib/"
du -sh "$dest"
