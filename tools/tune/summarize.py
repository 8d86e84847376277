#!/usr/bin/env python3
"""Summary tables of tools/tune/measure_demo.sh runs: reads OUTDIR/*/s.tune.json, prints Markdown."""
import json
import math
import os
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def best_at(cands, target, upto=None):
    """Lowest complete objective at >= target among the first `upto` candidates."""
    best = None
    for c in cands[:upto]:
        if c["flops_reduction_pct"] < target or c.get("evaluated_fraction", 1) < 1:
            continue
        if best is None or c["objective_kl"] < best["objective_kl"]:
            best = c
    return best


def main(out):
    runs = {}
    stopped = {}  # runs cut before their end: the candidates of their last saved round (s.tune-state.json)
    for name in sorted(os.listdir(out)):
        p = os.path.join(out, name, "s.tune.json")
        state = os.path.join(out, name, "s.tune-state.json")
        if os.path.exists(p):
            runs[name] = load(p)
        elif os.path.exists(state):
            stopped[name + " (stopped; saved rounds)"] = load(state)
    print("# Tuner runs in", out, "\n")
    print("| run | candidates | stopped early | search s | best KL | paper preset KL | best / paper | best FLOPs -% | best schedule |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, r in runs.items():
        target = r["setup"]["target_flops_reduction_pct"]
        c = r["candidates"]
        b = best_at(c, target)
        paper = next((x for x in c if x["origin"] == "preset" and x["target_flops_reduction_pct"] == target), None)
        raced = sum(1 for x in c if x.get("evaluated_fraction", 1) < 1)
        sched = b["schedule"]
        opts = sched["options"]
        text = f'{sched["method"]} {opts["metric"]}/{opts["hidden"]}/{opts["residual"]}/{opts["granularity"]}; {b["anchors_text"]}'
        print(f'| {name} | {len(c)} | {raced} | {r["seconds"]:.0f} | {b["objective_kl"]:.4f} | '
              f'{paper["objective_kl"]:.4f} | {b["objective_kl"] / paper["objective_kl"]:.3f} | '
              f'{b["flops_reduction_pct"]:.2f} | {text} |')
    # Best so far against the number of candidates, for the search comparison.
    marks = [8, 16, 24, 32, 48, 64, 96]
    comp = {n: r for n, r in list(runs.items()) + list(stopped.items()) if n.startswith(("evolution", "random"))}
    if comp:
        print("\nBest KL at the target after N candidates (calibration data):\n")
        print("| run | " + " | ".join(f"N={m}" for m in marks) + " |")
        print("| --- | " + " | ".join("---:" for _ in marks) + " |")
        for name, r in comp.items():
            target = r["setup"]["target_flops_reduction_pct"]
            cells = []
            for m in marks:
                b = best_at(r["candidates"], target, m) if m <= len(r["candidates"]) else None
                cells.append(f'{b["objective_kl"]:.4f}' if b else "")
            print(f"| {name} | " + " | ".join(cells) + " |")
    # The tuned schedule of every compared run on held-out data (HELDOUT=1 measure_demo.sh compare): does the
    # better calibration objective carry over to data the search never saw?
    held = {n: r["heldout"] for n, r in runs.items() if n.startswith(("evolution", "random")) and r.get("heldout")}
    if held:
        print("\nThe best schedule of each run on the held-out data:\n")
        print("| run | held-out KL | lambada ppl | lambada acc | cloze acc | cloze acc_norm | text ppl |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, h in held.items():
            def first(source_start, metric):
                for row in h["rows"]:
                    if row["source"].startswith(source_start) and row["metric"].startswith(metric):
                        return row["values"][0]
                return None
            fmt = lambda v: "-" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.4f}"
            print(f'| {name} | {fmt(first("all held-out", "objective"))} | {fmt(first("lambada", "perplexity"))} | '
                  f'{fmt(first("lambada", "acc"))} | {fmt(first("hellaswag", "acc"))} | '
                  f'{fmt(first("hellaswag", "acc_norm"))} | {fmt(first("heldout_sample", "perplexity"))} |')
    for name, r in runs.items():
        h = r.get("heldout")
        if not h:
            continue
        print(f"\nHeld-out comparison of `{name}` ({h['data']}; {h['seconds']:.0f} s):\n")
        print("| source | metric | dense | " + " | ".join(f"[{i + 1}]" for i in range(len(h["names"]))) + " |")
        print("| --- | --- | ---: | " + " | ".join("---:" for _ in h["names"]) + " |")
        for row in h["rows"]:
            fmt = lambda v: "-" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.4f}"
            print(f'| {row["source"]} | {row["metric"]} | {fmt(row["dense"])} | ' + " | ".join(fmt(v) for v in row["values"]) + " |")
        for i, (n, s) in enumerate(zip(h["names"], h["schedules"])):
            anchors = " ".join(f'{a["layer"]}:{a["keep_ratio"]}' for a in s["anchors"])
            o = s["options"]
            print(f'\n[{i + 1}] {n}: {s["method"]} {o["metric"]}/{o["hidden"]}/{o["residual"]}/{o["granularity"]}; {anchors}')


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build/tune-measure")
