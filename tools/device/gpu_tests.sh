#!/usr/bin/env bash
# Device run (bash tools/device/gpu_tests.sh, from the repo root; no carry needed): builds core + CLI into
# build-gpu/ (tools/gpu_run.sh build) and runs the CTest tests labelled gpu (tests/GpuChecks.cmake):
#   gpu_check_device     every hand-written kernel against the ATen path on the GPU (fp32, bf16, fp16); the forward
#                        pass and token reduction (every method) on the GPU against the CPU
#   gpu_check_reduce     the reduction step's kernels against the ATen step (check-reduce, untimed cases)
#   gpu_check_scan_bf16  the tensor-core scan against the ATen scan (bench-ssd, untimed cases), bf16 and fp16
#   gpu_check_scan_fp16
# Writes $OUT/ctest_gpu.md (CTest's output, each failing test's own output included); exits with CTest's status.
# The other device scripts (verify_and_time.sh, reduce_kernels.sh, engine_speed.sh, attention_speed.sh) source this
# file after their build, so they check before they time: `GPU_TESTS_SOURCED=1 . tools/device/gpu_tests.sh`
# defines run_gpu_tests and returns.
run_gpu_tests() {
  local out="${OUT:-$PWD/out}"
  mkdir -p "$out"
  (cd build-gpu && timeout 900 ctest -L gpu --output-on-failure) >"$out/ctest_gpu.md" 2>&1
  local rc=$?
  tail -8 "$out/ctest_gpu.md"
  return $rc
}
if [ -n "${GPU_TESTS_SOURCED:-}" ]; then
  return 0 2>/dev/null || true
fi
set -uo pipefail
export JOBS=${JOBS:-16}
OUT="${OUT:-$PWD/out}"
mkdir -p "$OUT"
nvidia-smi -L
(OUT=/tmp/build-out bash tools/gpu_run.sh build >/tmp/build.log 2>&1) || { tail -60 /tmp/build.log; exit 1; }
run_gpu_tests
