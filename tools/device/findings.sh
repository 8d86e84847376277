#!/usr/bin/env bash
# Device run (tools/device/findings.sh, from the repo root; no carry needed): builds core + CLI with CUDA, then
# the tables of docs/findings.md on the bundled demo model, every method at three FLOPs budgets, read with
# correct scoring and as the paper's evaluation did (the same commands the CPU tables came from, on the GPU
# in fp32; figures agree up to fp32 rounding and the near-ties it can flip). Reports under $OUT:
#   heldout.md/.csv/.json   the demo model's held-out LAMBADA-style and HellaSwag-style sets
#   samples.md/.csv/.json   the bundled samples (LAMBADA-style, PIQA-style)
#   run.log                 the machine, the commands, their times
# With MODEL=DIR and DATA=DIR (e.g. a state-spaces checkpoint and lm-eval's task files carried in .carry/):
#   real.md/.csv/.json      the six tasks of the paper on that checkpoint (TASKS, LIMIT to shorten)
set -uo pipefail
export JOBS=16 PYTHONUNBUFFERED=1
OUT="${OUT:-$PWD/out}"
mkdir -p "$OUT"
log=$OUT/run.log
t0=$(date +%s)
step() { echo "[$(date -u +%T) +$(( $(date +%s) - t0 ))s] $*" >>"$log"; }
step build
nvidia-smi -L >>"$log" 2>&1
(OUT=/tmp/build-out bash tools/gpu_run.sh build >/tmp/build.log 2>&1) || { tail -60 /tmp/build.log >>"$log"; exit 1; }
CLI=build-gpu/bin/ssmlens-cli
grid=(--methods all --keep-ratios 1,0.95,0.905,0.85 --scoring correct,paper --device cuda --dtype fp32)
sweep() {  # NAME TASKS DATA [more args]
  local name=$1 tasks=$2 data=$3; shift 3
  step "sweep $name: $CLI sweep --tasks $tasks --data-dir $data ${grid[*]} $*"
  timeout 400 $CLI sweep --tasks "$tasks" --data-dir "$data" "${grid[@]}" "$@" --out-md "$OUT/$name.md" \
    --out-csv "$OUT/$name.csv" --out-json "$OUT/$name.json" >"$OUT/$name.txt" 2>>"$log" || step "sweep $name FAILED (rc $?)"
}
sweep heldout lambada_openai,hellaswag resources/demo-model/eval
sweep samples lambada_openai,piqa resources/eval-samples
if [ -n "${MODEL:-}" ] && [ -n "${DATA:-}" ]; then
  sweep real "${TASKS:-lambada_openai,hellaswag,piqa,arc_easy,arc_challenge,winogrande}" "$DATA" --model "$MODEL" \
    ${LIMIT:+--limit $LIMIT}
fi
step done
