# Sourced by the device scripts that run named steps in one call (prefill_graph.sh, speed_side_by_side.sh):
# $OUT and its run.log, `step` (a timestamped line in run.log and on stdout), `late` (true, with a note, once
# DEADLINE seconds have passed: the call must end inside the device tool's 10 minutes), the steps named on
# the command line or the caller's defaults in `steps`, and the CUDA build of core + CLI (tools/gpu_run.sh) as
# $CLI (and a baseline's beside it as $BASE_CLI: carry_base.sh), and gpu_checks (ctest -L gpu in build-gpu into
# $OUT/ctest_gpu.txt). Usage, after `set -uo pipefail`:
#     default_steps=(a b c); default_deadline=500; source tools/device/step_runner.sh "$@"
export JOBS=${JOBS:-16} PYTHONUNBUFFERED=1
OUT="${OUT:-$PWD/out}"
mkdir -p "$OUT"
log=$OUT/run.log
t0=$(date +%s)
deadline=${DEADLINE:-$default_deadline}
step() { echo "[$(date -u +%T) +$(( $(date +%s) - t0 ))s] $*" | tee -a "$log"; }
late() { [ $(( $(date +%s) - t0 )) -gt "$deadline" ] && { step "skipped $1 (deadline)"; return 0; }; return 1; }
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=("${default_steps[@]}")

# The device's copy of the tree keeps the git metadata of the session's first checkout, so its HEAD can be older
# than the sources sent: the label says when the sources differ from that HEAD (results name the commits).
changed=$(git status --porcelain --untracked-files=no 2>/dev/null | wc -l)
step "build (git HEAD $(git rev-parse --short HEAD 2>/dev/null || echo '?')$([ "$changed" -gt 0 ] && echo ", $changed files differ from it"))"
nvidia-smi -L >>"$log" 2>&1
# A baseline's sources in .carry/base (tools/device/carry_base.sh) are built beside the tree, at the same time:
# $BASE_CLI, empty without one. A failed baseline build is noted and the run goes on without it.
BASE_CLI=
if [ -f .carry/base/CMakeLists.txt ]; then
  (cd .carry/base && JOBS=$(( JOBS / 2 )) OUT=/tmp/base-build-out bash tools/gpu_run.sh build \
    >/tmp/base-build.log 2>&1) &
  base_pid=$!
  JOBS=$(( JOBS / 2 ))
fi
(OUT=/tmp/build-out bash tools/gpu_run.sh build >/tmp/build.log 2>&1) ||
  { tail -60 /tmp/build.log >>"$log"; step "build FAILED"; exit 1; }
CLI=build-gpu/bin/ssmlens-cli
if [ -n "${base_pid:-}" ]; then
  if wait "$base_pid"; then
    BASE_CLI=.carry/base/build-gpu/bin/ssmlens-cli
    step "baseline $(cat .carry/base/REVISION 2>/dev/null) built"
  else
    tail -30 /tmp/base-build.log >>"$log"; step "baseline build FAILED"
  fi
  JOBS=$(( JOBS * 2 ))
fi
# The CTest checks labelled gpu, JOBS at once (they compare values, no timing); a failure is noted in run.log.
gpu_checks() {
  (cd build-gpu && timeout 240 ctest -L gpu -j "$1" --timeout 230 --output-on-failure) >"$OUT/ctest_gpu.txt" 2>&1 \
    || step "ctest -L gpu FAILED (rc $?; ctest_gpu.txt)"
}
