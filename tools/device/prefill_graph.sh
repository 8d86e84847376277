#!/usr/bin/env bash
# Device run for issue 22's prefill goals, one call on the GPU machine from the repo root, no carry needed:
#     bash tools/device/prefill_graph.sh [STEP ...]
# Builds core + CLI (tools/gpu_run.sh build), checks, then times dense and reduced prefill eagerly and as CUDA
# graphs (core/model/PrefillGraph.h) side by side in the same process. Steps, in this order (with no STEP: all),
# each writing one file under $OUT; a failing step does not stop the next:
#   gpu       ctest_gpu.txt           ctest -L gpu in build-gpu (tests/GpuChecks.cmake), gpu_check_prefill_graph
#                                     included: the graphs against the eager pass, bit for bit
#   ssd       bench_ssd.txt           ssmlens-cli bench-ssd: both tensor-core scans (chunk-parallel, chunk-serial)
#                                     against the ATen scan, and their times side by side per layer shape
#   pgraph    prefill_graph_check.txt ssmlens-cli check-prefill-graph: its table (the test above only says pass)
#   breduce   bench_reduce.txt        ssmlens-cli bench-reduce, bf16, utr, L 2048 and 8192: 130m (products by size,
#                                     then cuBLAS), 1.3b, 2.7b, then 130m again with the step's kernels in plain
#                                     stream order (SSMLENS_STEP_OVERLAP=0); each with the graph table (dense /
#                                     reduced, eager / graph, ideal speedup, the dense pass's matrix products alone)
#   b8        bench_reduce_b8.txt     the same for 2.7b at L 2048, batch 8 (goal: prefill within 1.6x of its
#                                     matrix products alone), with the scan the model picks, then again with the
#                                     chunk-parallel scan forced (SSMLENS_SSD_KERNEL=parallel)
#   ab        ab.txt                  with a baseline in .carry/base (tools/device/carry_base.sh; carry .carry): its
#                                     CLI and the tree's alternated, bench-reduce 130m L 2048 (twice) and 2.7b L 2048
#                                     batch 8; AB_SWITCH="VAR=value" adds the tree with that switch set (without a
#                                     baseline: the tree and the switched tree only)
#                                     (AB_SWITCH="A=0;B=1": one column each); AB_RUNS="2.7b 8 1;1.3b 1 1" other
#                                     runs (size, batch, round) in another order
#   kprof     kernels.md              Nsight Compute time per kernel: one eager dense and one reduced 130m pass at
#                                     L 2048 side by side (bench-reduce's NVTX ranges ssmlens-dense-pass /
#                                     ssmlens-reduced-pass; warm-up + 1 pass each, per pass), then one dense 2.7b
#                                     pass at L 2048, batch 8 (where the time beyond the matrix products goes);
#                                     KPROF_SWITCH="VAR=value" also the tree's reduced pass with that switch
#   sprof     serial_scan_ncu.txt     Nsight Compute's speed-of-light, occupancy and warp-stall sections for one
#                                     chunk-serial scan of the 2.7b layer at L 2048, batch 8 (the model's form)
#   bprof     step_ncu.txt            the same sections for the first anchor step's bestMatch, finalize and
#                                     mergeCompact kernels of a reduced 130m pass at L 2048 (where a narrow model's
#                                     step spends its time: stalls, occupancy)
#   sfull     step_stalls.md          Nsight Compute's full sections (--set full) of the first anchor step's six
#                                     kernels of a reduced 130m pass at L 2048: per kernel its duration,
#                                     instructions, cycles per issued instruction and top stall reasons
#                                     (tools/device/ncu_stalls.py; the whole details page in step_details.txt)
#   lsweep    length_sweep.txt        bench-reduce, bf16, 130m and 370m at L 1024, 1536 and 2048 (5 repeats): how the
#                                     dense and reduced graphs grow with the length, for the fixed (per launch) and
#                                     per-token parts of a pass (LSWEEP_SIZES="130m 370m" by default)
#   conf      conformance.txt         tools/conformance.py (the forward pass's uploads changed: logits against
#                                     transformers and an fp64 recurrence)
# run.log has the machine, each step's start time and every failure. A step (or a model within one) that would
# start after DEADLINE seconds (default 500) is skipped, so the call ends inside 9 minutes.
set -uo pipefail
default_steps=(gpu ssd pgraph breduce b8 kprof conf)
default_deadline=500
source tools/device/step_runner.sh "$@"

for s in "${steps[@]}"; do
  late "$s" && continue
  step "$s"
  case $s in
    gpu)
      gpu_checks 6 ;;
    ssd)
      timeout 200 $CLI bench-ssd >"$OUT/bench_ssd.txt" 2>>"$log" || step "bench-ssd FAILED (rc $?)" ;;
    pgraph)
      timeout 120 $CLI check-prefill-graph --device cuda >"$OUT/prefill_graph_check.txt" 2>>"$log" \
        || step "check-prefill-graph FAILED (rc $?)" ;;
    breduce)
      # The last run: the step's kernels in plain stream order (SSMLENS_STEP_OVERLAP=0), against the first.
      for run in "130m by-size" "130m cublas" "1.3b by-size" "2.7b by-size" "130m by-size plain"; do
        set -- $run
        late "bench-reduce $run" && break
        overlap=1 && [ "${3:-}" = plain ] && overlap=0
        echo "## $1, best-match products $2${3:+, step launches $3}" >>"$OUT/bench_reduce.txt"
        SSMLENS_STEP_OVERLAP=$overlap timeout 100 $CLI bench-reduce --size "$1" --lengths 2048,8192 --dtype bf16 \
          --device cuda --products "$2" --repeats 5 >>"$OUT/bench_reduce.txt" 2>>"$log" \
          || step "bench-reduce $run FAILED (rc $?)"
      done ;;
    b8)
      for kernel in auto parallel; do
        late "b8 $kernel" && break
        echo "## 2.7b, L 2048, batch 8, SSMLENS_SSD_KERNEL=$kernel" >>"$OUT/bench_reduce_b8.txt"
        SSMLENS_SSD_KERNEL=$kernel timeout 100 $CLI bench-reduce --size 2.7b --lengths 2048 --batch 8 --dtype bf16 \
          --device cuda --repeats 5 >>"$OUT/bench_reduce_b8.txt" 2>>"$log" || step "bench-reduce 2.7b batch 8 $kernel FAILED (rc $?)"
      done ;;
    ab)
      # The baseline (carry_base.sh) and the tree alternated in one call, the same bench-reduce each time: 130m at
      # L 2048 (where launches decide) twice round, then 2.7b at L 2048 batch 8 once; AB_SWITCH (e.g.
      # "SSMLENS_STEP_OVERLAP=0") adds the tree run with that switch as a third column.
      # Several switched columns: AB_SWITCH="A=0;B=1" (each column's variables separated by spaces).
      # Without a baseline, a switch is needed: the tree against itself with the switch (the same build).
      [ -n "$BASE_CLI" ] || [ -n "${AB_SWITCH:-}" ] || { step "ab: no baseline (tools/device/carry_base.sh) and no AB_SWITCH"; continue; }
      IFS=';' read -ra switches <<<"${AB_SWITCH:-}"
      columns=(tree)
      [ -n "$BASE_CLI" ] && columns=(base tree)
      for k in "${!switches[@]}"; do columns+=("switch$k"); done
      # AB_RUNS="SIZE BATCH ROUND;...": other runs in another order (e.g. AB_RUNS="2.7b 8 1;1.3b 1 1").
      IFS=';' read -ra runs <<<"${AB_RUNS:-130m 1 1;130m 1 2;2.7b 8 1}"
      for run in "${runs[@]}"; do
        set -- $run
        # AB_WIDE_COLUMNS=n: only the first n columns for the 2.7b (switches that concern narrow models alone).
        wide=("${columns[@]}")
        [ "$1" = 2.7b ] && wide=("${columns[@]:0:${AB_WIDE_COLUMNS:-${#columns[@]}}}")
        for who in "${wide[@]}"; do
          late "ab $run $who" && break 2
          cli=$CLI; envs=(); [ $who = base ] && cli=$BASE_CLI
          case $who in switch*) envs=(${switches[${who#switch}]}) ;; esac
          echo "## $1, L 2048, batch $2, round $3: $who${envs[*]:+ (${envs[*]})}" >>"$OUT/ab.txt"
          env "${envs[@]}" timeout 100 $cli bench-reduce --size "$1" --lengths 2048 --batch "$2" --dtype bf16 \
            --device cuda --repeats 5 >>"$OUT/ab.txt" 2>>"$log" || step "ab $run $who FAILED (rc $?)"
        done
      done ;;
    kprof)
      command -v ncu >/dev/null || { step "kprof: no ncu"; continue; }
      ncu_time=(ncu --clock-control none --metrics gpu__time_duration.sum --csv --print-units base)  # timeout runs no functions
      # KPROF_SWITCH="VAR=value": the tree's reduced pass once more with that switch set.
      for range in ssmlens-dense-pass ssmlens-reduced-pass ${BASE_CLI:+baseline-reduced-pass} \
                   ${KPROF_SWITCH:+switched-reduced-pass}; do
        late "kprof $range" && break
        cli=$CLI envs=()
        if [ $range = baseline-reduced-pass ]; then  # the same range, profiled in the baseline's CLI
          cli=$BASE_CLI range=ssmlens-reduced-pass
          echo "## the baseline ($(cat .carry/base/REVISION)):" >>"$OUT/kernels.md"
        fi
        if [ $range = switched-reduced-pass ]; then
          envs=($KPROF_SWITCH) range=ssmlens-reduced-pass
          echo "## the tree with $KPROF_SWITCH:" >>"$OUT/kernels.md"
        fi
        echo "## 130m, bf16, L 2048, batch 1: $range, time per kernel name (per pass)" >>"$OUT/kernels.md"
        env "${envs[@]}" timeout 150 "${ncu_time[@]}" --nvtx --nvtx-include "$range/" $cli bench-reduce --size 130m --lengths 2048 \
          --dtype bf16 --device cuda --repeats 1 >/tmp/kprof.csv 2>>"$log" || step "kprof $range FAILED (rc $?)"
        python3 tools/device/ncu_table.py /tmp/kprof.csv passes=2 >>"$OUT/kernels.md"
      done
      late "kprof 2.7b" && continue
      echo "## 2.7b, bf16, L 2048, batch 8: dense prefill, time per kernel name (one pass)" >>"$OUT/kernels.md"
      timeout 200 "${ncu_time[@]}" $CLI bench --size 2.7b --device cuda --dtypes bf16 --lengths 2048 --batches 8 \
        --prefill-only --repeats 1 --warmup 0 >/tmp/kprof.csv 2>>"$log" || step "kprof 2.7b FAILED (rc $?)"
      python3 tools/device/ncu_table.py /tmp/kprof.csv >>"$OUT/kernels.md" ;;
    sprof)
      command -v ncu >/dev/null || { step "sprof: no ncu"; continue; }
      # The case's second serial launch is the model's form (16-bit inputs, skip term); the first has fp32 inputs.
      timeout 150 ncu --section SpeedOfLight --section Occupancy --section LaunchStats --section WarpStateStats \
        --section MemoryWorkloadAnalysis --section SourceCounters -k regex:serialScanKernel --launch-skip 1 -c 1 $CLI bench-ssd \
        --cases "2.7b layer L2048 b8" --repeats 1 >"$OUT/serial_scan_ncu.txt" 2>>"$log" || step "sprof FAILED (rc $?)" ;;
    bprof)
      command -v ncu >/dev/null || { step "bprof: no ncu"; continue; }
      timeout 150 ncu --section SpeedOfLight --section Occupancy --section LaunchStats --section WarpStateStats \
        --section MemoryWorkloadAnalysis --section SourceCounters --nvtx --nvtx-include "ssmlens-reduced-pass/" \
        -k regex:"bestMatch|finalize|mergeCompact" -c 3 $CLI bench-reduce --size 130m --lengths 2048 --dtype bf16 \
        --device cuda --repeats 1 >"$OUT/step_ncu.txt" 2>>"$log" || step "bprof FAILED (rc $?)" ;;
    sfull)
      command -v ncu >/dev/null || { step "sfull: no ncu"; continue; }
      timeout 200 ncu --set full --nvtx --nvtx-include "ssmlens-reduced-pass/" \
        -k regex:"rowStats|split|bestMatch|finalize|channelChoice|mergeCompact" -c 6 -f -o /tmp/step-full \
        $CLI bench-reduce --size 130m --lengths 2048 --dtype bf16 --device cuda --repeats 1 >/dev/null 2>>"$log" \
        || step "sfull FAILED (rc $?)"
      ncu --import /tmp/step-full.ncu-rep --page details --print-details all >"$OUT/step_details.txt" 2>>"$log"
      python3 tools/device/ncu_stalls.py "$OUT/step_details.txt" >"$OUT/step_stalls.md" ;;
    lsweep)
      for size in ${LSWEEP_SIZES:-130m 370m}; do
        late "lsweep $size" && break
        echo "## $size, bf16, batch 1" >>"$OUT/length_sweep.txt"
        timeout 120 $CLI bench-reduce --size "$size" --lengths 1024,1536,2048 --dtype bf16 --device cuda --repeats 5 \
          >>"$OUT/length_sweep.txt" 2>>"$log" || step "lsweep $size FAILED (rc $?)"
      done ;;
    conf)
      timeout 150 python3 tools/conformance.py --cli "$CLI" --out "$OUT/conformance.txt" >>"$log" 2>&1 \
        || step "conformance FAILED (rc $?)" ;;
    *) step "unknown step $s (gpu ssd pgraph breduce b8 ab kprof sprof bprof sfull lsweep conf)" ;;
  esac
done
step done
