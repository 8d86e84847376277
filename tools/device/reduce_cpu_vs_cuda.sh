#!/usr/bin/env bash
# Device run (tools/device/reduce_cpu_vs_cuda.sh, from the repo root, after a build into build-gpu/): does
# `ssmlens-cli reduce` on the GPU (one sequence: the batched reduction code, which never waits for the
# device) choose what it chooses on the CPU (one sequence: reduceTokens)? Random 130m weights, fp32, random
# prompts of 300 and 1000 tokens, every method; compares the traces' fates, destinations and kept positions,
# and the importance (relative). Writes $OUT/reduce_cpu_vs_cuda.md; exit 1 on a difference in choices.
set -uo pipefail
CLI=build-gpu/bin/ssmlens-cli
M=/tmp/m130-rc
[ -d $M ] || $CLI random-model --size 130m --seed 7 --out $M >/dev/null
python3 - "$CLI" "$M" "$OUT/reduce_cpu_vs_cuda.md" <<'PY'
import json, subprocess, sys, random
cli, model, report = sys.argv[1:]
rows, bad = [], 0
for n in (300, 1000):
    random.seed(n)
    ids = ",".join(str(random.randrange(50000)) for _ in range(n))
    for method in ("utr", "utr-token", "evit", "tome", "pumer", "prune-only", "merge-only"):
        traces = {}
        for dev in ("cpu", "cuda"):
            path = "/tmp/trace_%s_%d_%s.json" % (method, n, dev)
            r = subprocess.run([cli, "reduce", "--model", model, "--ids", ids, "--device", dev, "--dtype", "fp32",
                                "--method", method, "--keep-ratio", "0.7", "--trace", path],
                               capture_output=True, text=True)
            if r.returncode != 0:
                print(r.stderr[-2000:]); sys.exit(1)
            traces[dev] = json.load(open(path))
        a, b = traces["cpu"], traces["cuda"]
        la, lb = a["layers"], b["layers"]
        same = True; worst = 0.0; anchors = 0
        for x, y in zip(la, lb):
            for key in ("fate", "destination"):
                if key in x and x[key] != y[key]: same = False
            pairs = [(u, v) for u, v in zip(x.get("importance") or [], y.get("importance") or []) if u is not None]
            if pairs:
                if any(v is None for _, v in pairs): same = False
                else:
                    scale = max(max(abs(u) for u, _ in pairs), 1e-12)
                    worst = max(worst, max(abs(u - v) for u, v in pairs) / scale)
            anchors += x.get("tokens_out", 0) != x.get("tokens_in", 0)
        same = same and a["survivor_positions"] == b["survivor_positions"] and a["pruned_at_layer"] == b["pruned_at_layer"]
        bad += not same
        rows.append("| %d | %s | %d | %s | %.1e |" % (n, method, anchors, "yes" if same else "NO", worst))
with open(report, "w") as f:
    f.write("reduce on CPU vs CUDA (fp32, random 130m, keep ratio 0.7 at the depth-scaled anchors)\n\n")
    f.write("| tokens | method | layers that reduced | same fates and destinations | max rel. importance diff |\n|---|---|---|---|---|\n")
    f.write("\n".join(rows) + "\n")
print(open(report).read())
sys.exit(1 if bad else 0)
PY
