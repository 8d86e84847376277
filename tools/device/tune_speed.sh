#!/usr/bin/env bash
# Device run (tools/device/tune_speed.sh, from the repo root; no carry needed): builds core + CLI with CUDA
# (tools/gpu_run.sh build), then times `ssmlens-cli tune` on random weights of the published 130m and 2.7b
# shapes (bf16, one GPU) with random calibration data of realistic size (scored: the last 32 positions of
# every sequence), each with racing (the default) and without (--no-racing: every candidate on all the data):
#   $OUT/tune_speed.md    evaluations per minute, the dense pass, and the cost of real-size searches
#                         (tools/tune/speed_table.py over the runs' reports)
#   $OUT/tune_speed.log   progress, peak host memory, errors
#   $OUT/runs/            each run's report (s.tune.json) and stderr
# Random weights make the objective values meaningless; the times are those of a real model of that shape.
# The call must end inside the device tool's 10 minutes: a run that would start after DEADLINE seconds
# (default 540) is skipped, and each run is cut at the deadline (its report is then missing: the table says
# so). On a warm machine SKIP_BUILD=1 reuses build-gpu/ (e.g. a second call for the runs the first skipped:
# ONLY="2.7b" runs only the specs whose size or shape matches).
# CPU_CHECK=1 runs the script here (build/, CPU, fp32, tiny sizes): a check of the script, not a measurement.
set -uo pipefail
export PYTHONUNBUFFERED=1
OUT="${OUT:-$PWD/out}"
mkdir -p "$OUT/runs"
log=$OUT/tune_speed.log
t0=$(date +%s)
deadline=${DEADLINE:-540}
step() { echo "[$(date -u +%T) +$(($(date +%s) - t0))s] $*" | tee -a "$log" >&2; }
left() { echo $((deadline - ($(date +%s) - t0))); }
R=$OUT/runs

if [ "${CPU_CHECK:-}" = 1 ]; then
  CLI=$PWD/build/bin/ssmlens-cli
  device=(--device cpu --dtype fp32)
  # size:kind:shape:candidates
  specs=(130m:random:4x64:6)
  echo "CPU check of the script (not a measurement): fp32, $(nproc) cores" > "$R/gpu.txt"
else
  step build
  if [ "${SKIP_BUILD:-}" != 1 ]; then
    (JOBS=${JOBS:-16} OUT=/tmp/build-out bash tools/gpu_run.sh build > /tmp/build.log 2>&1) ||
      { tail -60 /tmp/build.log >> "$log"; step "build FAILED"; exit 1; }
  fi
  CLI=$PWD/build-gpu/bin/ssmlens-cli
  device=(--device cuda --dtype bf16)
  specs=(130m:random:256x512:40 130m:random:512x1024:24 2.7b:random:256x512:24 2.7b:random:64x2048:16)
  { nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null | head -1; echo "bf16, one GPU"; } > "$R/gpu.txt"
fi
echo "repo $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%F %H:%M UTC')" >> "$R/gpu.txt"

for spec in "${specs[@]}"; do
  IFS=: read -r size kind shape evals <<<"$spec"
  if [ -n "${ONLY:-}" ] && [[ "$size $shape" != *"$ONLY"* ]]; then continue; fi
  for racing in racing no-racing; do
    name=${size}_${shape}_${racing}
    if [ "$(left)" -lt 20 ]; then step "skipped $name (deadline; SKIP_BUILD=1 ONLY=... runs it in another call)"; continue; fi
    step "$name"
    extra=(); [ $racing = no-racing ] && extra=(--no-racing)
    mkdir -p "$R/$name"
    timeout "$(left)" /usr/bin/time -f "%e s wall, %M kB peak host memory" "$CLI" tune --size "$size" "${device[@]}" \
      --calibration "$kind:$shape" --target-flops-reduction 25 --max-evals "$evals" --no-heldout --batch-size 32 \
      --prefix-cache-mb 16384 --out "$R/$name/s.json" "${extra[@]}" > "$R/$name/stdout.txt" 2> "$R/$name/stderr.txt" \
      || step "$name FAILED or cut at the deadline: $(tail -1 "$R/$name/stderr.txt")"
    tail -2 "$R/$name/stderr.txt" >> "$log"
  done
done
python3 tools/tune/speed_table.py "$R" > "$OUT/tune_speed.md" 2>> "$log" || step "table FAILED"
step done
cat "$OUT/tune_speed.md"
