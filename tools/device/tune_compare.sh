#!/usr/bin/env bash
# Device run (tools/device/tune_compare.sh, from the repo root, no carry): builds core + CLI with CUDA, then
# tools/tune/measure_demo.sh compare on the GPU: on the demo model with its default calibration data, the
# evolutionary search against random search of the same number of evaluations (EVALS, default 64; seeds 1 2 3;
# HELDOUT=1 also scores each run's best schedule on the held-out data),
# 25% FLOPs target, fp32. Writes $OUT/tune_compare.md (tools/tune/summarize.py's tables) and $OUT/run.log.
set -uo pipefail
export PYTHONUNBUFFERED=1
OUT="${OUT:-$PWD/out}"
mkdir -p "$OUT"
log=$OUT/run.log
nvidia-smi -L >>"$log" 2>&1
if [ "${SKIP_BUILD:-}" != 1 ]; then
  (JOBS=${JOBS:-16} OUT=/tmp/build-out bash tools/gpu_run.sh build >/tmp/build.log 2>&1) ||
    { tail -60 /tmp/build.log >>"$log"; echo "build FAILED" >>"$log"; exit 1; }
fi
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%F %T') UTC" >>"$log"
DEVICE=cuda CLI=build-gpu/bin/ssmlens-cli bash tools/tune/measure_demo.sh compare /tmp/tune-compare >>"$log" 2>&1
rc=$?
cp /tmp/tune-compare/summary.md "$OUT/tune_compare.md" 2>/dev/null
exit $rc
