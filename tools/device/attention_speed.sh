#!/usr/bin/env bash
# Device run (tools/device/attention_speed.sh, from the repo root; no carry needed): builds core + CLI, checks the
# implicit attention on the GPU against the CPU (after the CTest tests labelled gpu, ctest_gpu.md:
# tools/device/gpu_tests.sh), then times it (issue 21's goal: the 2.7b shape at 2048 tokens
# under 50 ms per layer change). Reports in $OUT:
#   attention_check.md   ssmlens-cli attention on cuda against cpu, random 130m weights, fp32, 300 tokens: every
#                        head of layers 0 and 12, dense and reduced (keep ratio 0.7), and the rollout; max relative
#                        difference (tolerance 1e-4: the same fp32 formula in another summation order) and NaN
#                        positions (must be identical: they are the reduction's choices)
#   attention_speed.md   ssmlens-cli bench-attention: 2.7b and 130m, bf16, 2048 and 8192 tokens (every head's
#                        [H, T, T] on the device; the view's work on a layer change: dense and reduced, copied to
#                        the host; the forward pass without and with the kernels recorded)
# Progress in $OUT/attention_speed.log. Exit status non-zero when the build or the check failed.
set -uo pipefail
export JOBS=16 PYTHONUNBUFFERED=1
OUT="${OUT:-$PWD/out}"
mkdir -p "$OUT"
log=$OUT/attention_speed.log
step() { echo "[$(date -u +%T)] $*" >>"$log"; }
step build
nvidia-smi -L >>"$log" 2>&1
(OUT=/tmp/build-out bash tools/gpu_run.sh build >/tmp/build.log 2>&1) || { tail -60 /tmp/build.log >>"$log"; exit 1; }
CLI=build-gpu/bin/ssmlens-cli
status=0
step "ctest -L gpu"
GPU_TESTS_SOURCED=1 . tools/device/gpu_tests.sh
run_gpu_tests >>"$log" 2>&1 || { step "ctest -L gpu FAILED (see ctest_gpu.md)"; status=1; }

step check
M=/tmp/m130-attn
[ -d $M ] || $CLI random-model --size 130m --seed 11 --out $M >>"$log" 2>&1
python3 - "$CLI" "$M" "$OUT/attention_check.md" >>"$log" 2>&1 <<'PY' || status=1
import random, subprocess, sys
import numpy as np
cli, model, report = sys.argv[1:]
random.seed(300)
ids = ",".join(str(random.randrange(50000)) for _ in range(300))
rows, bad = [], 0
def run(dev, layer, reduced, name):
    args = [cli, "attention", "--model", model, "--ids", ids, "--device", dev, "--dtype", "fp32", "--layer", str(layer),
            "--out", f"/tmp/{name}_{dev}.npy", "--rollout", f"/tmp/{name}_{dev}_roll.npy"]
    if reduced:
        args += ["--keep-ratio", "0.7"]
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stderr[-3000:]); sys.exit(1)
    return np.load(f"/tmp/{name}_{dev}.npy"), np.load(f"/tmp/{name}_{dev}_roll.npy")
for layer in (0, 12):
    for reduced in (False, True):
        name = f"l{layer}_{'red' if reduced else 'dense'}"
        (mc, rc), (mg, rg) = run("cpu", layer, reduced, name), run("cuda", layer, reduced, name)
        same_nan = bool(np.array_equal(np.isnan(mc), np.isnan(mg)))
        finite = ~np.isnan(mc)
        err = float(np.max(np.abs(mc[finite] - mg[finite])) / max(np.max(np.abs(mc[finite])), 1e-30))
        rerr = float(np.max(np.abs(rc - rg)) / max(np.max(np.abs(rc)), 1e-30))
        ok = same_nan and err < 1e-4 and rerr < 1e-4
        bad += not ok
        rows.append(f"| {layer} | {'reduced (q 0.7)' if reduced else 'dense'} | {list(mc.shape)} | "
                    f"{'yes' if same_nan else 'NO'} | {err:.1e} | {rerr:.1e} | {'PASS' if ok else 'FAIL'} |")
with open(report, "w") as f:
    f.write("implicit attention, cuda against cpu (random 130m, fp32, 300 tokens; every head; rollout [L, T])\n\n")
    f.write("| layer | pass | shape | same NaN cells | max rel. diff M | max rel. diff rollout | |\n"
            "|---|---|---|---|---|---|---|\n")
    f.write("\n".join(rows) + "\n")
print(open(report).read())
sys.exit(1 if bad else 0)
PY
[ $status -eq 0 ] || step "check FAILED"

step speed
{
  echo "# ssmlens-cli bench-attention, $(date -u +%F), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  nvidia-smi -L
  for size in 2.7b 130m; do
    echo
    echo "## $size"
    timeout 300 $CLI bench-attention --size $size --lengths 2048,8192 --dtype bf16 --device cuda --repeats 5 2>>"$log"
  done
} >"$OUT/attention_speed.md" || status=1
step done
exit $status
