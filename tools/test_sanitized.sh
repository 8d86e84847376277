#!/usr/bin/env bash
# The hardening checks CI runs after the test suite (.ci/run, docs/reliability.md): a second build with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer (build-sanitize/) of the CLI, the fuzz targets and the tests
# that feed outside input to the parsers and the CLI; those tests under the sanitizers; then every fuzz target
# for SSMLENS_FUZZ_SECONDS (default 5) from its seed corpus. Fails on any sanitizer report, crash, leak or hang.
#
# CI's budget is 40 minutes on 2 cores, so CI runs the parser and CLI tests only (the list below), not every
# non-GUI test: the others run numbers through libtorch (uninstrumented) and cost minutes without covering
# more input handling. SSMLENS_SANITIZE_ALL=1 builds and runs every non-GUI test instead (about 1.3x the
# compile work of the normal build; docs/reliability.md has the measured times).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
# The tests that read hostile files or parse command lines (docs/reliability.md, "What CI runs").
parser_tests=(test_hostile_files test_io_files test_io_torch_archive test_checkpoint test_text_byte_level_bpe
  test_text_sentencepiece test_sentencepiece_with_torch test_reduction_schedule test_eval_task_readers
  test_eval_sweep_details test_eval_cli)
start=$(date +%s)
cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DSSMLENS_BUILD_GUI=OFF -DSSMLENS_CUDA=OFF -DSSMLENS_FUZZ=ON "${launcher[@]}" >/dev/null
if [ "${SSMLENS_SANITIZE_ALL:-0}" = 1 ]; then
  ninja -C build-sanitize -j"$(nproc)"
  selection=(-LE "packaging|slurm")
else
  fuzzers=()
  # The target list once, searched with a here-string: under pipefail `ninja -t targets | grep -q` fails whenever
  # grep stops reading first (SIGPIPE), which silently dropped 11 of 13 targets from a clean CI run.
  known=$(ninja -C build-sanitize -t targets all)
  for d in tests/fuzz/corpus/fuzz_*; do
    t=$(basename "$d")
    if grep -q "^$t:" <<<"$known"; then
      fuzzers+=("$t")
    elif [ "$t" != fuzz_sentencepiece_model ]; then  # only sentencepiece's may be absent (no libsentencepiece)
      echo "test_sanitized: no fuzz target $t for its corpus tests/fuzz/corpus/$t" >&2
      exit 1
    fi
  done
  ninja -C build-sanitize -j"$(nproc)" ssmlens-cli "${parser_tests[@]}" "${fuzzers[@]}"
  selection=(-R "^($(IFS='|'; echo "${parser_tests[*]}"))\$")
fi
built=$(date +%s)
# The packaging and Slurm tests are never run here, as under the CPU variants (tools/test_cpu_variants.sh): they
# test installing and job handling, and start the CLI outside CTest's sanitizer settings.
(cd build-sanitize && ctest --output-on-failure -j"$(nproc)" --timeout 1800 "${selection[@]}")
tested=$(date +%s)
bash tools/fuzz/run_fuzzers.sh build-sanitize "${SSMLENS_FUZZ_SECONDS:-5}" ${fuzzers[@]+"${fuzzers[@]}"}
echo "test_sanitized: build $((built - start)) s, tests $((tested - built)) s, fuzzing $(( $(date +%s) - tested )) s"
