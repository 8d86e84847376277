#!/usr/bin/env python3
"""The table of tools/device/tune_speed.sh: for each run folder R/<size>_<shape>_<racing>/s.tune.json, the time per
candidate, evaluations per minute, the dense pass and what searches of 100, 300 and 1,000 candidates cost."""
import json
import os
import re
import sys


def main(root):
    gpu = "; ".join(open(os.path.join(root, "gpu.txt")).read().split("\n")).strip("; ") if os.path.exists(os.path.join(root, "gpu.txt")) else "?"
    print(f"# ssmlens-cli tune on random weights: {gpu}\n")
    print("| shape | calibration | racing | candidates | stopped early | s per complete candidate | "
          "candidates per minute | dense pass s | 100 candidates | 300 | 1,000 |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in sorted(os.listdir(root)):
        m = re.match(r"(.+?)_(\d+x\d+)_(racing|no-racing)$", name)
        if not m or not os.path.isdir(os.path.join(root, name)):
            continue
        p = os.path.join(root, name, "s.tune.json")
        if not os.path.exists(p):
            print(f"| {m.group(1)} | {m.group(2)} | {m.group(3)} | no report (failed or cut at the deadline: "
                  f"see its stderr.txt) | | | | | | | |")
            continue
        r = json.load(open(p))
        c = r["candidates"]
        complete = [x["seconds"] for x in c if x.get("evaluated_fraction", 1) >= 1]
        raced = len(c) - len(complete)
        search = sum(x["seconds"] for x in c)
        per = search / len(c) if c else float("nan")  # what a candidate costs on average, racing included
        full = sum(complete) / len(complete) if complete else float("nan")
        dense = r["dense_pass_seconds"]
        cost = lambda n: f"{(dense + n * per) / 60:.1f} min"
        count, length = m.group(2).split("x")
        print(f"| {m.group(1)} | {count} x {length} tokens | {m.group(3)} | {len(c)} | {raced} | {full:.2f} | "
              f"{60 / per:.1f} | {dense:.1f} | {cost(100)} | {cost(300)} | {cost(1000)} |")
    print("\nCandidates per minute and the search costs use the mean time of all candidates of the run (stopped "
          "ones included); the first round (presets and option probes) always runs to the end.")


if __name__ == "__main__":
    main(sys.argv[1])
