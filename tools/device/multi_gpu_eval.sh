#!/usr/bin/env bash
# Device run for issue 24 (tools/device/multi_gpu_eval.sh, from the repo root, on a host with 2 or more
# GPUs: nvidia-h100-x2 / -x4 / -x8, carry [".carry"]): one evaluation sharded over the GPUs of the host with
# `ssmlens-cli eval --devices cuda:0,cuda:1,...` (one worker process per GPU, merged at the end), against the
# same evaluation on one GPU. Random 130m weights, the GPT-NeoX tokenizer, lambada_openai and piqa.
#   equal    --batch-size 1, first EQ_LIMIT examples, dense and the reference schedule (--preset depth
#            --keep-ratio 0.905), fp32: the merged JSON of 2, 4, ... GPUs must equal the 1-GPU JSON byte for
#            byte (cmp)
#   scale    --batch-size 32, every example (SCALE_LIMIT to cut), dense + reference schedule, bf16: wall time
#            of the whole command on 1, 2, 4, ... GPUs, speedup, and how far the merged loglikelihoods are
#            from the 1-GPU run's (shards batch other requests together, so exact equality is not expected)
#   sweep    sweep over keep ratios 1,0.9,0.8 (utr), both tasks, SWEEP_LIMIT examples, batch 32, bf16: 1 GPU
#            against every GPU, wall time and the CSV compared
#   tune     `tune --devices` (each round of candidates scored by one worker per GPU): a seeded search
#            (--max-evals TUNE_EVALS, --round-size 16, TUNE_LIMIT lambada_openai calibration examples, fp32) on
#            1 GPU in one process and on every GPU: wall time, and whether every candidate (objective, order)
#            and the chosen schedule equal the one-process search's
# STEPS="tune" (any of: equal scale sweep tune) runs only those steps.
# Prepare .carry (ignored by git) on the machine that calls the device tool:
#   mkdir -p .carry && cp ../shared/data/gpt-neox-20b-tokenizer.json .carry/ &&
#   cp -r ../shared/data/benchmarks/lambada_openai ../shared/data/benchmarks/piqa .carry/
# Reports under $OUT: multi_gpu.md (the tables), run.log (progress, failures). Steps run in order; one that
# would start after DEADLINE seconds (default 540) is skipped, so the call ends inside the device tool's 10
# minutes; SKIP_BUILD=1 reuses build-gpu/ on a warm machine.
# CPU_CHECK=1 runs the same script here without GPUs (build/, two "cpu" devices, small limits): a check of
# the script itself, not a measurement.
set -uo pipefail
export PYTHONUNBUFFERED=1
OUT="${OUT:-$PWD/out}"
mkdir -p "$OUT"
log=$OUT/run.log
report=$OUT/multi_gpu.md
t0=$(date +%s)
deadline=${DEADLINE:-540}
step() { echo "[$(date -u +%T) +$(($(date +%s) - t0))s] $*" | tee -a "$log" >&2; }
late() { [ $(($(date +%s) - t0)) -gt "$deadline" ] && { step "skipped $1 (deadline)"; return 0; }; return 1; }
seconds() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
carry=$PWD/.carry
work=/tmp/multi-gpu
rm -rf "$work"
mkdir -p "$work"

if [ "${CPU_CHECK:-}" = 1 ]; then
  CLI=$PWD/build/bin/ssmlens-cli
  gpus=2
  device_list() { local k=$1 out=""; for ((i = 0; i < k; i++)); do out+="${out:+,}cpu"; done; echo "$out"; }
  one_device=(--device cpu)
  EQ_LIMIT=${EQ_LIMIT:-6} SCALE_LIMIT=${SCALE_LIMIT:-24} SWEEP_LIMIT=${SWEEP_LIMIT:-6} TUNE_EVALS=${TUNE_EVALS:-9}
  TUNE_LIMIT=${TUNE_LIMIT:-8}
  dtype_scale=fp32
  [ -d "$carry" ] || carry=$PWD/../shared/data/benchmarks
  tokenizer=$PWD/../shared/data/gpt-neox-20b-tokenizer.json
  echo "# Multi-GPU evaluation: CPU check of the script (not a measurement)" > "$report"
else
  step build
  nvidia-smi -L >> "$log" 2>&1
  if [ "${SKIP_BUILD:-}" != 1 ]; then
    (JOBS=${JOBS:-16} OUT=/tmp/build-out bash tools/gpu_run.sh build > /tmp/build.log 2>&1) ||
      { tail -60 /tmp/build.log >> "$log"; exit 1; }
  fi
  CLI=$PWD/build-gpu/bin/ssmlens-cli
  gpus=$(nvidia-smi -L | grep -c '^GPU')
  device_list() { local k=$1 out=""; for ((i = 0; i < k; i++)); do out+="${out:+,}cuda:$i"; done; echo "$out"; }
  one_device=(--device cuda)
  EQ_LIMIT=${EQ_LIMIT:-400} SCALE_LIMIT=${SCALE_LIMIT:-} SWEEP_LIMIT=${SWEEP_LIMIT:-500} TUNE_EVALS=${TUNE_EVALS:-49}
  TUNE_LIMIT=${TUNE_LIMIT:-256}
  dtype_scale=bf16
  tokenizer=$carry/gpt-neox-20b-tokenizer.json
  {
    echo "# Multi-GPU evaluation (issue 24)"
    echo
    echo "$(nvidia-smi -L | head -1 | sed 's/ (UUID.*//') and $((gpus - 1)) more; $(nvidia-smi --query-gpu=driver_version --format=csv,noheader | head -1) driver;"
    echo "$(nproc) CPU cores; $(date -u '+%F %H:%M UTC'); repo $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  } > "$report"
fi
[ "$gpus" -ge 2 ] || { step "only $gpus GPU(s): this run needs 2 or more"; exit 1; }
for f in "$tokenizer" "$carry/lambada_openai/lambada_test.jsonl" "$carry/piqa/valid.jsonl"; do
  [ -f "$f" ] || { step "missing $f (see the top of this script for .carry)"; exit 1; }
done
# 1, 2, 4, ... GPUs, and all of them when that is not a power of two.
counts=(1)
for ((k = 2; k <= gpus; k *= 2)); do counts+=("$k"); done
[ "${counts[-1]}" = "$gpus" ] || counts+=("$gpus")

step "model: random 130m weights, GPT-NeoX tokenizer"
M=$work/m130
"$CLI" random-model --size 130m --seed 1234 --out "$M" >> "$log" 2>&1 && cp "$tokenizer" "$M/tokenizer.json" ||
  { step "random-model FAILED"; exit 1; }
reference=(--preset depth --keep-ratio 0.905)
steps=" ${STEPS:-equal scale sweep tune} "
wants() { [[ "$steps" == *" $1 "* ]]; }

# run NAME K ARGS...: ssmlens-cli on 1 device (K=1: one process) or K worker processes; prints seconds.
run() {
  local name=$1 k=$2
  shift 2
  local t
  t=$(date +%s.%N)
  if [ "$k" = 1 ]; then
    timeout 400 "$CLI" "$@" "${one_device[@]}" > "$work/$name.out" 2>> "$log" || { step "$name FAILED"; echo "-"; return; }
  else
    timeout 400 "$CLI" "$@" --devices "$(device_list "$k")" > "$work/$name.out" 2>> "$log" ||
      { step "$name FAILED"; echo "-"; return; }
  fi
  seconds "$t"
}

# Largest |difference| of per-request loglikelihoods (dense and reduced) between two eval JSON files.
max_ll_difference() {
  python3 - "$1" "$2" << 'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
worst, n = 0.0, 0
for ea, eb in zip(a["examples"], b["examples"]):
    for ca, cb in zip(ea["choices"], eb["choices"]):
        for side in ("dense", "reduced"):
            if side not in ca: continue
            la, lb = ca[side]["ll"], cb[side]["ll"]
            if la is None or lb is None: continue
            n += 1; worst = max(worst, abs(la - lb))
print("%.2g over %d" % (worst, n))
PY
}

if wants equal; then
echo >> "$report"
echo "## equal: --batch-size 1, first $EQ_LIMIT examples, dense + reference schedule, fp32" >> "$report"
echo >> "$report"
echo "| task | devices | wall time (s) | merged JSON = 1 device |" >> "$report"
echo "|---|---:|---:|---|" >> "$report"
for task in lambada_openai piqa; do
  for k in "${counts[@]}"; do
    late "equal $task $k" && break
    step "equal $task on $k"
    s=$(run "eq-$task-$k" "$k" eval --model "$M" --task "$task" --data "$carry/$task" --limit "$EQ_LIMIT" \
      --batch-size 1 --dtype fp32 "${reference[@]}" --json "$work/eq-$task-$k.json")
    same=-
    [ "$k" = 1 ] || { cmp -s "$work/eq-$task-1.json" "$work/eq-$task-$k.json" && same=yes || same="**no**"; }
    echo "| $task | $k | $s | $same |" >> "$report"
  done
done

fi

if wants scale; then
echo >> "$report"
echo "## scale: --batch-size 32, ${SCALE_LIMIT:-every} example(s), dense + reference schedule, $dtype_scale" >> "$report"
echo >> "$report"
echo "| task | devices | wall time (s) | speedup | max \\|dll\\| vs 1 device (requests) |" >> "$report"
echo "|---|---:|---:|---:|---|" >> "$report"
limit_args=()
[ -n "$SCALE_LIMIT" ] && limit_args=(--limit "$SCALE_LIMIT")
for task in lambada_openai piqa; do
  base=""
  for k in "${counts[@]}"; do
    late "scale $task $k" && break
    step "scale $task on $k"
    s=$(run "sc-$task-$k" "$k" eval --model "$M" --task "$task" --data "$carry/$task" "${limit_args[@]}" \
      --batch-size 32 --dtype "$dtype_scale" "${reference[@]}" --json "$work/sc-$task-$k.json")
    [ "$k" = 1 ] && base=$s
    speed=$(awk -v a="$base" -v b="$s" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }')
    diff=-
    [ "$k" = 1 ] || [ ! -f "$work/sc-$task-$k.json" ] || diff=$(max_ll_difference "$work/sc-$task-1.json" "$work/sc-$task-$k.json")
    echo "| $task | $k | $s | $speed | $diff |" >> "$report"
  done
done

fi

if wants sweep; then
echo >> "$report"
echo "## sweep: keep ratios 1,0.9,0.8 (utr), both tasks, first $SWEEP_LIMIT examples, batch 32, $dtype_scale" >> "$report"
echo >> "$report"
echo "| devices | wall time (s) | CSV = 1 device |" >> "$report"
echo "|---:|---:|---|" >> "$report"
for k in 1 "$gpus"; do
  late "sweep $k" && break
  step "sweep on $k"
  s=$(run "sw-$k" "$k" sweep --model "$M" --tasks lambada_openai,piqa --data-dir "$carry" --keep-ratios 1,0.9,0.8 \
    --limit "$SWEEP_LIMIT" --batch-size 32 --dtype "$dtype_scale" --out-csv "$work/sw-$k.csv")
  same=-
  [ "$k" = 1 ] || { cmp -s "$work/sw-1.csv" "$work/sw-$k.csv" && same=yes || same="no (batch composition; see scale)"; }
  echo "| $k | $s | $same |" >> "$report"
done
fi

if wants tune; then
  echo >> "$report"
  echo "## tune: --max-evals $TUNE_EVALS --round-size 16 --seed 1, $TUNE_LIMIT lambada_openai calibration examples, fp32" >> "$report"
  echo >> "$report"
  echo "| devices | wall time (s) | candidates | same candidates and schedule as 1 device |" >> "$report"
  echo "|---:|---:|---:|---|" >> "$report"
  for k in 1 "$gpus"; do
    late "tune $k" && break
    step "tune on $k"
    s=$(run "tu-$k" "$k" tune --model "$M" --calibration "lambada_openai:$carry/lambada_openai" --calibration-limit "$TUNE_LIMIT" \
      --target-flops-reduction 25 --max-evals "$TUNE_EVALS" --round-size 16 --seed 1 --no-heldout --dtype fp32 \
      --out "$work/tu-$k.json")
    rows=$( [ -f "$work/tu-$k.candidates.csv" ] && echo $(($(wc -l < "$work/tu-$k.candidates.csv") - 1)) || echo -)
    same=-
    if [ "$k" != 1 ]; then
      # The candidates without their timing column (16th), and the schedule.
      if cmp -s <(cut -d, -f1-15,17- "$work/tu-1.candidates.csv") <(cut -d, -f1-15,17- "$work/tu-$k.candidates.csv") &&
        cmp -s "$work/tu-1.json" "$work/tu-$k.json"; then same=yes; else same="**no**"; fi
    fi
    echo "| $k | $s | $rows | $same |" >> "$report"
  done
fi
step "done"
cat "$report"
