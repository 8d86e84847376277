#!/usr/bin/env bash
# The tuner's rounds in worker processes against wall time: a seeded search on the demo model (default
# calibration data, --max-evals 17: the preset, then two rounds of 8) in one process, with --devices cpu,cpu
# (two local workers) and with --slurm --shards N on a one-node Slurm started here (tools/slurm/single-node.sh,
# one CPU core per array task). Prints a Markdown table (docs/cluster.md, docs/tuning.md): wall time, the
# workers' dense passes, and whether the candidates (every objective, in order) and the schedule equal the
# in-process search's.
# Usage (root; after tools/build.sh): bash tools/slurm/tune_scaling.sh [N ...]   (default: 1 2 4)
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
cli=$repo/build/bin/ssmlens-cli
[ -x "$cli" ] || { echo "build first: bash tools/build.sh" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root (slurmd starts the jobs)" >&2; exit 1; }
shards=("$@")
[ ${#shards[@]} -gt 0 ] || shards=(1 2 4)

work=$(mktemp -d "${TMPDIR:-/tmp}/ssmlens-tune-scaling.XXXXXX")
# shellcheck source=single-node.sh
source "$repo/tools/slurm/single-node.sh"
trap 'slurm_single_node_stop; rm -rf "$work"' EXIT
slurm_single_node_start "$work/slurm" "$(nproc)" || exit 1
cd "$work" || exit 1
args=(tune --target-flops-reduction 25 --max-evals 17 --seed 1 --no-heldout --threads 1)

seconds() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
rows() { cut -d, -f1-15,17- "$1"; }  # the candidates without their timing column
same() {
  if cmp -s <(rows one.candidates.csv) <(rows "$1.candidates.csv") && cmp -s one.json "$1.json"; then echo yes; else echo NO; fi
}
workers() {  # the workers that ran to the end: one result file each
  ls "$1"/ssmlens-tune-round-*.shard-*.json 2> /dev/null | wc -l
}
t=$(date +%s.%N)
"$cli" "${args[@]}" --out one.json > /dev/null 2> one.err || { cat one.err; exit 1; }
base=$(seconds "$t")
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), load average $(cut -d' ' -f1 /proc/loadavg) at the start; $(date -u '+%F %H:%M UTC')"
echo "command: ssmlens-cli ${args[*]} --out S.json [--devices cpu,cpu | --slurm --shards N --slurm-cpus-per-task 1 --slurm-poll 1]"
echo
echo "| run | wall time (s) | worker runs (each: load + dense pass + its share) | speedup | same candidates and schedule |"
echo "|---|---:|---:|---:|---|"
echo "| one process, 1 thread | $base | - | 1.00 | - |"
t=$(date +%s.%N)
TMPDIR=$work "$cli" "${args[@]}" --devices cpu,cpu --out dev.json > /dev/null 2> dev.err || { cat dev.err; exit 1; }
wall=$(seconds "$t")
echo "| --devices cpu,cpu | $wall | $(grep -c ' done on cpu' dev.err) | $(awk -v a="$base" -v b="$wall" 'BEGIN { printf "%.2f", a / b }') | $(same dev) |"
for n in "${shards[@]}"; do
  t=$(date +%s.%N)
  "$cli" "${args[@]}" --slurm --shards "$n" --slurm-dir "$work/s$n" --slurm-cpus-per-task 1 --slurm-poll 1 \
    --out "s$n.json" > /dev/null 2> "s$n.err" || { cat "s$n.err"; exit 1; }
  wall=$(seconds "$t")
  echo "| --slurm --shards $n | $wall | $(workers "$work/s$n") | $(awk -v a="$base" -v b="$wall" 'BEGIN { printf "%.2f", a / b }') | $(same "s$n") |"
done
