#!/usr/bin/env bash
# Device run (tools/device/verify_and_time.sh [STEP ...], from the repo root; no carry needed): builds core + CLI,
# runs the CTest tests labelled gpu (tools/device/gpu_tests.sh: ctest_gpu.md), then checks that the kernels
# compute the right thing before timing them, all on one machine in one call:
#   ssd       bench_ssd.md       ssmlens-cli bench-ssd: tensor-core scan against the ATen scan, times per layer shape
#   conf      conformance.md     tools/conformance.py: our logits against transformers and an fp64 recurrence
#   bench     bench_SIZE.md      ssmlens-cli bench for the sizes in BENCH_SIZES (default 130m), bf16, L 512/2048/8192, batch 1/8, with matmul-only
#   reduce    check_reduce.md    ssmlens-cli check-reduce: the reduction kernels against the ATen step
#             bench_reduce.md    ssmlens-cli bench-reduce for 130m, 1.3b and 2.7b at L 2048 and 8192 (bf16)
#   breduce   bench_reduce.md    bench-reduce only (sizes in REDUCE_SIZES, default "130m 1.3b 2.7b")
#   rprofile  ncu_reduce.md      tools/device/reduce_kernels.sh profile-only: Nsight Compute time per kernel of one step
#   rfwd      ncu_reduce_fwd.md  Nsight Compute time per step kernel inside the 2.7b forward pass at L 8192
#             (bench-reduce --repeats 1: every reduced pass with the kernels, warm-up included)
#   rnvtx     ncu_step.md        Nsight Compute time of every kernel queued inside bench-reduce's timed steps (the NVTX
#             range ssmlens-step-kernels: cuBLAS and ATen kernels included), per case in RNVTX_CASES (default
#             "2.7b:8192 130m:2048"), to hold against the CUDA events' step time of the same case (breduce)
#   oddlen    bench_oddlen.md    130m dense prefill at L 2048 and at lengths a reduced pass runs (1853, 1854, 1677)
#   oddprof   ncu_oddlen.md      Nsight Compute time per kernel of one 130m prefill at L 1854 and 1853, and
#             bench_oddlen.md    2.7b dense prefill at L 2048, 1854, 1853 (appended)
#   hf        bench_hf_130m.md   tools/bench_hf.py 130m: ours and transformers' Mamba2 in one run (L 512/2048, batch 1/8)
#   profile   ncu.md             Nsight Compute time per kernel of one 130m prefill (L 2048, batch 1 and 8)
# With no STEP: all of them, in that order. Each step has its own time limit, and a step that would start after
# DEADLINE seconds (default 540) is skipped, so the call ends inside the device tool's 10 minutes with every
# finished report under $OUT. Progress, with times, in $OUT/run.log.
set -uo pipefail
export JOBS=16 PYTHONUNBUFFERED=1
OUT="${OUT:-$PWD/out}"
mkdir -p "$OUT"
log=$OUT/run.log
t0=$(date +%s)
deadline=${DEADLINE:-540}
step() { echo "[$(date -u +%T) +$(( $(date +%s) - t0 ))s] $*" >>"$log"; }
late() { [ $(( $(date +%s) - t0 )) -gt "$deadline" ] && { step "skipped $1 (deadline)"; return 0; }; return 1; }
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(ssd conf bench reduce profile)

step build
nvidia-smi -L >>"$log" 2>&1
(OUT=/tmp/build-out bash tools/gpu_run.sh build >/tmp/build.log 2>&1) || { tail -60 /tmp/build.log >>"$log"; exit 1; }
CLI=build-gpu/bin/ssmlens-cli
step "ctest -L gpu"
GPU_TESTS_SOURCED=1 . tools/device/gpu_tests.sh
run_gpu_tests >>"$log" 2>&1 || step "ctest -L gpu FAILED (see ctest_gpu.md)"

for s in "${steps[@]}"; do
  late "$s" && continue
  step "$s"
  case $s in
    ssd) timeout 150 $CLI bench-ssd >"$OUT/bench_ssd.md" 2>>"$log" || step "bench-ssd FAILED (rc $?)" ;;
    conf) timeout 240 python3 tools/conformance.py --cli "$CLI" --out "$OUT/conformance.md" >>"$log" 2>&1 \
            || step "conformance FAILED (rc $?)" ;;
    bench)
      for size in ${BENCH_SIZES:-130m}; do
        late "bench $size" && break
        timeout 200 $CLI bench --size $size --device cuda --dtypes bf16 --lengths 512,2048,8192 --batches 1,8 \
          --decode-tokens 64 --repeats 5 >"$OUT/bench_$size.md" 2>>"$log" || step "bench $size FAILED (rc $?)"
      done ;;
    reduce)
      timeout 200 $CLI check-reduce >"$OUT/check_reduce.md" 2>>"$log" || step "check-reduce FAILED (rc $?)"
      ;&
    breduce)
      for size in ${REDUCE_SIZES:-130m 1.3b 2.7b}; do
        late "bench-reduce $size" && break
        echo "## $size" >>"$OUT/bench_reduce.md"
        timeout 150 $CLI bench-reduce --size $size --lengths 2048,8192 --dtype bf16 --device cuda \
          >>"$OUT/bench_reduce.md" 2>>"$log" || step "bench-reduce $size FAILED (rc $?)"
      done ;;
    oddlen) timeout 120 $CLI bench --size 130m --device cuda --dtypes bf16 --lengths 2048,1853,1854,1677 --batches 1 \
              --prefill-only --repeats 9 >"$OUT/bench_oddlen.md" 2>>"$log" || step "oddlen FAILED (rc $?)" ;;
    rprofile) timeout 400 bash tools/device/reduce_kernels.sh profile-only || step "rprofile FAILED (rc $?)" ;;
    rfwd)
      echo "## 2.7b, L 8192, bf16: the step's kernels inside bench-reduce's forward passes (mean per launch)" >"$OUT/ncu_reduce_fwd.md"
      timeout 240 ncu --clock-control none -k "regex:rowStats|split|bestMatch|gatherLists|rowMax|finalize|Choice|mergeCompact" \
        --metrics gpu__time_duration.sum --csv --print-units base $CLI bench-reduce --size 2.7b --lengths 8192 \
        --device cuda --repeats 1 >/tmp/ncu_fwd.csv 2>>"$log"
      python3 tools/device/ncu_table.py /tmp/ncu_fwd.csv >>"$OUT/ncu_reduce_fwd.md" ;;
    rnvtx)
      for c in ${RNVTX_CASES:-2.7b:8192 130m:2048}; do
        size=${c%%:*} L=${c##*:}
        echo "## $size, L $L, bf16: every kernel inside the timed steps (2 passes of 7 steps: unsynced and synced)" >>"$OUT/ncu_step.md"
        timeout 200 ncu --nvtx --nvtx-include "ssmlens-step-kernels/" --clock-control none --metrics gpu__time_duration.sum \
          --csv --print-units base $CLI bench-reduce --size $size --lengths $L --device cuda --repeats 1 \
          >/tmp/ncu_step.csv 2>>"$log" || step "rnvtx $c FAILED (rc $?)"
        python3 tools/device/ncu_table.py /tmp/ncu_step.csv >>"$OUT/ncu_step.md"
      done ;;
    oddprof)
      for L in 1854 1853; do
        echo "## 130m prefill, bf16, L $L, batch 1: time per kernel name (one forward pass)" >>"$OUT/ncu_oddlen.md"
        timeout 150 ncu --clock-control none --metrics gpu__time_duration.sum --csv --print-units base $CLI bench \
          --size 130m --device cuda --dtypes bf16 --lengths $L --batches 1 --prefill-only --repeats 1 --warmup 0 \
          >/tmp/ncu.csv 2>>"$log"
        python3 tools/device/ncu_table.py /tmp/ncu.csv >>"$OUT/ncu_oddlen.md"
      done
      timeout 150 $CLI bench --size 2.7b --device cuda --dtypes bf16 --lengths 2048,1854,1853 --batches 1 \
        --prefill-only --repeats 7 >>"$OUT/bench_oddlen.md" 2>>"$log" || step "oddprof 2.7b FAILED (rc $?)" ;;
    hf) timeout 300 python3 tools/bench_hf.py 130m --cli "$CLI" --lengths 512,2048 --batches 1,8 --our-dtypes bf16 --decode-tokens 16 --hf-budget-s 150 \
          --out "$OUT/bench_hf_130m.md" >>"$log" 2>&1 || step "bench-hf FAILED (rc $?)" ;;
    profile)
      command -v ncu >/dev/null || { step "no ncu"; continue; }
      for batch in 1 8; do
        echo "## 130m prefill, bf16, L 2048, batch $batch: time per kernel name (one forward pass)" >>"$OUT/ncu.md"
        timeout 150 ncu --clock-control none --metrics gpu__time_duration.sum --csv --print-units base $CLI bench \
          --size 130m --device cuda --dtypes bf16 --lengths 2048 --batches $batch --prefill-only --repeats 1 --warmup 0 \
          >/tmp/ncu.csv 2>>"$log"
        python3 tools/device/ncu_table.py /tmp/ncu.csv >>"$OUT/ncu.md"
      done ;;
    *) step "unknown step $s" ;;
  esac
done
step done
cat "$log"
