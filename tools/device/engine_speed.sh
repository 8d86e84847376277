#!/usr/bin/env bash
# Device run (tools/device/engine_speed.sh [profile], from the repo root; no carry needed): builds core + CLI,
# runs the CTest tests labelled gpu (ctest_gpu.md, tools/device/gpu_tests.sh), then, side by side in one run on
# the same machine:
#   bench_ssd.md      ssmlens-cli bench-ssd: tensor-core scan vs the ATen scan (differences, ms per layer shape)
#   bench_130m.md     ssmlens-cli bench --size 130m, bf16, with SSMLENS_FUSED_SSD=0 (ATen scan) and =1
#   bench_2.7b.md     the same for 2.7b
#   bench_reduce.md   ssmlens-cli bench-reduce for 130m, 1.3b and 2.7b at L = 2048, 8192 (bf16)
#   ncu.md            (with the argument `profile`) time per kernel name of one 130m prefill (L 2048, batch 1 and 8),
#                     from Nsight Compute's gpu__time_duration, and throughput metrics of the scan kernels
# With `profile-only`, only the build and the profile.
# Progress in $OUT/engine_speed.log.
set -uo pipefail
export JOBS=16 PYTHONUNBUFFERED=1
log=$OUT/engine_speed.log
step() { echo "[$(date -u +%T)] $*" >>"$log"; }
step build
(OUT=/tmp/build-out bash tools/gpu_run.sh build >/tmp/build.log 2>&1) || { tail -40 /tmp/build.log >>"$log"; exit 1; }
CLI=build-gpu/bin/ssmlens-cli
step "ctest -L gpu"
GPU_TESTS_SOURCED=1 . tools/device/gpu_tests.sh
run_gpu_tests >>"$log" 2>&1 || step "ctest -L gpu FAILED (see ctest_gpu.md)"
if [ "${1:-}" != profile-only ]; then
step bench-ssd
$CLI bench-ssd >"$OUT/bench_ssd.md" 2>>"$log" || step "bench-ssd FAILED"
for size in 130m 2.7b; do
  step "bench $size"
  for f in 0 1; do
    echo "## SSMLENS_FUSED_SSD=$f" >>"$OUT/bench_$size.md"
    SSMLENS_FUSED_SSD=$f $CLI bench --size $size --device cuda --dtypes bf16 --decode-tokens 16 --repeats 5 \
      >>"$OUT/bench_$size.md" 2>>"$log"
  done
done
step bench-reduce
for size in 130m 1.3b 2.7b; do
  echo "## $size" >>"$OUT/bench_reduce.md"
  $CLI bench-reduce --size $size --lengths 2048,8192 --dtype bf16 --device cuda >>"$OUT/bench_reduce.md" 2>>"$log"
done
fi
if [ "${1:-}" = profile ] || [ "${1:-}" = profile-only ] && command -v ncu >/dev/null; then
  for batch in 1 8; do
    step "ncu batch $batch"
    echo "## 130m prefill, bf16, L 2048, batch $batch: time per kernel name (one forward pass)" >>"$OUT/ncu.md"
    timeout 300 ncu --clock-control none --metrics gpu__time_duration.sum --csv --print-units base $CLI bench \
      --size 130m --device cuda --dtypes bf16 --lengths 2048 --batches $batch --prefill-only --repeats 1 --warmup 0 \
      >/tmp/ncu.csv 2>>"$log"
    python3 tools/device/ncu_table.py /tmp/ncu.csv >>"$OUT/ncu.md"
  done
  step "ncu scan metrics"
  echo "## 130m scan kernels, L 2048, batch 8: throughput (one forward pass)" >>"$OUT/ncu.md"
  timeout 300 ncu --clock-control none -k "regex:chunk|statePassing" --metrics \
gpu__time_duration.sum,dram__bytes.sum,sm__throughput.avg.pct_of_peak_sustained_elapsed,gpu__compute_memory_throughput.avg.pct_of_peak_sustained_elapsed,sm__warps_active.avg.pct_of_peak_sustained_active,launch__registers_per_thread,launch__occupancy_limit_shared_mem,sm__pipe_tensor_op_hmma_cycles_active.avg.pct_of_peak_sustained_active \
    --csv --print-units base $CLI bench --size 130m --device cuda --dtypes bf16 --lengths 2048 --batches 8 \
    --prefill-only --repeats 1 --warmup 0 >/tmp/ncu2.csv 2>>"$log"
  python3 tools/device/ncu_table.py /tmp/ncu2.csv metrics >>"$OUT/ncu.md"
fi
step done
