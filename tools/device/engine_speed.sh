#!/usr/bin/env bash
# Device run (tools/device/engine_speed.sh [profile], from the repo root; no carry needed): builds core + CLI,
# then, side by side in one run on the same machine:
#   bench_ssd.md      ssmlens-cli bench-ssd: tensor-core scan vs the ATen scan (differences, ms per layer shape)
#   bench_130m.md     ssmlens-cli bench --size 130m, bf16, with SSMLENS_FUSED_SSD=0 (ATen scan) and =1
#   bench_2.7b.md     the same for 2.7b
#   bench_reduce.md   ssmlens-cli bench-reduce for 130m, 1.3b and 2.7b at L = 2048, 8192 (bf16)
#   ncu.md            (with the argument `profile`) time per kernel name of one 130m prefill (L 2048, batch 1),
#                     from Nsight Compute's gpu__time_duration
# Progress in $OUT/engine_speed.log.
set -uo pipefail
export JOBS=16 PYTHONUNBUFFERED=1
log=$OUT/engine_speed.log
step() { echo "[$(date -u +%T)] $*" >>"$log"; }
step build
(OUT=/tmp/build-out bash tools/gpu_run.sh build >/tmp/build.log 2>&1) || { tail -40 /tmp/build.log >>"$log"; exit 1; }
CLI=build-gpu/bin/ssmlens-cli
step bench-ssd
$CLI bench-ssd >"$OUT/bench_ssd.md" 2>>"$log" || step "bench-ssd FAILED"
for size in 130m 2.7b; do
  step "bench $size"
  for f in 0 1; do
    echo "## SSMLENS_FUSED_SSD=$f" >>"$OUT/bench_$size.md"
    SSMLENS_FUSED_SSD=$f $CLI bench --size $size --device cuda --dtypes bf16 --decode-tokens 16 --repeats 5 \
      >>"$OUT/bench_$size.md" 2>>"$log"
  done
done
step bench-reduce
for size in 130m 1.3b 2.7b; do
  echo "## $size" >>"$OUT/bench_reduce.md"
  $CLI bench-reduce --size $size --lengths 2048,8192 --dtype bf16 --device cuda >>"$OUT/bench_reduce.md" 2>>"$log"
done
if [ "${1:-}" = profile ] && command -v ncu >/dev/null; then
  step ncu
  timeout 300 ncu --metrics gpu__time_duration.sum --csv --print-units base $CLI bench --size 130m --device cuda \
    --dtypes bf16 --lengths 2048 --batches 1 --decode-tokens 1 --repeats 1 --warmup 0 >/tmp/ncu.csv 2>>"$log"
  python3 - /tmp/ncu.csv >"$OUT/ncu.md" <<'PY'
import csv, sys, collections
rows = [r for r in csv.reader(l for l in open(sys.argv[1]) if l.startswith('"'))]
head, body = rows[0], rows[1:]
ki, vi = head.index("Kernel Name"), head.index("Metric Value")
tot = collections.defaultdict(float); cnt = collections.Counter()
for r in body:
    try: v = float(r[vi].replace(",", ""))
    except ValueError: continue
    tot[r[ki][:90]] += v; cnt[r[ki][:90]] += 1
all_ns = sum(tot.values())
print("| kernel | launches | total us | share |\n|---|---|---|---|")
for k, v in sorted(tot.items(), key=lambda kv: -kv[1])[:25]:
    print("| %s | %d | %.1f | %.1f%% |" % (k.replace("|", "/"), cnt[k], v / 1e3, 100 * v / all_ns))
PY
fi
step done
