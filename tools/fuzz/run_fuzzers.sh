#!/usr/bin/env bash
# Runs every fuzz target (built by tools/test_sanitized.sh into BUILD/fuzz) for SECONDS each, starting from
# its seed corpus in tests/fuzz/corpus/<target>/ (copied, so the tree is never changed), and prints one line
# per target: executions, corpus entries at the end, result. A crash, sanitizer report, leak, timeout (10 s
# per input) or out-of-memory (4 GB) fails the run; the input that caused it is kept in BUILD/fuzz-findings/.
#     bash tools/fuzz/run_fuzzers.sh [BUILD] [SECONDS] [TARGET...]
# Longer runs (docs/reliability.md records them): bash tools/fuzz/run_fuzzers.sh build-sanitize 3600
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build-sanitize}
seconds=${2:-20}
shift $(( $# > 2 ? 2 : $# ))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for bin in "$build"/fuzz/fuzz_*; do [ -x "$bin" ] && targets+=("$(basename "$bin")"); done
fi
[ ${#targets[@]} -gt 0 ] || { echo "run_fuzzers: no fuzz targets in $build/fuzz (build with tools/test_sanitized.sh)"; exit 2; }
findings="$build/fuzz-findings"
mkdir -p "$findings"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0:alloc_dealloc_mismatch=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$PWD/tools/sanitizers/lsan.supp:print_suppressions=0"
export OMP_NUM_THREADS=1
failed=0
printf "%-28s %8s %12s %8s  %s\n" target seconds executions corpus result
for t in "${targets[@]}"; do
  work=$(mktemp -d)
  seeds="tests/fuzz/corpus/$t"
  dict=()
  case "$t" in fuzz_npy|fuzz_torch_*|fuzz_sentencepiece_model) ;; *) dict=(-dict=tests/fuzz/json.dict) ;; esac
  log="$findings/$t.log"
  "$build/fuzz/$t" "$work" "$seeds" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$findings/$t-" > "$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}')
  entries=$(ls "$work" | wc -l)
  if [ $rc -eq 0 ]; then result=ok; else result="FAILED (rc $rc, see $log)"; failed=1; fi
  printf "%-28s %8s %12s %8s  %s\n" "$t" "$seconds" "${execs:-?}" "$entries" "$result"
  [ $rc -eq 0 ] || tail -n 40 "$log"
  rm -rf "$work"
done
exit $failed
