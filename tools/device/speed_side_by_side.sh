#!/usr/bin/env bash
# Device run (tools/device/speed_side_by_side.sh [STEP ...], from the repo root; no carry needed): builds core + CLI,
# checks that the kernels compute the right thing, then times the old and new paths side by side in the same
# process, all on one machine in one call (issue 22: decode, the best-match products, the reduced prefill):
#   gpu      run.log            the CTest tests labelled `gpu` (test_decoder_gpu, ...), when this machine has Qt 6
#                               Test to build them (the engine-only GPU build has no Qt); skipped otherwise
#   decode   check_decode.md    ssmlens-cli check-decode: the fused and graph decode paths against the ATen path
#                               (logits, states, greedy tokens; 13 shapes and dtypes); FAIL stops no later step
#   ssd      bench_ssd.md       ssmlens-cli bench-ssd --checks-only: the tensor-core scan against the ATen scan
#   reduce   check_reduce.md    ssmlens-cli check-reduce: the reduction kernels against the ATen step, and one step
#                               timed at L 1024..8192 x D 768/2048/2560 with the best-match products by size, all
#                               on the own kernel, all on cuBLAS (which wins where: the by-size line)
#   tdecode  decode.md          ssmlens-cli bench --decode-only, bf16: decode paths aten / fused / graph side by
#                               side; 130m at batch 1, 2, 4, 8, 2.7b at batch 1, 8 (queued and greedy tokens/s)
#   conf     conformance.md     tools/conformance.py: logits against transformers and an fp64 recurrence; greedy
#                               generation (now on the graph decode path) against the recurrence's argmax
#   breduce  bench_reduce.md    ssmlens-cli bench-reduce, bf16, L 2048 and 8192: 130m with the products by size
#                               and all on cuBLAS, then 1.3b and 2.7b (reduced against dense prefill)
# With no STEP: all of them, in that order (the decode timing before the slower conformance run, so that a call
# cut short by the deadline still brings it back). Each step has its own time limit, and a step that would start
# after DEADLINE seconds (default 540) is skipped, so the call ends inside the device tool's 10 minutes with every
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
[ ${#steps[@]} -gt 0 ] || steps=(gpu decode ssd reduce tdecode conf breduce)

step "build ($(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
nvidia-smi -L >>"$log" 2>&1
(OUT=/tmp/build-out bash tools/gpu_run.sh build >/tmp/build.log 2>&1) || { tail -60 /tmp/build.log >>"$log"; exit 1; }
CLI=build-gpu/bin/ssmlens-cli

for s in "${steps[@]}"; do
  late "$s" && continue
  step "$s"
  case $s in
    gpu)
      qt=$(find /usr /opt /usr/local -maxdepth 6 -name Qt6TestConfig.cmake -print -quit 2>/dev/null || true)
      if [ -z "$qt" ]; then step "gpu tests skipped: no Qt 6 Test on this machine (check-decode covers the decoder)"; continue; fi
      # The build above configured build-gpu without tests; the same folder with them adds only the tests.
      if cmake -S . -B build-gpu -DSSMLENS_BUILD_TESTS=ON -DSSMLENS_BUILD_GUI=OFF \
           -DQt6_DIR="$(dirname "$(dirname "$qt")")/Qt6" >>"$log" 2>&1; then
        for t in $(ctest --test-dir build-gpu -N -L gpu | awk '/Test +#/ {print $3}'); do
          timeout 240 cmake --build build-gpu --target "$t" -j "$JOBS" >>/tmp/build-tests.log 2>&1 \
            || { tail -30 /tmp/build-tests.log >>"$log"; step "building $t FAILED"; }
        done
        timeout 240 ctest --test-dir build-gpu -L gpu --output-on-failure >>"$log" 2>&1 || step "ctest -L gpu FAILED (rc $?)"
      else
        step "gpu tests skipped: configuring with tests failed"
      fi ;;
    decode) timeout 150 $CLI check-decode >"$OUT/check_decode.md" 2>>"$log" || step "check-decode FAILED (rc $?)" ;;
    ssd) timeout 100 $CLI bench-ssd --checks-only >"$OUT/bench_ssd.md" 2>>"$log" || step "bench-ssd FAILED (rc $?)" ;;
    reduce) timeout 200 $CLI check-reduce >"$OUT/check_reduce.md" 2>>"$log" || step "check-reduce FAILED (rc $?)" ;;
    conf) timeout 240 python3 tools/conformance.py --cli "$CLI" --out "$OUT/conformance.md" >>"$log" 2>&1 \
            || step "conformance FAILED (rc $?)" ;;
    tdecode)
      for run in "130m 1,2,4,8" "2.7b 1,8"; do
        set -- $run
        late "decode $1" && break
        echo "## $1" >>"$OUT/decode.md"
        timeout 200 $CLI bench --size "$1" --device cuda --dtypes bf16 --batches "$2" --decode-only \
          --decode-paths aten,fused,graph --decode-tokens 64 --repeats 5 >>"$OUT/decode.md" 2>>"$log" \
          || step "decode $1 FAILED (rc $?)"
      done ;;
    breduce)
      for run in "130m by-size" "130m cublas" "1.3b by-size" "2.7b by-size"; do
        set -- $run
        late "bench-reduce $1 $2" && break
        echo "## $1, best-match products $2" >>"$OUT/bench_reduce.md"
        timeout 150 $CLI bench-reduce --size "$1" --lengths 2048,8192 --dtype bf16 --device cuda --products "$2" \
          >>"$OUT/bench_reduce.md" 2>>"$log" || step "bench-reduce $1 $2 FAILED (rc $?)"
      done ;;
    *) step "unknown step $s" ;;
  esac
done
step done
cat "$log"
