#!/usr/bin/env bash
# gpu_run.sh: the one command to run on the GPU machine, from the repo root (or anywhere: it cd's there).
#
# What it does
#   1. prints the machine (nvidia-smi -L, nvcc, python/torch/transformers versions),
#   2. configures and builds the core library and the CLI only (no GUI, no tests) into build-gpu/:
#        cmake -S . -B build-gpu -G Ninja -DSSMLENS_BUILD_GUI=OFF -DSSMLENS_BUILD_TESTS=OFF \
#              -DCMAKE_PREFIX_PATH=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')
#        cmake --build build-gpu --target ssmlens-cli
#      (Ninja when available, else Unix Makefiles with -j$JOBS; an existing build-gpu keeps its generator),
#   3. runs the steps named on the command line, in order, each timed, writing into $OUT
#      (set by the GPU machine; default ./out). A failing step does not stop the later ones; the exit
#      status is non-zero when the build or any step failed.
#
# Steps (arguments)
#   conformance [ARGS...]   tools/conformance.py            -> $OUT/conformance.md
#                           (ARGS up to the next step name are passed on, e.g. conformance --cases c1,c3)
#   eval-conformance [ARGS...]  tools/eval_conformance.py check -> $OUT/eval_conformance.md
#                           (ssmlens-cli eval vs lm-eval v0.4 conventions over transformers' Mamba2; needs the
#                           GPT-NeoX tokenizer.json and the LAMBADA / PIQA files in .carry/: carry [".carry"])
#   eval-bench [ARGS...]    tools/eval_conformance.py bench -> $OUT/eval_bench.md
#                           (examples/s of ssmlens-cli eval, random 130m weights, dense and reduced, bf16/fp32)
#   train [ARGS...]         ssmlens-cli train on .carry/corpus/{train,heldout}.npy (tools/corpus/, encode-corpus),
#                           run folder $BUILD_DIR/demo-train (kept while the machine is warm: resumes);
#                           copies model/config.json, model/model.safetensors, loss.csv -> $OUT/demo-model/
#                           (ARGS override the defaults, e.g. train --steps 50 --out build-gpu/probe)
#   bench-hf SIZE           tools/bench_hf.py SIZE          -> $OUT/bench_hf_SIZE.md
#   bench SIZE              ssmlens-cli bench --size SIZE --device cuda --json $OUT/bench_SIZE.json
#                           (more CLI arguments through BENCH_ARGS, e.g. BENCH_ARGS="--lengths 512,2048")
#   tokenizer-ref FILE      tools/tokenizer_reference.py TOKENIZER FILE -> $OUT/tokenizer_reference_NAME.json
#                           (FILE: strings to encode, e.g. tools/tokenizer_reference_inputs.json;
#                           TOKENIZER: $TOKENIZER or the GPT-NeoX-20B tokenizer.json under [../]shared/data)
#   env-check               only the machine / dependency report (no build needed)
#   build                   only the build (it runs first anyway unless --no-build / SKIP_BUILD=1)
#   With no step: conformance.
#
# Examples
#   bash tools/gpu_run.sh conformance bench-hf 130m
#   bash tools/gpu_run.sh bench 2.7b
#   bash tools/gpu_run.sh --no-build tokenizer-ref tools/tokenizer_reference_inputs.json
#   bash tools/gpu_run.sh eval-conformance eval-bench --bench-limit 500
#
# Environment
#   OUT             output folder (default ./out)         JOBS        build parallelism (default nproc)
#   BUILD_DIR       default build-gpu                      PYTHON      default python3
#   SKIP_BUILD=1    same as --no-build                     WRITE_JSON=1  also write conformance/bench-hf JSON
#   EXTRA_PREFIX_PATH  ';'-separated prefixes added to CMAKE_PREFIX_PATH (Qt6, nlohmann_json, ...)
#   (.carry/icu, from tools/device/carry_icu.sh, is used for ICU when it exists: the tokenizers need it)
#   EXTRA_CMAKE_ARGS   more cmake configure arguments (word-split)
#   BENCH_ARGS, BENCH_HF_ARGS, CONFORMANCE_ARGS   more arguments for those steps (word-split)
#   EVAL_CONFORMANCE_ARGS, EVAL_BENCH_ARGS         likewise for eval-conformance / eval-bench
#   TOKENIZER       tokenizer.json for tokenizer-ref
#
# Outputs in $OUT: gpu_run.log (everything printed), summary.md (steps, rc, seconds), one report per step.
# The device tool brings back at most 8 files from $OUT, so JSON is off unless WRITE_JSON=1.
#
# Machine: Linux x86-64 with an NVIDIA GPU, CUDA toolkit (nvcc), CMake >= 3.22, a C++17 compiler,
# Python 3 with torch (its libtorch is what we link), transformers, numpy; the build also needs nlohmann_json,
# and for tokenizing text ICU (libicu-dev, or .carry/icu) and libsentencepiece (see env-check's report when the
# configure step fails; without ICU the CLI takes token ids only).

set -euo pipefail
export PYTHONUNBUFFERED=1

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
OUT="${OUT:-$REPO_ROOT/out}"
BUILD_DIR="${BUILD_DIR:-build-gpu}"
CLI="$REPO_ROOT/$BUILD_DIR/bin/ssmlens-cli"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 16)}"
PY="${PYTHON:-python3}"
SKIP_BUILD="${SKIP_BUILD:-}"

STEP_NAMES=()
STEP_RCS=()
STEP_SECS=()
SCRIPT_T0=$(date +%s.%N)

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# run_step NAME CMD...: runs CMD in a subshell with errexit (a failing command ends the step, not the
# script), records rc and seconds.
run_step() {
  local name="$1"
  shift
  echo
  echo "===== step: $name   (started $(date -u '+%Y-%m-%d %H:%M:%S') UTC) ====="
  echo "\$ $*"
  local t0 rc secs
  t0=$(date +%s.%N)
  set +e
  ( set -euo pipefail; "$@" )
  rc=$?
  set -e
  secs=$(elapsed "$t0")
  STEP_NAMES+=("$name")
  STEP_RCS+=("$rc")
  STEP_SECS+=("$secs")
  echo "===== step: $name: rc=$rc in ${secs}s ====="
  return 0
}

env_check() {
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S') UTC   host: $(hostname)   repo: $REPO_ROOT"
  echo "--- nvidia-smi -L"
  nvidia-smi -L 2>&1 || echo "(nvidia-smi failed)"
  echo "--- compilers / tools"
  for t in nvcc cmake ninja c++ g++ clang++; do
    if command -v "$t" >/dev/null 2>&1; then
      echo "$t: $(command -v "$t"): $("$t" --version 2>&1 | grep -m1 -E '[0-9]+\.[0-9]+' || true)"
    else
      echo "$t: not on PATH"
    fi
  done
  echo "--- python"
  "$PY" - <<'EOF' || true
import importlib, sys
print("python", sys.version.split()[0], sys.executable)
for name in ("torch", "transformers", "numpy", "safetensors", "tokenizers", "mamba_ssm", "causal_conv1d", "kernels"):
    try:
        m = importlib.import_module(name)
        extra = ""
        if name == "torch":
            extra = " cuda=%s gpu=%s cmake_prefix=%s" % (m.version.cuda,
                m.cuda.get_device_name(0) if m.cuda.is_available() else "none", m.utils.cmake_prefix_path)
        print("%-14s %s%s" % (name, getattr(m, "__version__", "?"), extra))
    except Exception as e:
        print("%-14s not importable (%s)" % (name, type(e).__name__))
EOF
  echo "--- build dependencies (found = a CMake package config or library file on this machine)"
  local extra="${EXTRA_PREFIX_PATH:-}"
  local prefixes="/usr /usr/local /opt ${extra//;/ }"
  for pat in nlohmann_jsonConfig.cmake libsentencepiece.so libsentencepiece_train.so uvernum.h libicuuc.so; do
    local hit=""
    for p in $prefixes; do
      [ -d "$p" ] || continue
      hit=$(find "$p" -maxdepth 6 -name "$pat" -print -quit 2>/dev/null || true)
      [ -n "$hit" ] && break
    done
    echo "$pat: ${hit:-NOT FOUND}"
  done
}

build() {
  if ! command -v nvcc >/dev/null 2>&1 && [ -x /usr/local/cuda/bin/nvcc ]; then
    export PATH="/usr/local/cuda/bin:$PATH"
  fi
  if ! command -v ninja >/dev/null 2>&1; then
    # the pip 'ninja' package puts its binary next to python or in ninja.BIN_DIR
    local nb
    nb=$("$PY" -c 'import ninja, os; print(getattr(ninja, "BIN_DIR", ""))' 2>/dev/null || true)
    if [ -n "$nb" ] && [ -x "$nb/ninja" ]; then export PATH="$nb:$PATH"; fi
  fi
  local torch_prefix gen prefix
  torch_prefix=$("$PY" -c 'import torch;print(torch.utils.cmake_prefix_path)')
  prefix="$torch_prefix"
  if [ -n "${EXTRA_PREFIX_PATH:-}" ]; then prefix="$prefix;$EXTRA_PREFIX_PATH"; fi
  if [ -f "$BUILD_DIR/CMakeCache.txt" ]; then
    gen=$(sed -n 's/^CMAKE_GENERATOR:INTERNAL=//p' "$BUILD_DIR/CMakeCache.txt")
    echo "reusing $BUILD_DIR (generator: $gen)"
  elif command -v ninja >/dev/null 2>&1; then
    gen="Ninja"
  else
    gen="Unix Makefiles"
  fi
  local icu=()
  if [ -d .carry/icu ]; then
    # The carried ICU (tools/device/carry_icu.sh): its libraries found through an RPATH that also serves
    # libicuuc's own dependency on libicudata (DT_RPATH, not DT_RUNPATH).
    icu=(-DICU_ROOT="$REPO_ROOT/.carry/icu" -DCMAKE_EXE_LINKER_FLAGS=-Wl,--disable-new-dtags)
    echo "using the carried ICU in .carry/icu"
  fi
  # shellcheck disable=SC2086
  cmake -S . -B "$BUILD_DIR" -G "$gen" -DSSMLENS_BUILD_GUI=OFF -DSSMLENS_BUILD_TESTS=OFF \
        -DCMAKE_PREFIX_PATH="$prefix" "${icu[@]}" ${EXTRA_CMAKE_ARGS:-} || {
    echo "cmake configure FAILED. Dependency report:"
    env_check
    return 1
  }
  cmake --build "$BUILD_DIR" --target ssmlens-cli -j "$JOBS"
  if [ ! -x "$CLI" ]; then
    echo "build finished but $CLI is missing"
    return 1
  fi
  echo "built $CLI"
}

step_conformance() {
  local args=(--cli "$CLI" --out "$OUT/conformance.md")
  if [ -n "${WRITE_JSON:-}" ]; then args+=(--json "$OUT/conformance.json"); fi
  # shellcheck disable=SC2086
  "$PY" tools/conformance.py "${args[@]}" ${CONFORMANCE_ARGS:-} "$@"
}

step_eval_conformance() {
  local args=(check --cli "$CLI" --out "$OUT/eval_conformance.md")
  if [ -n "${WRITE_JSON:-}" ]; then args+=(--json "$OUT/eval_conformance.json"); fi
  # shellcheck disable=SC2086
  "$PY" tools/eval_conformance.py "${args[@]}" ${EVAL_CONFORMANCE_ARGS:-} "$@"
}

step_eval_bench() {
  local args=(bench --cli "$CLI" --out "$OUT/eval_bench.md")
  if [ -n "${WRITE_JSON:-}" ]; then args+=(--json "$OUT/eval_bench.json"); fi
  # shellcheck disable=SC2086
  "$PY" tools/eval_conformance.py "${args[@]}" ${EVAL_BENCH_ARGS:-} "$@"
}

step_train() {
  local run="$BUILD_DIR/demo-train" a
  local prev=""
  for a in "$@"; do [ "$prev" = "--out" ] && run="$a"; prev="$a"; done
  "$CLI" train --train .carry/corpus/train.npy --heldout .carry/corpus/heldout.npy \
    --tokenizer .carry/corpus/tokenizer.model --vocab 12000 --eos 0 --device cuda --out "$run" "$@"
  mkdir -p "$OUT/demo-model"
  cp "$run/model/config.json" "$run/model/model.safetensors" "$run/loss.csv" "$OUT/demo-model/"
  ls -la "$OUT/demo-model"
}

step_bench_hf() {
  local size="$1"
  shift
  local args=("$size" --cli "$CLI" --out "$OUT/bench_hf_${size}.md")
  if [ -n "${WRITE_JSON:-}" ]; then args+=(--json "$OUT/bench_hf_${size}.json"); fi
  # shellcheck disable=SC2086
  "$PY" tools/bench_hf.py "${args[@]}" ${BENCH_HF_ARGS:-}
}

step_bench() {
  local size="$1"
  # shellcheck disable=SC2086
  "$CLI" bench --size "$size" --device cuda --json "$OUT/bench_${size}.json" ${BENCH_ARGS:-}
}

# The tokenizer reference comes from tools/tokenizer_reference.py (TOKENIZER INPUTS > JSON); this step
# finds the GPT-NeoX-20B tokenizer.json ($TOKENIZER, else shared/data or ../shared/data) and keeps the output.
step_tokenizer_ref() {
  local file="$1"
  local tok="${TOKENIZER:-}"
  if [ -z "$tok" ]; then
    for c in shared/data/gpt-neox-20b-tokenizer.json ../shared/data/gpt-neox-20b-tokenizer.json \
             /work/shared/data/gpt-neox-20b-tokenizer.json; do
      if [ -f "$c" ]; then tok="$c"; break; fi
    done
  fi
  if [ -z "$tok" ] || [ ! -f "$tok" ]; then
    echo "error: no tokenizer.json (set TOKENIZER=path; looked in shared/data and ../shared/data)"
    return 2
  fi
  if [ ! -f tools/tokenizer_reference.py ]; then
    echo "error: tools/tokenizer_reference.py is missing"
    return 2
  fi
  local base
  base=$(basename "$file")
  base="${base%.*}"
  "$PY" tools/tokenizer_reference.py "$tok" "$file" > "$OUT/tokenizer_reference_${base}.json"
  echo "wrote $OUT/tokenizer_reference_${base}.json ($(wc -c < "$OUT/tokenizer_reference_${base}.json") bytes) with $tok"
}

usage() {  # the comment block at the top of this file
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
}

is_step() {
  case "$1" in conformance|eval-conformance|eval-bench|train|bench-hf|bench|tokenizer-ref|env-check|build) return 0 ;;
    *) return 1 ;; esac
}

# ---- parse the steps
STEP_KIND=()
STEP_ARG=()
STEP_EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --no-build) SKIP_BUILD=1; shift ;;
    conformance|eval-conformance|eval-bench|train)
      kind="$1"
      shift
      extra=""
      while [ $# -gt 0 ] && ! is_step "$1"; do extra+=" $(printf '%q' "$1")"; shift; done
      STEP_KIND+=("$kind"); STEP_ARG+=(""); STEP_EXTRA+=("$extra") ;;
    bench-hf|bench|tokenizer-ref)
      kind="$1"
      if [ $# -lt 2 ]; then echo "error: $kind needs an argument"; usage; exit 2; fi
      STEP_KIND+=("$kind"); STEP_ARG+=("$2"); STEP_EXTRA+=(""); shift 2 ;;
    env-check|build)
      STEP_KIND+=("$1"); STEP_ARG+=(""); STEP_EXTRA+=(""); shift ;;
    *) echo "error: unknown step or option '$1'"; usage; exit 2 ;;
  esac
done
if [ ${#STEP_KIND[@]} -eq 0 ]; then STEP_KIND=(conformance); STEP_ARG=(""); STEP_EXTRA=(""); fi

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
export OUT
exec > >(tee -a "$OUT/gpu_run.log") 2>&1

echo "=== gpu_run.sh $(printf '%q ' "${STEP_KIND[@]}")  OUT=$OUT"
echo "--- nvidia-smi -L"
nvidia-smi -L 2>&1 || echo "(nvidia-smi failed)"
"$PY" -c 'import sys, torch; print("python", sys.version.split()[0], "| torch", torch.__version__, "cuda", torch.version.cuda, "| gpu", torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none")' 2>&1 || echo "(python/torch check failed)"
"$PY" -c 'import transformers; print("transformers", transformers.__version__)' 2>&1 || echo "(transformers not importable)"

BUILD_OK=1
needs_build=0
for k in "${STEP_KIND[@]}"; do
  case "$k" in conformance|eval-conformance|eval-bench|train|bench-hf|bench|build) needs_build=1 ;; esac
done
if [ -z "$SKIP_BUILD" ] && [ $needs_build -eq 1 ]; then
  run_step build build
  [ "${STEP_RCS[-1]}" -eq 0 ] || BUILD_OK=0
elif [ $needs_build -eq 1 ] && [ ! -x "$CLI" ]; then
  echo "warning: --no-build and $CLI does not exist"
fi

for i in "${!STEP_KIND[@]}"; do
  kind="${STEP_KIND[$i]}"
  arg="${STEP_ARG[$i]}"
  case "$kind" in
    build) ;;  # done above
    env-check) run_step env-check env_check ;;
    conformance|eval-conformance|eval-bench|train|bench-hf|bench)
      if [ $BUILD_OK -eq 0 ]; then
        echo "skipping $kind $arg: the build failed"
        STEP_NAMES+=("$kind $arg"); STEP_RCS+=(99); STEP_SECS+=(0)
        continue
      fi
      case "$kind" in
        conformance) eval "run_step conformance step_conformance ${STEP_EXTRA[$i]}" ;;
        eval-conformance) eval "run_step eval-conformance step_eval_conformance ${STEP_EXTRA[$i]}" ;;
        eval-bench) eval "run_step eval-bench step_eval_bench ${STEP_EXTRA[$i]}" ;;
        train) eval "run_step train step_train ${STEP_EXTRA[$i]}" ;;
        bench-hf) run_step "bench-hf $arg" step_bench_hf "$arg" ;;
        bench) run_step "bench $arg" step_bench "$arg" ;;
      esac ;;
    tokenizer-ref) run_step "tokenizer-ref $(basename "$arg")" step_tokenizer_ref "$arg" ;;
  esac
done

# ---- summary
{
  echo "# gpu_run.sh summary"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S') UTC, host $(hostname)"
  echo "- GPU: $(nvidia-smi -L 2>/dev/null | head -n 4 | tr '\n' ' ' || echo unknown)"
  echo "- command: gpu_run.sh ${STEP_KIND[*]}"
  echo "- total: $(elapsed "$SCRIPT_T0")s"
  echo
  echo "| step | rc | seconds |"
  echo "|---|---|---|"
  for i in "${!STEP_NAMES[@]}"; do
    echo "| ${STEP_NAMES[$i]} | ${STEP_RCS[$i]} | ${STEP_SECS[$i]} |"
  done
} | tee "$OUT/summary.md"

status=0
for rc in "${STEP_RCS[@]}"; do
  if [ "$rc" -ne 0 ]; then status=1; fi
done
echo "gpu_run.sh: exit $status (outputs in $OUT: $(find "$OUT" -maxdepth 1 -type f -printf '%f ' 2>/dev/null || true))"
exit $status
