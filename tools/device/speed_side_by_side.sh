#!/usr/bin/env bash
# Device run for issue 22, one call on the GPU machine from the repo root, no carry needed:
#     bash tools/device/speed_side_by_side.sh [STEP ...]
# Builds core + CLI (tools/gpu_run.sh build), checks that the kernels compute the right thing, then times the old
# and new paths side by side in the same process (chosen by command-line options, not the environment). Steps, in
# this order (with no STEP: all), each writing one file under $OUT; a failing step does not stop the next:
#   gpu       ctest_gpu.txt      ctest -L gpu in build-gpu (tests/GpuChecks.cmake): check-device, check-reduce
#                                (untimed), bench-ssd bf16/fp16 (untimed) and check-decode: the fused and graph decode
#                                paths against the ATen path, logits, states and greedy tokens on 13 shapes/dtypes
#   tdecode   decode.txt         ssmlens-cli bench --decode-only --decode-paths aten,fused,graph, bf16: tokens/s of
#                                the three decode paths side by side, queued and as a greedy loop; 130m at batch 1,
#                                2, 4, 8 and 2.7b at batch 1, 8 (the goals: 130m > 1000, 2.7b > 200 at batch 1)
#   products  products.txt       ssmlens-cli check-reduce --cases timed: one reduction step at L 1024..8192 x D 768 /
#                                2048 / 2560 with the best-match products by size, all on the own kernel and all on
#                                cuBLAS (which of the two wins at which size: where the by-size line belongs)
#   breduce   bench_reduce.txt   ssmlens-cli bench-reduce, bf16, L 2048 and 8192, reduced against dense prefill:
#                                130m with --products by-size, cublas, kernels; 1.3b and 2.7b by-size, then kernels
#   conf      conformance.txt    tools/conformance.py: logits against transformers and an fp64 recurrence; greedy
#                                generation (on the graph decode path) against the recurrence's argmax
# run.log has the machine, each step's start time and every failure. Each step has its own time limit, and a step
# (or a model within one) that would start after DEADLINE seconds (default 510) is skipped, so the call ends
# inside 9 minutes with every finished report under $OUT. The build is the engine-only one (no Qt): the Qt Test
# test_decoder_gpu (label gpu in the full build) checks the same as gpu_check_decode and is not built here.
set -uo pipefail
default_steps=(gpu tdecode products breduce conf)
default_deadline=510
source tools/device/step_runner.sh "$@"

for s in "${steps[@]}"; do
  late "$s" && continue
  step "$s"
  case $s in
    gpu)
      # The five checks at once: they only compare values (no timing), and one GPU holds them all.
      gpu_checks 5 ;;
    tdecode)
      for run in "130m 1,2,4,8" "2.7b 1,8"; do
        set -- $run
        late "decode $1" && break
        echo "## $1, bf16, batches $2" >>"$OUT/decode.txt"
        timeout 150 $CLI bench --size "$1" --device cuda --dtypes bf16 --batches "$2" --decode-only \
          --decode-paths aten,fused,graph --decode-tokens 64 --repeats 5 >>"$OUT/decode.txt" 2>>"$log" \
          || step "decode $1 FAILED (rc $?)"
      done ;;
    products)
      timeout 120 $CLI check-reduce --cases timed --repeats 10 >"$OUT/products.txt" 2>>"$log" \
        || step "check-reduce --cases timed FAILED (rc $?)" ;;
    breduce)
      for run in "130m by-size" "130m cublas" "130m kernels" "1.3b by-size" "2.7b by-size" "1.3b kernels" \
                 "2.7b kernels"; do
        set -- $run
        late "bench-reduce $1 $2" && break
        echo "## $1, best-match products $2" >>"$OUT/bench_reduce.txt"
        timeout 90 $CLI bench-reduce --size "$1" --lengths 2048,8192 --dtype bf16 --device cuda --products "$2" \
          >>"$OUT/bench_reduce.txt" 2>>"$log" || step "bench-reduce $1 $2 FAILED (rc $?)"
      done ;;
    conf)
      timeout 150 python3 tools/conformance.py --cli "$CLI" --out "$OUT/conformance.txt" >>"$log" 2>&1 \
        || step "conformance FAILED (rc $?)" ;;
    *) step "unknown step $s (gpu tdecode products breduce conf)" ;;
  esac
done
step done
