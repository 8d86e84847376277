#!/usr/bin/env bash
# Device run (tools/device/reduce_kernels.sh [profile | profile-only], from the repo root; no carry needed): builds core + CLI,
# runs the CTest tests labelled gpu (ctest_gpu.md, tools/device/gpu_tests.sh), then, in one run on the same machine:
#   check_reduce.md   ssmlens-cli check-reduce: the reduction step on the CUDA kernels against the ATen step
#                     (choices, streams, details; every method, option, dtype; timed anchor steps both ways)
#   bench_reduce.md   ssmlens-cli bench-reduce for 130m, 1.3b and 2.7b at L = 2048, 8192 (bf16): the step's
#                     device time in the forward pass with the kernels and with the ATen step, side by side
#   ncu_reduce.md     (with the argument `profile`) time per kernel of one step at three layer shapes, from
#                     Nsight Compute's gpu__time_duration
# Progress in $OUT/reduce_kernels.log.
set -uo pipefail
export JOBS=16 PYTHONUNBUFFERED=1
log=$OUT/reduce_kernels.log
step() { echo "[$(date -u +%T)] $*" >>"$log"; }
step build
(OUT=/tmp/build-out bash tools/gpu_run.sh build >/tmp/build.log 2>&1) || { tail -60 /tmp/build.log >>"$log"; exit 1; }
CLI=build-gpu/bin/ssmlens-cli
step "ctest -L gpu"
GPU_TESTS_SOURCED=1 . tools/device/gpu_tests.sh
run_gpu_tests >>"$log" 2>&1 || step "ctest -L gpu FAILED (see ctest_gpu.md)"
nvidia-smi -L >>"$log" 2>&1
if [ "${1:-}" != profile-only ]; then
step check-reduce
timeout 300 $CLI check-reduce >"$OUT/check_reduce.md" 2>"$OUT/check_reduce.log" || step "check-reduce FAILED (rc $?)"
step bench-reduce
for size in 130m 1.3b 2.7b; do
  echo "## $size" >>"$OUT/bench_reduce.md"
  timeout 240 $CLI bench-reduce --size $size --lengths 2048,8192 --dtype bf16 --device cuda >>"$OUT/bench_reduce.md" 2>>"$log" \
    || step "bench-reduce $size FAILED"
done
fi
if [ "${1:-}" = profile ] || [ "${1:-}" = profile-only ] && command -v ncu >/dev/null; then
  for shape in "L 2048, D 2560" "L 8192, D 2560" "L 2048, D 768"; do
    step "ncu $shape"
    echo "## $shape (one step on the kernels; times from runs of the check, mean per launch)" >>"$OUT/ncu_reduce.md"
    timeout 200 ncu --clock-control none -k "regex:rowStats|split|bestMatch|gatherLists|rowMax|gemm|nvjet|finalize|Choice|mergeCompact" --metrics gpu__time_duration.sum --csv --print-units base \
      $CLI check-reduce --cases "$shape (timed)" --repeats 1 >/tmp/ncu.csv 2>>"$log"
    python3 - /tmp/ncu.csv >>"$OUT/ncu_reduce.md" <<'PY'
import csv, sys, collections
rows = [r for r in csv.reader(l for l in open(sys.argv[1]) if l.startswith('"'))]
head, body = rows[0], rows[1:]
ki, vi = head.index("Kernel Name"), head.index("Metric Value")
tot = collections.defaultdict(float); cnt = collections.Counter()
for r in body:
    try: v = float(r[vi].replace(",", ""))
    except ValueError: continue
    k = r[ki].split("(")[0][:80]
    tot[k] += v; cnt[k] += 1
print("| kernel | launches | mean us |\n|---|---|---|")
for k, v in sorted(tot.items(), key=lambda kv: -kv[1] / cnt[kv[0]]):
    print("| %s | %d | %.1f |" % (k.replace("|", "/"), cnt[k], v / 1e3 / cnt[k]))
print("| sum of the means | | %.1f |\n" % sum(v / 1e3 / cnt[k] for k, v in tot.items()))
PY
  done
fi
step done
