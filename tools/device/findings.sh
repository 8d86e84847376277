#!/usr/bin/env bash
# Device run (tools/device/findings.sh, from the repo root; no carry needed for the demo tables): builds core
# + CLI with CUDA, then the tables of docs/findings.md on the bundled demo model: every method at three FLOPs
# budgets (keep ratios 0.95, 0.905, 0.85 of the depth-scaled schedule), each reduced pass read with correct
# scoring and as the paper's evaluation did, fp32 on the GPU. The same sweep command docs/findings.md gives
# for the CPU; figures agree with the CPU's up to fp32 rounding and the near-ties it can flip.
# Reports under $OUT (the device tool brings back at most 8 files):
#   heldout.md, heldout.csv   the demo model's held-out LAMBADA-style (109) and HellaSwag-style (187) sets,
#                             pooled in one run as lm-eval pools the tasks of one call
#   samples.md, samples.csv   the bundled samples (LAMBADA-style 12, PIQA-style 12)
#   run.log                   the machine, each command, its time and its printed table
# With MODEL=DIR and DATA=DIR (a state-spaces or Hugging Face Mamba-2 checkpoint with its tokenizer, and
# lm-eval's task files, carried in .carry/):
#   real.md                   the six tasks of the paper on that checkpoint (TASKS, LIMIT to shorten;
#                             its CSV goes into run.log)
# SKIP_BUILD=1 reuses build-gpu/ when the machine is still warm from an earlier call.
set -uo pipefail
export JOBS=16 PYTHONUNBUFFERED=1
OUT="${OUT:-$PWD/out}"
mkdir -p "$OUT"
log=$OUT/run.log
t0=$(date +%s)
step() { echo "[$(date -u +%T) +$(( $(date +%s) - t0 ))s] $*" >>"$log"; }
nvidia-smi -L >>"$log" 2>&1
CLI=build-gpu/bin/ssmlens-cli
if [ "${SKIP_BUILD:-0}" = 1 ] && [ -x "$CLI" ]; then
  step "build skipped (SKIP_BUILD=1, $CLI present)"
else
  step build
  (OUT=/tmp/build-out bash tools/gpu_run.sh build >/tmp/build.log 2>&1) || { tail -60 /tmp/build.log >>"$log"; exit 1; }
fi
grid=(--methods utr,utr-reference,positional,evit,tome,pumer,prune-only,merge-only --keep-ratios 1,0.95,0.905,0.85
      --scoring correct,paper --device cuda)
sweep() {  # NAME TIMEOUT TASKS DATA [more args]
  local name=$1 limit=$2 tasks=$3 data=$4; shift 4
  step "sweep $name: ssmlens-cli sweep --tasks $tasks --data-dir $data ${grid[*]} $*"
  timeout "$limit" $CLI sweep --tasks "$tasks" --data-dir "$data" "${grid[@]}" "$@" --out-md "$OUT/$name.md" \
    --out-csv "/tmp/$name.csv" >"/tmp/$name.txt" 2>>"$log"
  local rc=$?
  cat "/tmp/$name.txt" >>"$log"
  step "sweep $name rc $rc"
  return $rc
}
sweep samples 120 lambada_openai,piqa resources/eval-samples --dtype fp32 && cp /tmp/samples.csv "$OUT/"
sweep heldout 420 lambada_openai,hellaswag resources/demo-model/eval --dtype fp32 && cp /tmp/heldout.csv "$OUT/"
if [ -n "${MODEL:-}" ] && [ -n "${DATA:-}" ]; then
  sweep real 540 "${TASKS:-lambada_openai,hellaswag,piqa,arc_easy,arc_challenge,winogrande}" "$DATA" --model "$MODEL" \
    --dtype bf16 ${LIMIT:+--limit $LIMIT}
  cat /tmp/real.csv >>"$log" 2>/dev/null
fi
step done
