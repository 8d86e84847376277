#!/usr/bin/env bash
# Runs the built test suite (build/) under forced CPU kernels, to show it passes on any x86-64 CPU and not
# only on the machine at hand: OpenBLAS chooses its GEMM kernels by CPU model and ATen its vector code by
# SIMD width, so another CPU rounds in other last bits (tests/NumericTolerance.h says what the tests allow).
#
#   bash tools/test_cpu_variants.sh           # every OpenBLAS core type x ATen capability below (~10 min)
#   bash tools/test_cpu_variants.sh --quick   # the oldest kernels only (Prescott SSE3, ATen default): CI
#
# Extra arguments after the options go to ctest (for example -R test_token). Exit status: 0 when every
# variant passed. The packaging, slurm, window and hostile-file tests (labels packaging, slurm, window, input) are
# left out: they check installing, job handling, what the window shows and how bad files are refused, comparing
# like with like under one kernel set (the eval and engine tests cover the arithmetic).
set -euo pipefail
cd "$(dirname "$0")/../build"

coretypes=(Prescott Nehalem Sandybridge Haswell Zen SkylakeX Cooperlake)
capabilities=(default avx2 avx512)
if [ "${1:-}" = "--quick" ]; then
  coretypes=(Prescott)
  capabilities=(default)
  shift
fi

failed=()
for coretype in "${coretypes[@]}"; do
  for capability in "${capabilities[@]}"; do
    # ATen falls back to a lower capability on a CPU without the asked one, so every pair is valid here.
    if OPENBLAS_CORETYPE=$coretype ATEN_CPU_CAPABILITY=$capability \
        ctest --output-on-failure -j"$(nproc)" --timeout 900 -LE "packaging|slurm|window|input" "$@" > "variant-$coretype-$capability.log" 2>&1; then
      echo "test_cpu_variants: OPENBLAS_CORETYPE=$coretype ATEN_CPU_CAPABILITY=$capability: passed"
    else
      echo "test_cpu_variants: OPENBLAS_CORETYPE=$coretype ATEN_CPU_CAPABILITY=$capability: FAILED"
      grep -E "\(Failed\)|FAIL!" "variant-$coretype-$capability.log" || true
      failed+=("$coretype/$capability")
    fi
  done
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "test_cpu_variants: failed under ${failed[*]} (logs: build/variant-*.log)"
  exit 1
fi
