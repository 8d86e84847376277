#!/usr/bin/env bash
# The hardening checks CI runs after the test suite (.ci/run, docs/reliability.md): a second build of core, the
# CLI, the non-GUI tests and the fuzz targets with clang, AddressSanitizer and UndefinedBehaviorSanitizer
# (build-sanitize/), the tests under the sanitizers, then every fuzz target for SSMLENS_FUZZ_SECONDS (default
# 20) from its seed corpus. Fails on any sanitizer report, crash, leak or hang.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
start=$(date +%s)
cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DSSMLENS_BUILD_GUI=OFF -DSSMLENS_CUDA=OFF -DSSMLENS_FUZZ=ON "${launcher[@]}" >/dev/null
ninja -C build-sanitize -j"$(nproc)"
built=$(date +%s)
# The packaging and Slurm tests are left out, as under the CPU variants (tools/test_cpu_variants.sh): they test
# installing and job handling, and start the CLI outside CTest's sanitizer settings.
(cd build-sanitize && ctest --output-on-failure -j"$(nproc)" --timeout 1800 -LE "packaging|slurm")
tested=$(date +%s)
bash tools/fuzz/run_fuzzers.sh build-sanitize "${SSMLENS_FUZZ_SECONDS:-20}"
echo "test_sanitized: build $((built - start)) s, tests $((tested - built)) s, fuzzing $(( $(date +%s) - tested )) s"
