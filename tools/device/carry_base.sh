#!/usr/bin/env bash
# Puts the sources of a baseline commit into .carry/base/ (ignored), so that a device run can build it beside the
# working tree and time both in the same call (step_runner.sh builds it when the folder exists; prefill_graph.sh's
# `ab` step alternates the two CLIs). Only what the engine-only build needs travels (no demo model, no docs):
# about 4 MB of the carry's 64 MiB.
#     bash tools/device/carry_base.sh [REV]      (default: HEAD; the working tree's changes are then the "new")
# then run with carry [".carry"], e.g.  bash tools/device/prefill_graph.sh gpu ab conf
# Remove .carry/base afterwards: while it exists every device run builds it.
set -euo pipefail
cd "$(dirname "$0")/../.."
rev=${1:-HEAD}
rm -rf .carry/base && mkdir -p .carry/base
git archive "$rev" CMakeLists.txt app core tests tools translations widgets packaging | tar -x -C .carry/base
git rev-parse --short "$rev" >.carry/base/REVISION
echo ".carry/base: $(cat .carry/base/REVISION), $(du -sh .carry/base | cut -f1)"
