#!/usr/bin/env bash
# The test command: installs what is missing, builds everything, runs the whole suite with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
bash tools/build.sh
cd build
ctest --output-on-failure -j"$(nproc)" --timeout 900
