#!/usr/bin/env bash
# Device run (tools/device/eval_repeatability.sh, run from the repo root with carry [".carry"]): build; is the reduced eval pass repeatable run to run (fp32, bf16)? then eval-conformance and
# eval-bench. Reports under $OUT.
set -uo pipefail
export JOBS=16 PYTHONUNBUFFERED=1
O=/tmp/d; rm -rf $O; mkdir -p $O
log=$OUT/repeat.log
echo "[$(date -u +%T)] build" >>$log
OUT=$O bash tools/gpu_run.sh build >$O/build.log 2>&1; echo "build rc=$?" >>$log
tail -3 $O/build.log >>$log
CLI=build-gpu/bin/ssmlens-cli
M=/tmp/m130
$CLI random-model --size 130m --seed 1234 --out $M >/dev/null && cp .carry/gpt-neox-20b-tokenizer.json $M/tokenizer.json
for spec in lambada_openai:fp32:500 piqa:fp32:200 lambada_openai:bf16:500; do
  IFS=: read -r task dt n <<<"$spec"
  for rep in 1 2 3; do
    t0=$(date +%s.%N)
    $CLI eval --model $M --task $task --data .carry/$task --limit $n --device cuda --dtype $dt --batch-size 32 \
      --preset depth --keep-ratio 0.905 --json $O/r${rep}_${task}_${dt}.json >/dev/null 2>>$O/err.log || echo "FAILED $spec $rep" >>$log
    echo "$task $dt rep $rep: $(awk -v a=$t0 -v b=$(date +%s.%N) 'BEGIN{printf "%.1f", b-a}') s" >>$log
  done
done
python3 - $O >>$log <<'PY'
import json, sys
O = sys.argv[1]
for task, dt in [("lambada_openai", "fp32"), ("piqa", "fp32"), ("lambada_openai", "bf16")]:
    runs = [json.load(open("%s/r%d_%s_%s.json" % (O, r, task, dt))) for r in (1, 2, 3)]
    for x in (1, 2):
        a, b = runs[0], runs[x]
        n = differ = 0; mx = 0.0
        for ea, eb in zip(a["examples"], b["examples"]):
            for ca, cb in zip(ea["choices"], eb["choices"]):
                la, lb = ca["reduced"]["ll"], cb["reduced"]["ll"]
                if la is None or lb is None: continue
                n += 1; differ += la != lb; mx = max(mx, abs(la - lb))
        print("%s %s run1 vs run%d: %d reduced requests, %d differ, max |dll| %.3g" % (task, dt, x + 1, n, differ, mx))
PY
echo "[$(date -u +%T)] eval-conformance + eval-bench" >>$log
SKIP_BUILD=1 OUT=$OUT WRITE_JSON=1 bash tools/gpu_run.sh eval-conformance eval-bench --bench-limit 500 >$OUT/steps.log 2>&1
echo "steps rc=$?" >>$log
tail -40 $OUT/steps.log >>$log
echo "[$(date -u +%T)] done" >>$log
