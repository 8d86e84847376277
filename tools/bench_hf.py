#!/usr/bin/env python3
"""bench_hf.py: prefill speed of SSM Lens (ssmlens-cli bench) next to Hugging Face transformers'
Mamba-2 on the same GPU, same shapes, random weights.

What it measures
  For one published size (130m 768x24, 370m 1024x48, 780m 1536x48, 1.3b 2048x48, 2.7b 2560x64;
  d_state 128, headdim 64, expand 2, ngroups 1, chunk 256, vocab 50288, tied head):
    1. ours: runs `ssmlens-cli bench --size S --lengths ... --batches ... --dtypes bf16,fp32 --device cuda
       --json TMP` first, on an otherwise idle GPU, and reads its JSON (prefill ms, tokens/s, the time of
       the model's matrix products alone at the same shapes, peak memory; decode tokens/s),
    2. Hugging Face: builds Mamba2ForCausalLM with random weights (no download) in bf16 on cuda and
       times a prefill forward (torch.no_grad, logits for every position, use_cache=False,
       torch.cuda.synchronize; --warmup calls, then the median of --runs) at each length and batch.
       Which implementation HF uses is reported (with no mamba_ssm / causal_conv1d installed it is
       transformers' pure-PyTorch fallback; --hf-path torch forces that even when they are). Out-of-memory is caught and reported per shape; a time budget stops the HF
       part before it runs away at long lengths (shapes left are reported as skipped).
  Then prints a side-by-side Markdown table: length, batch, dtype, HF ms, ours ms, speedup (HF/ours),
  our matmul-only ms, ours/matmul; the decode table; and the goal lines:
      L=2048 bf16: speedup >= 20x   and   ours <= 4x matmul-only time.
  Exit status: 0 when both sides ran (goals missed are reported, not fatal unless --strict), 1 when
  our bench failed or --strict and a goal was missed, 2 for a usage / environment problem.

How to rerun (repo root, CLI built; tools/gpu_run.sh bench-hf SIZE does both):
    python3 tools/bench_hf.py 130m --out $OUT/bench_hf_130m.md
    python3 tools/bench_hf.py 2.7b --lengths 512,2048 --batches 1 --hf-budget-s 300
  Options: --cli PATH  --lengths  --batches  --our-dtypes bf16,fp32  --hf-dtypes bf16  --runs 5
           --warmup 2  --decode-tokens 64  --hf-path auto|torch  --skip-ours  --skip-hf  --json FILE

Machine: one CUDA GPU (written for an H100 80 GB), PyTorch, transformers (5.x), numpy not needed.
2.7b at 8192 x 8 in HF's torch path needs a lot of memory and time: expect OOM / budget skips there.
"""

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_mamba2_common as common  # noqa: E402

SIZES = {
    "130m": (768, 24),
    "370m": (1024, 48),
    "780m": (1536, 48),
    "1.3b": (2048, 48),
    "2.7b": (2560, 64),
}
VOCAB = 50288
GOAL_LENGTH = 2048
GOAL_SPEEDUP = 20.0
GOAL_MATMUL_RATIO = 4.0


def run_ours(cli, size, lengths, batches, dtypes, decode_tokens, json_path, timeout, extra):
    argv = [cli, "bench", "--size", size, "--lengths", ",".join(map(str, lengths)),
            "--batches", ",".join(map(str, batches)), "--dtypes", ",".join(dtypes), "--device", "cuda",
            "--decode-tokens", str(decode_tokens), "--json", json_path] + list(extra)
    print("$ " + " ".join(argv), file=sys.stderr, flush=True)
    t0 = time.time()
    captured = []
    try:
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                             errors="replace")
    except OSError as e:
        return dict(rc=127, output="cannot run %s: %s" % (cli, e), seconds=0.0, data=None)

    def pump():  # echo the CLI's table / progress as it comes
        for line in p.stdout:
            captured.append(line)
            sys.stderr.write("  ours| " + line)
            sys.stderr.flush()

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        rc = p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        rc = 124
        captured.append("(killed after %ds)\n" % timeout)
    reader.join(timeout=10)
    data = None
    if rc == 0:
        try:
            with open(json_path) as f:
                data = json.load(f)
        except Exception as e:
            captured.append("reading %s failed: %s\n" % (json_path, e))
            rc = -1
    return dict(rc=rc, output="".join(captured), seconds=time.time() - t0, data=data)


def index_ours(data):
    """{(dtype, batch, length): entry} from the CLI's JSON, tolerating missing keys."""
    pre, dec = {}, {}
    if not isinstance(data, dict):
        return pre, dec
    for e in data.get("prefill", []) or []:
        try:
            pre[(str(e["dtype"]), int(e["batch"]), int(e["length"]))] = e
        except (KeyError, TypeError, ValueError):
            continue
    for e in data.get("decode", []) or []:
        try:
            key = (str(e["dtype"]), int(e["batch"]))
        except (KeyError, TypeError, ValueError):
            continue
        # Several decode paths per batch (aten, fused, graph): keep the one generation uses on a GPU.
        if key not in dec or e.get("path") == "graph":
            dec[key] = e
    return pre, dec


def num(entry, key):
    if not isinstance(entry, dict):
        return None
    v = entry.get(key)
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return v if v == v and v > 0 else None  # NaN / 0 / negative -> missing


def bench_hf(size, lengths, batches, dtypes, runs, warmup, budget_s, hf_path):
    """Returns (results {(dtype, batch, length): dict}, info lines)."""
    import torch
    Mamba2Config, Mamba2ForCausalLM, modeling = common.import_hf_mamba2()
    info = []
    info.append("HF Mamba-2 implementation as imported: %s" % common.hf_path_description(modeling))
    if hf_path == "torch":
        changed = common.hf_force_torch_path(modeling)
        info.append("--hf-path torch: %s" % ("; ".join(changed) or "nothing to change"))
    d_model, n_layer = SIZES[size]
    cfg = common.make_hf_config(Mamba2Config, hidden=d_model, layers=n_layer, state=128, head_dim=64, groups=1,
                                chunk=256, vocab=VOCAB, tied=True)
    results = {}
    t_start = time.time()
    dev = torch.device("cuda")
    for dtype_name in dtypes:
        dtype = {"bf16": torch.bfloat16, "fp32": torch.float32, "fp16": torch.float16}[dtype_name]
        torch.manual_seed(0)
        t0 = time.time()
        try:
            with torch.device(dev):  # initialise on the GPU: much faster than on the CPU for 2.7b
                model = Mamba2ForCausalLM(cfg)
        except Exception as e:
            info.append("building under torch.device('cuda') failed (%s: %s); built on the CPU" % (
                type(e).__name__, str(e)[:200]))
            model = Mamba2ForCausalLM(cfg)
        model = model.to(device=dev, dtype=dtype).eval()
        if hf_path == "torch":
            common.hf_patch_mixers_torch_forward(model, modeling)
        path = common.hf_path_description(modeling)
        nparams = sum(p.numel() for p in model.parameters())
        info.append("HF %s model: %.1fM parameters, built in %.1fs, mixer path: %s" % (
            dtype_name, nparams / 1e6, time.time() - t0, path))
        shapes = sorted(((L, B) for L in lengths for B in batches), key=lambda s: (s[0] * s[1], s[0]))
        for (L, B) in shapes:
            key = (dtype_name, B, L)
            spent = time.time() - t_start
            if spent > budget_s:
                results[key] = dict(status="skipped (HF time budget %ds spent)" % budget_s)
                continue
            g = torch.Generator(device=dev).manual_seed(L * 31 + B)
            ids = torch.randint(0, VOCAB, (B, L), device=dev, generator=g)
            times = []
            peak = None
            try:
                torch.cuda.synchronize()
                torch.cuda.reset_peak_memory_stats()
                with torch.no_grad():
                    n_warm = warmup
                    for i in range(max(n_warm, 1)):  # at least one untimed call
                        t = time.perf_counter()
                        out = model(input_ids=ids, use_cache=False)
                        torch.cuda.synchronize()
                        first = time.perf_counter() - t
                        del out
                        if first > 20.0:  # slow shape: one more call only
                            break
                    n_runs = runs if first <= 20.0 else 1
                    for i in range(n_runs):
                        t = time.perf_counter()
                        out = model(input_ids=ids, use_cache=False)
                        torch.cuda.synchronize()
                        times.append((time.perf_counter() - t) * 1000.0)
                        logits_shape = tuple(out.logits.shape)
                        del out
                peak = torch.cuda.max_memory_allocated() / 2 ** 20
                if logits_shape != (B, L, VOCAB):
                    info.append("note: HF logits shape %s at B=%d L=%d" % (logits_shape, B, L))
                ms = statistics.median(times)
                results[key] = dict(status="ok", ms=ms, runs=len(times), min_ms=min(times), peak_mem_mb=peak,
                                    tokens_per_s=B * L / (ms / 1000.0))
                print("  hf| %s B=%d L=%d: %.2f ms (median of %d), peak %.0f MB" % (
                    dtype_name, B, L, ms, len(times), peak), file=sys.stderr, flush=True)
            except torch.cuda.OutOfMemoryError as e:
                results[key] = dict(status="OOM", error=str(e).splitlines()[0][:200])
                print("  hf| %s B=%d L=%d: out of memory" % (dtype_name, B, L), file=sys.stderr, flush=True)
            except RuntimeError as e:
                msg = str(e)
                status = "OOM" if "out of memory" in msg.lower() else "error"
                results[key] = dict(status=status, error=msg.splitlines()[0][:200] if msg else type(e).__name__)
                print("  hf| %s B=%d L=%d: %s" % (dtype_name, B, L, results[key]["error"]), file=sys.stderr,
                      flush=True)
            finally:
                out = None
                gc.collect()
                torch.cuda.empty_cache()
        del model
        gc.collect()
        torch.cuda.empty_cache()
    return results, info


def self_test():
    ok = True

    def check(cond, what):
        nonlocal ok
        print(("ok   " if cond else "FAIL ") + what)
        ok = ok and cond

    data = {"size": "130m", "device": "cuda",
            "prefill": [{"dtype": "bf16", "batch": 1, "length": 2048, "ms": 2.0, "tokens_per_s": 1e6,
                         "matmul_ms": 1.0, "peak_mem_mb": 100}, {"dtype": "bf16"}],
            "decode": [{"dtype": "bf16", "batch": 1, "tokens_per_s": 500.0}]}
    pre, dec = index_ours(data)
    check(("bf16", 1, 2048) in pre and len(pre) == 1, "index_ours skips incomplete entries")
    check(("bf16", 1) in dec, "index_ours decode")
    check(num(pre[("bf16", 1, 2048)], "ms") == 2.0 and num({"ms": None}, "ms") is None, "num")
    rows, goals = build_tables({("bf16", 1, 2048): dict(status="ok", ms=50.0, peak_mem_mb=1.0)}, pre,
                               [2048], [1], ["bf16"])
    check(rows[0][5] == "25" and rows[0][7] == "2", "table speedup and matmul ratio: %r" % rows[0])
    check(all(g[3] == "PASS" for g in goals), "goals pass: %r" % goals)
    print("self-test: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


def build_tables(hf, ours_pre, lengths, batches, dtypes):
    rows = []
    goals = []
    for L in lengths:
        for B in batches:
            for dt in dtypes:
                h = hf.get((dt, B, L))
                o = ours_pre.get((dt, B, L))
                hf_ms = h.get("ms") if h and h.get("status") == "ok" else None
                hf_cell = common.fmt_num(hf_ms) if hf_ms else (h.get("status") if h else "-")
                our_ms = num(o, "ms")
                mm = num(o, "matmul_ms")
                speed = hf_ms / our_ms if (hf_ms and our_ms) else None
                ratio = our_ms / mm if (our_ms and mm) else None
                our_cell = common.fmt_num(our_ms) if our_ms else (str(o.get("error", "-")) if isinstance(o, dict)
                                                                  else "-")
                rows.append([L, B, dt, hf_cell, our_cell, common.fmt_num(speed), common.fmt_num(mm),
                             common.fmt_num(ratio), common.fmt_num(num(o, "tokens_per_s")),
                             common.fmt_num(num(o, "peak_mem_mb")),
                             common.fmt_num(h.get("peak_mem_mb")) if h and h.get("status") == "ok" else "-"])
                if L == GOAL_LENGTH and dt == "bf16":
                    goals.append(["L=%d bf16 batch %d: speedup vs HF >= %gx" % (L, B, GOAL_SPEEDUP),
                                  common.fmt_num(speed), ">= %g" % GOAL_SPEEDUP,
                                  "n/a" if speed is None else ("PASS" if speed >= GOAL_SPEEDUP else "MISS")])
                    goals.append(["L=%d bf16 batch %d: ours / matmul-only <= %gx" % (L, B, GOAL_MATMUL_RATIO),
                                  common.fmt_num(ratio), "<= %g" % GOAL_MATMUL_RATIO,
                                  "n/a" if ratio is None else ("PASS" if ratio <= GOAL_MATMUL_RATIO else "MISS")])
    return rows, goals


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("size", nargs="?", choices=sorted(SIZES), help="model size")
    ap.add_argument("--cli", default=common.DEFAULT_CLI, help="path of ssmlens-cli (default %(default)s)")
    ap.add_argument("--lengths", default="512,2048,8192")
    ap.add_argument("--batches", default="1,8")
    ap.add_argument("--our-dtypes", default="bf16,fp32", help="dtypes for ssmlens-cli bench (default %(default)s)")
    ap.add_argument("--hf-dtypes", default="bf16", help="dtypes for the HF model (default %(default)s)")
    ap.add_argument("--runs", type=int, default=5, help="timed HF calls per shape; the median is reported")
    ap.add_argument("--warmup", type=int, default=2, help="untimed HF calls per shape")
    ap.add_argument("--decode-tokens", type=int, default=64, help="passed to ssmlens-cli bench")
    ap.add_argument("--hf-budget-s", type=float, default=240.0,
                    help="stop timing new HF shapes after this many seconds (default %(default)s)")
    ap.add_argument("--our-timeout", type=int, default=900, help="seconds allowed for ssmlens-cli bench")
    ap.add_argument("--our-extra", default="", help="extra arguments for ssmlens-cli bench (one string, split on spaces)")
    ap.add_argument("--hf-path", choices=["auto", "torch"], default="auto",
                    help="auto: whatever transformers picks (its pure-PyTorch fallback unless mamba_ssm / "
                         "causal_conv1d are installed); torch: force the pure-PyTorch fallback")
    ap.add_argument("--skip-ours", action="store_true")
    ap.add_argument("--skip-hf", action="store_true")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    ap.add_argument("--out", help="also write the Markdown report here")
    ap.add_argument("--json", help="write all numbers (ours and HF) as JSON here")
    ap.add_argument("--self-test", action="store_true", help="check the table logic and exit (no torch needed)")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    if not args.size:
        ap.error("size is required (one of %s)" % ", ".join(sorted(SIZES)))
    common.setup_offline_env()
    try:
        lengths = common.parse_int_list(args.lengths)
        batches = common.parse_int_list(args.batches)
        our_dtypes = common.parse_str_list(args.our_dtypes)
        hf_dtypes = common.parse_str_list(args.hf_dtypes)
        for d in our_dtypes + hf_dtypes:
            if d not in ("bf16", "fp32", "fp16"):
                raise ValueError("unknown dtype %r" % d)
        if args.runs < 1 or args.warmup < 0:
            raise ValueError("--runs must be >= 1 and --warmup >= 0")
    except ValueError as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    cli = os.path.abspath(args.cli)
    if not args.skip_ours and not (os.path.isfile(cli) and os.access(cli, os.X_OK)):
        print("error: %s is not an executable file (build it first, pass --cli, or --skip-ours)" % cli,
              file=sys.stderr)
        return 2
    if not args.skip_hf:
        try:
            import torch
            if not torch.cuda.is_available():
                print("error: torch sees no CUDA device (use --skip-hf to run only ours)", file=sys.stderr)
                return 2
        except ImportError as e:
            print("error: torch is needed for the HF side (%s); --skip-hf runs only ours" % e, file=sys.stderr)
            return 2

    d_model, n_layer = SIZES[args.size]
    failures = []
    info = []

    # ---- ours first, on a clean GPU
    ours = dict(rc=None, data=None, output="", seconds=0.0)
    if not args.skip_ours:
        fd, tmp_json = tempfile.mkstemp(prefix="ssmlens-bench-", suffix=".json")
        os.close(fd)
        ours = run_ours(cli, args.size, lengths, batches, our_dtypes, args.decode_tokens, tmp_json,
                        args.our_timeout, args.our_extra.split())
        try:
            os.remove(tmp_json)
        except OSError:
            pass
        info.append("ssmlens-cli bench: rc %s in %.1fs" % (ours["rc"], ours["seconds"]))
        if ours["rc"] != 0:
            failures.append("ssmlens-cli bench failed (rc %s)" % ours["rc"])
    ours_pre, ours_dec = index_ours(ours["data"])

    # ---- Hugging Face
    hf = {}
    if not args.skip_hf:
        t0 = time.time()
        try:
            hf, hf_info = bench_hf(args.size, lengths, batches, hf_dtypes, args.runs, args.warmup, args.hf_budget_s,
                                   args.hf_path)
            info += hf_info
        except Exception as e:
            import traceback
            traceback.print_exc()
            failures.append("HF benchmark failed: %s: %s" % (type(e).__name__, e))
        info.append("HF part took %.1fs" % (time.time() - t0))

    # ---- report
    all_dtypes = list(dict.fromkeys(our_dtypes + hf_dtypes))
    rows, goals = build_tables(hf, ours_pre, lengths, batches, all_dtypes)
    report = common.run_header("SSM Lens prefill vs Hugging Face transformers: %s (d_model %d, %d layers)" % (
        args.size, d_model, n_layer), [
        "CLI: `%s`" % cli,
        "HF: Mamba2ForCausalLM, random weights, %s, forward(input_ids, use_cache=False), logits for all positions, "
        "median of %d after %d warm-up (1 + 1 when a call takes > 20 s)" % (",".join(hf_dtypes), args.runs, args.warmup),
    ] + info)
    if isinstance(ours["data"], dict):
        report.append("Our bench JSON says size %s, device %s." % (ours["data"].get("size"), ours["data"].get("device")))
        report.append("")
    report.append("## Prefill")
    report.append("")
    report.append(common.md_table(["L", "batch", "dtype", "HF ms", "ours ms", "speedup HF/ours", "ours matmul-only ms",
                                   "ours/matmul", "ours tokens/s", "ours peak MB", "HF peak MB"], rows))
    report.append("")
    report.append("matmul-only = the model's matrix products alone (in_proj, out_proj, lm_head) at the same shapes, "
                  "as measured by ssmlens-cli bench. HF runs only in %s." % ",".join(hf_dtypes))
    report.append("")
    if ours_dec:
        report.append("## Decode (ours)")
        report.append("")
        report.append(common.md_table(["dtype", "batch", "tokens/s"],
                                      [[k[0], k[1], common.fmt_num(num(v, "tokens_per_s"))]
                                       for k, v in sorted(ours_dec.items())]))
        report.append("")
    report.append("## Goals")
    report.append("")
    report.append(common.md_table(["goal", "measured", "target", "status"], goals) if goals else
                  "(no L=%d bf16 shape measured)" % GOAL_LENGTH)
    report.append("")
    missed = [g for g in goals if g[3] == "MISS"]
    if ours["rc"] not in (None, 0):
        report.append("## ssmlens-cli bench output (tail)")
        report.append("")
        report.append("```")
        report.append(ours["output"][-4000:])
        report.append("```")
        report.append("")
    report.append("## Verdict")
    report.append("")
    for f in failures:
        report.append("- FAIL: " + f)
    for g in missed:
        report.append("- goal missed: %s (measured %s)" % (g[0], g[1]))
    if not failures and not missed:
        report.append("all ran; goals met" if goals and all(g[3] == "PASS" for g in goals) else "all ran")
    report.append("")
    text = "\n".join(report)
    print(text)
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as f:
            f.write(text + "\n")
        print("report written to %s" % args.out, file=sys.stderr)
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump({"size": args.size, "ours": ours["data"], "ours_rc": ours["rc"],
                       "hf": [dict(dtype=k[0], batch=k[1], length=k[2], **v) for k, v in sorted(hf.items())],
                       "goals": goals, "info": info}, f, indent=1, default=str)
    if failures or (args.strict and missed):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
