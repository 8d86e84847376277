#!/usr/bin/env bash
# Device run (tools/device/tune_speed.sh, from the repo root; no carry needed): builds core + CLI with CUDA
# (tools/gpu_run.sh build), then times `ssmlens-cli tune` on random weights of the published 130m and 2.7b
# shapes (bf16, one GPU) with random calibration data of realistic size (scored: the last 32 positions of
# every sequence), each with racing (the default) and without (--no-racing: every candidate on all the data):
#   $OUT/tune_speed.md    evaluations per minute, the dense pass, memory, and the cost of real-size searches
#                         (tools/tune/speed_table.py over the runs' reports)
#   $OUT/tune_speed.log   progress and errors
# Random weights make the objective values meaningless; the times are those of a real model of that shape.
set -uo pipefail
export JOBS=16 PYTHONUNBUFFERED=1
log=$OUT/tune_speed.log
step() { echo "[$(date -u +%T)] $*" >>"$log"; }
step build
(OUT=/tmp/build-out bash tools/gpu_run.sh build >/tmp/build.log 2>&1) || { tail -40 /tmp/build.log >>"$log"; exit 1; }
CLI=build-gpu/bin/ssmlens-cli
R=/tmp/tune-speed
rm -rf $R && mkdir -p $R
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader >"$R/gpu.txt" 2>/dev/null
# size, calibration, candidates
for spec in 130m:random:256x512:40 130m:random:512x1024:24 2.7b:random:256x512:24 2.7b:random:64x2048:16; do
  IFS=: read -r size kind shape evals <<<"$spec"
  for racing in racing no-racing; do
    name=${size}_${shape}_${racing}
    step "$name"
    extra=(); [ $racing = no-racing ] && extra=(--no-racing)
    /usr/bin/time -f "%e s wall, %M kB peak host memory" $CLI tune --size $size --dtype bf16 --device cuda \
      --calibration $kind:$shape --target-flops-reduction 25 --max-evals $evals --no-heldout --batch-size 32 \
      --prefix-cache-mb 16384 --out $R/$name/s.json "${extra[@]}" >$R/$name.stdout 2>$R/$name.stderr \
      || { step "$name FAILED"; tail -5 $R/$name.stderr >>"$log"; }
    tail -2 $R/$name.stderr >>"$log"
  done
done
python3 tools/tune/speed_table.py $R >"$OUT/tune_speed.md" 2>>"$log" || step "table FAILED"
step done
