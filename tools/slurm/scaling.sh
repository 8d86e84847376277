#!/usr/bin/env bash
# Shards against wall time on a one-node Slurm cluster started here (tools/slurm/single-node.sh): the demo
# model's held-out LAMBADA set (109 examples, dense and at keep ratio 0.7, --batch-size 1) scored by one
# process, then by `eval --slurm --shards N` for each N, each array task given one CPU core. Prints a
# Markdown table (docs/cluster.md) and checks every merged result equals the single-process one.
# Usage (root; after tools/build.sh): bash tools/slurm/scaling.sh [N ...]   (default: 1 2 4)
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
cli=$repo/build/bin/ssmlens-cli
[ -x "$cli" ] || { echo "build first: bash tools/build.sh" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root (slurmd starts the jobs)" >&2; exit 1; }
shards=("$@")
[ ${#shards[@]} -gt 0 ] || shards=(1 2 4)

work=$(mktemp -d "${TMPDIR:-/tmp}/ssmlens-slurm-scaling.XXXXXX")
# shellcheck source=single-node.sh
source "$repo/tools/slurm/single-node.sh"
trap 'slurm_single_node_stop; rm -rf "$work"' EXIT
slurm_single_node_start "$work/slurm" "$(nproc)" || exit 1
cd "$work" || exit 1
args=(eval --task lambada_openai --data "$repo/resources/demo-model/eval" --keep-ratio 0.7 --batch-size 1 --threads 1)

seconds() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
t=$(date +%s.%N)
"$cli" "${args[@]}" --json one.json > /dev/null || exit 1
base=$(seconds "$t")
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $(date -u '+%F %H:%M UTC')"
echo "command: ${args[*]} [--slurm --shards N --slurm-cpus-per-task 1 --slurm-poll 1]"
echo
echo "| run | wall time (s) | speedup | merged = one process |"
echo "|---|---:|---:|---|"
echo "| one process, 1 thread | $base | 1.00 | - |"
for n in "${shards[@]}"; do
  t=$(date +%s.%N)
  "$cli" "${args[@]}" --slurm --shards "$n" --slurm-dir "$work/s$n" --slurm-cpus-per-task 1 --slurm-poll 1 \
    --json "s$n.json" > /dev/null 2> "s$n.err" || { cat "s$n.err"; exit 1; }
  wall=$(seconds "$t")
  same=no
  cmp -s one.json "s$n.json" && same=yes
  echo "| --slurm --shards $n | $wall | $(awk -v a="$base" -v b="$wall" 'BEGIN { printf "%.2f", a / b }') | $same |"
done
