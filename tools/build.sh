#!/usr/bin/env bash
# Configures and builds SSM Lens into build/ (Release). Extra arguments go to CMake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
gui=ON
if ! dpkg-query -W -f='${Status}' libqcustomplot-dev 2>/dev/null | grep -q "install ok installed"; then gui=OFF; fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSSMLENS_BUILD_GUI=${SSMLENS_BUILD_GUI:-$gui} "$@" >/dev/null
ninja -C build -j"$(nproc)"
