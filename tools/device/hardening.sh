#!/usr/bin/env bash
# Device run for issue 18 (docs/reliability.md), from the repo root, no carry: builds core + CLI with the CUDA
# libtorch, then
#   conf      conformance.md        tools/conformance.py: both layouts, the state-spaces one now read by our
#                                   own torch.save reader (zip + pickle) instead of libtorch's unpickler
#   compat    torch_save_compat.md  tools/device/torch_save_compat.py: real torch.save variants (OrderedDict
#                                   with _metadata, strided views, bf16, a 4.2 GiB zip64 archive) against
#                                   transformers' logits
#   memory    memory.md             a 130m model on cuda: prompts the GPU cannot hold are refused at once with
#                                   the sizes (logits of 1M tokens; reduce over 200k tokens), ones it can hold
#                                   run (reduce over 16k tokens), with times
#   load      load.md               2.7b random weights (bf16 on cuda): load time with the NaN/Inf check of every
#                                   weight, and the check alone (torch.isfinite over the same tensors)
# With no STEP: all, in that order. Progress in $OUT/run.log; each step is bounded so the call ends inside the
# device tool's 10 minutes.
set -uo pipefail
export JOBS=16 PYTHONUNBUFFERED=1
OUT="${OUT:-$PWD/out}"
mkdir -p "$OUT"
log=$OUT/run.log
t0=$(date +%s)
step() { echo "[$(date -u +%T) +$(( $(date +%s) - t0 ))s] $*" >>"$log"; }
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(conf compat memory load)

step build
nvidia-smi -L >>"$log" 2>&1
(OUT=/tmp/build-out bash tools/gpu_run.sh build >/tmp/build.log 2>&1) || { tail -60 /tmp/build.log >>"$log"; exit 1; }
CLI=$PWD/build-gpu/bin/ssmlens-cli
work=$(mktemp -d)

ids_npy() {  # ids_npy FILE N: N token ids (0..999) as int64 .npy
  python3 - "$1" "$2" <<'PY'
import sys, numpy as np
np.save(sys.argv[1], (np.arange(int(sys.argv[2]), dtype=np.int64) * 7919) % 1000)
PY
}
timed() {  # timed LABEL CMD...: one Markdown row: label, exit code, seconds, last line of stderr
  local s=$(date +%s.%N) rc
  "${@:2}" >"$work/out.txt" 2>"$work/err.txt"; rc=$?
  printf "| %s | %s | %s | %s |\n" "$1" "$rc" "$(awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')" \
    "$(grep -v '^\s*$' "$work/err.txt" | tail -1 | cut -c1-220 | sed 's/|/\\|/g')"
}

for s in "${steps[@]}"; do
  step "$s"
  case $s in
    conf) timeout 240 python3 tools/conformance.py --cli "$CLI" --out "$OUT/conformance.md" >>"$log" 2>&1 \
            || step "conformance FAILED (rc $?)" ;;
    compat) timeout 300 python3 tools/device/torch_save_compat.py --cli "$CLI" --out "$OUT/torch_save_compat.md" \
              >>"$log" 2>&1 || step "compat FAILED (rc $?)" ;;
    memory)
      $CLI random-model --size 130m --out "$work/m130" >>"$log" 2>&1
      ids_npy "$work/ids1m.npy" 1000000; ids_npy "$work/ids200k.npy" 200000; ids_npy "$work/ids16k.npy" 16384
      {
        echo "# Prompts against GPU memory (130m random weights, fp32, $(nvidia-smi --query-gpu=name,memory.total --format=csv,noheader | head -1))"
        echo; echo "| command | exit | seconds | last line of stderr |"; echo "|---|---|---|---|"
        timed "logits, 1,000,000 tokens" timeout 120 $CLI logits --model "$work/m130" --device cuda --ids "$work/ids1m.npy" --out "$work/l.npy"
        timed "reduce, 200,000 tokens" timeout 120 $CLI reduce --model "$work/m130" --device cuda --ids "$work/ids200k.npy"
        timed "reduce, 16,384 tokens" timeout 120 $CLI reduce --model "$work/m130" --device cuda --ids "$work/ids16k.npy"
        timed "logits, 16,384 tokens" timeout 120 $CLI logits --model "$work/m130" --device cuda --ids "$work/ids16k.npy" --out "$work/l.npy"
      } >"$OUT/memory.md"
      rm -rf "$work/m130" "$work/l.npy" ;;
    load)
      $CLI random-model --size 2.7b --out "$work/m27" >>"$log" 2>&1
      {
        echo "# Loading 2.7b random weights with the NaN/Inf check of every weight"
        echo; echo "| command | exit | seconds | last line of stderr |"; echo "|---|---|---|---|"
        timed "info --device cuda --dtype bf16 (cold)" timeout 200 $CLI info --model "$work/m27" --device cuda --dtype bf16
        timed "info --device cuda --dtype bf16 (warm)" timeout 200 $CLI info --model "$work/m27" --device cuda --dtype bf16
        echo
        python3 - "$work/m27/model.safetensors" <<'PY'
import sys, time, torch
from safetensors.torch import load_file
ts = [t.to("cuda", torch.bfloat16) for t in load_file(sys.argv[1]).values()]
torch.cuda.synchronize()
for rep in range(2):
    t0 = time.time()
    ok = all(bool(torch.isfinite(t).all()) for t in ts)
    torch.cuda.synchronize()
    print("The check alone (torch.isfinite(t).all() per tensor, %d tensors, %.2f G elements, bf16 on cuda): %.1f ms%s"
          % (len(ts), sum(t.numel() for t in ts) / 1e9, (time.time() - t0) * 1e3, "" if rep else " (first)"))
PY
      } >"$OUT/load.md" 2>>"$log"
      rm -rf "$work/m27" ;;
    *) step "unknown step $s" ;;
  esac
done
rm -rf "$work"
step done
