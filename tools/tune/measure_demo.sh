#!/usr/bin/env bash
# The tuner's figures on the demo model (docs/tuning.md), on this machine's CPU:
#   accept   the acceptance run: default calibration, --time-limit 600, 25% target, held-out comparison
#   compare  the evolutionary search against random search of the same number of evaluations (seeds 1, 2, 3),
#            and both against the paper's schedule at the target (candidate #0 of every run)
# DEVICE=cuda runs the searches on a GPU (tools/device/tune_compare.sh; the same search, fp32, other rounding).
# Usage (from the repo root, after a build): bash tools/tune/measure_demo.sh [accept|compare|all] [OUTDIR]
# Each run writes OUTDIR/<name>/s.json, .tune.json, .candidates.csv and its stderr log; the summary tables go
# to OUTDIR/summary.md (tools/tune/summarize.py). Nothing else on the machine should run for the timings.
set -euo pipefail
what=${1:-all}
out=${2:-build/tune-measure}
CLI=${CLI:-build/bin/ssmlens-cli}
EVALS=${EVALS:-64}
device_args=()
[ -n "${DEVICE:-}" ] && device_args=(--device "$DEVICE" --dtype fp32)
# HELDOUT=1: the compare runs also score their best schedule on the held-out data (summary: one row per run)
heldout_args=(--no-heldout)
[ "${HELDOUT:-}" = 1 ] && heldout_args=()
# THREADS=N: CPU threads per run (default all cores; 1 leaves a core free on a shared machine)
[ -n "${THREADS:-}" ] && device_args+=(--threads "$THREADS")
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%e s wall, %U s user")
mkdir -p "$out"
run() {  # name, args...
  local name=$1; shift
  mkdir -p "$out/$name"
  echo "[$(date -u +%T)] $name: $*" >&2
  "${timer[@]}" "$CLI" tune --target-flops-reduction 25 --out "$out/$name/s.json" "${device_args[@]}" "$@" \
    >"$out/$name/stdout.txt" 2>"$out/$name/stderr.txt"
  tail -1 "$out/$name/stderr.txt" >&2
}
if [ "$what" = accept ] || [ "$what" = all ]; then
  run accept --time-limit 600
fi
if [ "$what" = compare ] || [ "$what" = all ]; then
  for seed in ${SEEDS:-1 2 3}; do
    run "evolution-seed$seed" --max-evals "$EVALS" --seed "$seed" "${heldout_args[@]}"
    run "random-seed$seed" --max-evals "$EVALS" --seed "$seed" "${heldout_args[@]}" --search random
  done
fi
python3 tools/tune/summarize.py "$out" >"$out/summary.md"
cat "$out/summary.md"
