#!/usr/bin/env python3
"""Tables from an Nsight Compute CSV (ncu --csv --print-units base): tools/device/ncu_table.py FILE [metrics|passes=N].

Without `metrics`: total gpu__time_duration per kernel name, launches and share, the 25 largest; with
`passes=N`, launches and totals divided by N (the CSV holds N passes of the same work: per pass).
With `metrics`: the mean of every metric per kernel name, one column per metric."""
import collections
import csv
import sys

rows = [r for r in csv.reader(line for line in open(sys.argv[1]) if line.startswith('"'))]
if not rows:
    print("(no kernels profiled)\n")
    sys.exit(0)
head, body = rows[0], rows[1:]
ki, mi, vi = head.index("Kernel Name"), head.index("Metric Name"), head.index("Metric Value")
name = lambda r: r[ki].split("(")[0][:90].replace("|", "/")
if len(sys.argv) > 2 and sys.argv[2] == "metrics":
    sums = collections.defaultdict(float)
    counts = collections.Counter()
    metrics = []
    for r in body:
        try:
            v = float(r[vi].replace(",", ""))
        except ValueError:
            continue
        if r[mi] not in metrics:
            metrics.append(r[mi])
        sums[(name(r), r[mi])] += v
        counts[(name(r), r[mi])] += 1
    kernels = sorted({k for k, _ in sums})
    print("| kernel | " + " | ".join(metrics) + " |\n|---|" + "---|" * len(metrics))
    for k in kernels:
        cells = ["%.4g" % (sums[(k, m)] / counts[(k, m)]) if counts[(k, m)] else "" for m in metrics]
        print("| %s | %s |" % (k, " | ".join(cells)))
    print()
    sys.exit(0)
tot = collections.defaultdict(float)
cnt = collections.Counter()
for r in body:
    if r[mi] != "gpu__time_duration.sum":
        continue
    try:
        v = float(r[vi].replace(",", ""))
    except ValueError:
        continue
    tot[name(r)] += v
    cnt[name(r)] += 1
passes = 1
if len(sys.argv) > 2 and sys.argv[2].startswith("passes="):
    passes = int(sys.argv[2][len("passes="):])
    for k in tot:
        tot[k] /= passes
all_ns = sum(tot.values())
print("| kernel | launches | total us | mean us | share |\n|---|---|---|---|---|")
for k, v in sorted(tot.items(), key=lambda kv: -kv[1])[:25]:
    launches = cnt[k] / passes
    print("| %s | %g | %.1f | %.2f | %.1f%% |" % (k, launches, v / 1e3, v / 1e3 / launches, 100 * v / all_ns))
print("| all kernels | %g | %.1f | | |\n" % (sum(cnt.values()) / passes, all_ns / 1e3))
