#!/usr/bin/env bash
# Installs the Debian 12 packages SSM Lens builds and tests with. Safe to run again: apt skips what is there.
# Slurm and munge are for the test that runs sharded evaluations on a one-node Slurm cluster
# (tests/test_slurm_cluster.sh); the test starts its own daemons and configuration, the system's stay unused.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev qt6-translations-l10n libgl-dev
  libqcustomplot-dev libqcustomplot2.1-qt6
  libtorch-dev libopenblas0-openmp libsentencepiece-dev nlohmann-json3-dev libicu-dev
  xvfb xauth
  slurmctld slurmd slurm-client munge
  fonts-wqy-microhei   # a CJK font, so the Chinese window is readable under Xvfb (tests, screenshots)
  # The sanitizer and fuzzing build (tools/test_sanitized.sh): clang with libFuzzer, ASan and UBSan runtimes;
  # llvm for llvm-symbolizer (readable stack traces in sanitizer reports).
  clang libclang-rt-14-dev llvm
  # LLVM's linker: each test program links libtorch, ~2-3 s with GNU ld and ~0.2 s with lld (CMakeLists.txt,
  # SSMLENS_LINKER).
  lld
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
