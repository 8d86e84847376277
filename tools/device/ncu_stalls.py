#!/usr/bin/env python3
"""Where each profiled kernel waits: tools/device/ncu_stalls.py DETAILS.txt

DETAILS.txt is `ncu --import REPORT --page details --print-details all` of a report taken with `--set full` (the
WarpStateStats, LaunchStats and InstructionStats sections). Prints one markdown row per profiled launch: grid x
block, duration, executed warp instructions, cycles per issued instruction and the largest stall reasons (cycles
of that figure, those of at least 0.5), which tells a kernel that waits (latency: barriers, memory round trips)
from one that is busy (throughput)."""
import re
import sys

LAUNCH = re.compile(r"^  (?:void )?\S*?(\w+)(?:<[^(]*>)?\(.*\) \((\d+), (\d+), (\d+)\)x\((\d+), (\d+), (\d+)\)")
VALUE = re.compile(r"^\s{4}(.+?)\s{2,}(\S+)?\s+([\d.,]+)\s*$")


def launches(lines):
    """Yields (name, grid, block, {metric: value}) per launch section of the details page."""
    current = None
    for line in lines:
        m = LAUNCH.match(line)
        if m:
            if current:
                yield current
            grid = "x".join(g for g in m.group(2, 3, 4) if g != "1") or "1"
            block = "x".join(b for b in m.group(5, 6, 7) if b != "1") or "1"
            current = (m.group(1), grid, block, {})
            continue
        m = VALUE.match(line)
        if current and m:
            # The first value of a name counts (a name can come again in a later table of the section).
            current[3].setdefault(m.group(1).strip(), float(m.group(3).replace(",", "")))
    if current:
        yield current


def main():
    rows = list(launches(open(sys.argv[1], errors="replace")))
    if not rows:
        print("(no launches in the details page)")
        return
    print("| kernel | grid x threads | us | warp instructions | cycles per issued instruction | top stalls (cycles of it) |")
    print("|---|---|---|---|---|---|")
    for name, grid, block, v in rows:
        stalls = sorted(((value, key[len("Stall "):].lower()) for key, value in v.items()
                         if key.startswith("Stall ") and value >= 0.5), reverse=True)
        instructions = v.get("Executed Instructions", 0.0)
        shown = f"{instructions / 1e6:.2f} M" if instructions >= 1e5 else f"{instructions / 1e3:.1f} k"
        print(f"| {name} | {grid} x {block} | {v.get('Duration', 0.0):.1f} | {shown} | "
              f"{v.get('Warp Cycles Per Issued Instruction', 0.0):.1f} | "
              + ", ".join(f"{reason} {value:.1f}" for value, reason in stalls[:4]) + " |")


if __name__ == "__main__":
    main()
