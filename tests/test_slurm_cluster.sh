#!/usr/bin/env bash
# CTest slurm_cluster (label slurm): sharded runs of the demo model on CPU through a real one-node Slurm
# started here (tools/slurm/single-node.sh: munge, slurmctld, slurmd, configuration in a temporary folder,
# stopped at the end):
#   - eval --slurm --shards 4: one worker is killed (SIGKILL) while it scores; its task ends FAILED, is
#     resubmitted, and the merged result equals the single-process one byte for byte (--batch-size 1);
#   - sweep --slurm --shards 3: the merged grid (CSV, JSON, table) equals the single-process sweep;
#   - tune --slurm --shards 4: one job array per round of candidates; one worker of the 8-candidate round is
#     killed while it scores and resubmitted; the candidates (objectives, order) and the schedule equal the
#     in-process search's;
#   - --slurm-dry-run writes the script (with the options passed through) and submits nothing.
# Usage: test_slurm_cluster.sh SOURCE_DIR BIN_DIR. Skips (exit 77) without root or the Slurm packages.
set -uo pipefail
src=$1
cli=$2/ssmlens-cli

if [ "$(id -u)" != 0 ]; then
  echo "SKIP: needs root (slurmd starts the jobs)"
  exit 77
fi
for p in munged slurmctld slurmd sbatch squeue scancel sinfo; do
  if ! command -v "$p" > /dev/null; then
    echo "SKIP: $p is not installed (bash tools/install-deps.sh installs Slurm and munge)"
    exit 77
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/ssmlens-slurm-test.XXXXXX")
# shellcheck source=../tools/slurm/single-node.sh
source "$src/tools/slurm/single-node.sh"
cleanup() {
  slurm_single_node_stop
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}
elapsed() { echo $(($(date +%s) - $1)); }

start=$(date +%s)
slurm_single_node_start "$work/slurm" 2 || fail "the one-node Slurm did not start"
echo "slurm up in $(elapsed "$start") s (SLURM_CONF=$SLURM_CONF)"
cd "$work" || exit 1
data=$src/resources/demo-model/eval

# --- eval: single process, then 4 array tasks with one worker killed mid-run -----------------------------
eval_args=(eval --task lambada_openai --data "$data" --limit 48 --keep-ratio 0.7 --batch-size 1 --threads 1)
t=$(date +%s)
"$cli" "${eval_args[@]}" --json whole.json > whole.txt || fail "the single-process eval failed"
echo "eval, one process: $(elapsed "$t") s"

t=$(date +%s)
"$cli" "${eval_args[@]}" --slurm --shards 4 --slurm-dir "$work/eval" --slurm-cpus-per-task 1 --slurm-poll 1 \
  --json merged.json > merged.txt 2> merged.err &
runner=$!
# Kill the first worker seen between its first and last scored request (its progress file names its pid).
victim=""
while kill -0 "$runner" 2> /dev/null && [ -z "$victim" ]; do
  for f in eval/*.progress; do
    [ -e "$f" ] || continue
    p=$(cat "$f" 2> /dev/null)
    done_=$(sed -n 's/.*"done":\([0-9]*\).*/\1/p' <<< "$p")
    total=$(sed -n 's/.*"total":\([0-9]*\).*/\1/p' <<< "$p")
    pid=$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' <<< "$p")
    if [ -n "$done_" ] && [ -n "$total" ] && [ -n "$pid" ] && [ "$done_" -gt 0 ] && [ "$done_" -lt "$total" ]; then
      kill -9 "$pid" 2> /dev/null && victim=$f && echo "killed the worker of $f at $done_ / $total requests (pid $pid)"
      break
    fi
  done
  sleep 0.05
done
wait "$runner"
rc=$?
echo "eval, 4 Slurm array tasks (one killed and resubmitted): $(elapsed "$t") s"
cat merged.err
[ "$rc" = 0 ] || fail "eval --slurm exited with $rc"
[ -n "$victim" ] || fail "no worker was caught mid-run (the shards finished too fast to kill one)"
grep -q "ended FAILED" merged.err || fail "the killed task was not reported as failed"
grep -q "resubmitted shard" merged.err || fail "the killed task was not resubmitted"
shard=${victim##*.shard-}
shard=${shard%.progress}
attempts=$(grep -c "^ssmlens: shard $shard/4" "eval/ssmlens-eval-lambada_openai.shard-$shard.log")
[ "$attempts" = 2 ] || fail "shard $shard ran $attempts times, expected 2 (killed, resubmitted)"
cmp whole.json merged.json || fail "the merged eval result differs from the single-process one"
cmp whole.txt merged.txt || fail "the merged eval table differs from the single-process one"

# --- sweep: single process, then 3 array tasks ----------------------------------------------------------
sweep_args=(sweep --tasks lambada_openai,hellaswag --data-dir "$data" --keep-ratios 1,0.7 --methods utr --limit 8
  --batch-size 1 --threads 1)
t=$(date +%s)
"$cli" "${sweep_args[@]}" --out-csv whole.csv --out-json whole-grid.json > whole-sweep.txt || fail "the single-process sweep failed"
echo "sweep, one process: $(elapsed "$t") s"
t=$(date +%s)
"$cli" "${sweep_args[@]}" --slurm --shards 3 --slurm-dir "$work/sweep" --slurm-cpus-per-task 1 --slurm-poll 1 \
  --out-csv merged.csv --out-json merged-grid.json > merged-sweep.txt 2> sweep.err ||
  { cat sweep.err; fail "sweep --slurm failed"; }
echo "sweep, 3 Slurm array tasks: $(elapsed "$t") s"
cmp whole.csv merged.csv || fail "the merged sweep CSV differs from the single-process one"
cmp whole-grid.json merged-grid.json || fail "the merged sweep JSON differs from the single-process one"
cmp whole-sweep.txt merged-sweep.txt || fail "the merged sweep table differs from the single-process one"

# --- tune: in process, then each round as a job array, one worker killed mid-round ------------------------
tune_args=(tune --target-flops-reduction 25 --calibration-limit 8 --max-evals 10 --seed 2 --no-heldout --threads 1)
t=$(date +%s)
"$cli" "${tune_args[@]}" --out tune-whole.json > tune-whole.txt 2> tune-whole.err || { cat tune-whole.err; fail "the in-process tune failed"; }
echo "tune, in process: $(elapsed "$t") s"
t=$(date +%s)
"$cli" "${tune_args[@]}" --slurm --shards 4 --slurm-dir "$work/tune" --slurm-cpus-per-task 1 --slurm-poll 1 \
  --out tune-slurm.json > tune-slurm.txt 2> tune-slurm.err &
runner=$!
victim=""
while kill -0 "$runner" 2> /dev/null && [ -z "$victim" ]; do
  for f in tune/ssmlens-tune-round-1.shard-*.progress; do
    [ -e "$f" ] || continue
    p=$(cat "$f" 2> /dev/null)
    done_=$(sed -n 's/.*"done":\([0-9]*\).*/\1/p' <<< "$p")
    total=$(sed -n 's/.*"total":\([0-9]*\).*/\1/p' <<< "$p")
    pid=$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' <<< "$p")
    if [ -n "$done_" ] && [ -n "$total" ] && [ -n "$pid" ] && [ "$done_" -gt 0 ] && [ "$done_" -lt "$total" ]; then
      kill -9 "$pid" 2> /dev/null && victim=$f && echo "killed the tune worker of $f at $done_ / $total candidates (pid $pid)"
      break
    fi
  done
  sleep 0.05
done
wait "$runner"
rc=$?
echo "tune, rounds as Slurm job arrays of up to 4 tasks (one worker killed and resubmitted): $(elapsed "$t") s"
cat tune-slurm.err
[ "$rc" = 0 ] || fail "tune --slurm exited with $rc"
[ -n "$victim" ] || fail "no tune worker was caught mid-round"
grep -q "tune round 1: resubmitted shard" tune-slurm.err || fail "the killed tune worker was not resubmitted"
[ -f tune/ssmlens-tune-round-1.sbatch ] || fail "no job array script for round 1"
grep -q "^#SBATCH --array=0-3" tune/ssmlens-tune-round-1.sbatch || fail "round 1 was not an array of 4 tasks"
# The candidates without their timing column (16th), and the chosen schedule.
cut -d, -f1-15,17- tune-whole.candidates.csv > tune-whole.rows
cut -d, -f1-15,17- tune-slurm.candidates.csv > tune-slurm.rows
[ "$(wc -l < tune-whole.rows)" = 11 ] || fail "the in-process tune wrote $(wc -l < tune-whole.rows) rows, expected 11"
cmp tune-whole.rows tune-slurm.rows || fail "tune --slurm scored other candidates or other values than the in-process tune"
cmp tune-whole.json tune-slurm.json || fail "tune --slurm chose another schedule than the in-process tune"

# --- dry run: the script only --------------------------------------------------------------------------
jobs_before=$(squeue --noheader --states=all --array | wc -l)
"$cli" "${eval_args[@]}" --slurm --shards 4 --slurm-dry-run --slurm-dir "$work/dry" --slurm-partition debug \
  --slurm-time 10:00 --sbatch-options "--comment=ssmlens-test --nice=5" > dry.txt || fail "--slurm-dry-run failed"
script=$work/dry/ssmlens-eval-lambada_openai.sbatch
[ -f "$script" ] || fail "--slurm-dry-run wrote no $script"
for line in "#SBATCH --array=0-3" "#SBATCH --partition=debug" "#SBATCH --time=10:00" "#SBATCH --comment=ssmlens-test" \
  "#SBATCH --nice=5" "shards=4"; do
  grep -qx -- "$line" "$script" || fail "the script lacks the line \"$line\""
done
grep -q "sbatch $script" dry.txt || fail "--slurm-dry-run does not say how to submit the script"
bash -n "$script" || fail "the script is not valid bash"
[ "$(squeue --noheader --states=all --array | wc -l)" = "$jobs_before" ] || fail "--slurm-dry-run submitted a job"

echo "PASS in $(elapsed "$start") s"
