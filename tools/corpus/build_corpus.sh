#!/usr/bin/env bash
# Builds the English prose corpus for the demo model from Debian 12 packages.
#
#   tools/corpus/build_corpus.sh [--strict] [--latest] [OUTDIR]     (OUTDIR: build/corpus)
#
# Downloads the packages of tools/corpus/packages.lock with `apt-get download` (nothing
# is installed), unpacks them with `dpkg-deb -x` under OUTDIR/work/, strips their markup
# (extract.py), then filters, de-duplicates and splits the paragraphs (clean_split.py):
#
#   OUTDIR/train.txt, OUTDIR/heldout.txt   one paragraph per line, UTF-8, 98% / 2% by document
#   OUTDIR/stats.tsv                       per-source counts and sizes
#   OUTDIR/manifest.tsv                    package, version, sha256 of each .deb used
#   OUTDIR/licences/PKG.copyright          the copyright file of each package
#
# SOURCES="bible devil ..." picks a subset (default: all, in the order of packages.lock).
# The output is byte-for-byte the same whenever the same package versions are used.
# --latest takes the archive's current versions instead of the locked ones; --strict
# fails when a locked version can no longer be downloaded.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STRICT=0
LATEST=0
OUT=""
for arg in "$@"; do
    case "$arg" in
        --strict) STRICT=1 ;;
        --latest) LATEST=1 ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        -*) echo "unknown option: $arg" >&2; exit 2 ;;
        *) OUT="$arg" ;;
    esac
done
OUT="${OUT:-$ROOT/build/corpus}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
WORK="$OUT/work"
DEBS="$WORK/debs"
PKG="$WORK/pkg"
mkdir -p "$DEBS" "$PKG" "$OUT/licences"
start=$(date +%s)

ALL_SOURCES=$(awk '!/^#/ && NF==3 {print $1}' "$HERE/packages.lock" | uniq | tr '\n' ' ')
SOURCES="${SOURCES:-$ALL_SOURCES}"

# apt's package lists: fetched once when they are missing
if ! apt-cache show dict-gcide >/dev/null 2>&1; then
    echo "== apt-get update"
    apt-get update -qq
fi

download() {  # download PKG VERSION -> prints the .deb path
    local pkg="$1" ver="$2" want
    want="$pkg=$ver"
    [ "$LATEST" = 1 ] && want="$pkg"
    # the _apt sandbox user cannot write into our folder; we download as ourselves
    if ! (cd "$DEBS" && apt-get -qq -o APT::Sandbox::User="$(id -un)" download "$want" >/dev/null 2>&1); then
        if [ "$STRICT" = 1 ]; then
            echo "error: cannot download $want (gone from the archive? rerun with --latest)" >&2
            exit 1
        fi
        echo "warning: $want is not available; taking the archive's current $pkg" >&2
        (cd "$DEBS" && apt-get -qq -o APT::Sandbox::User="$(id -un)" download "$pkg" >/dev/null)
    fi
}

echo "== downloading and unpacking"
: > "$OUT/manifest.tsv.tmp"
printf 'source\tpackage\tversion\tsha256\n' >> "$OUT/manifest.tsv.tmp"
while read -r source pkg ver; do
    case "$source" in ''|'#'*) continue ;; esac
    case " $SOURCES " in *" $source "*) ;; *) continue ;; esac
    download "$pkg" "$ver"
    [ "$LATEST" = 1 ] && ver=$(apt-cache policy "$pkg" | awk '/Candidate:/ {print $2}')
    # apt names files PKG_VERSION_ARCH.deb with the epoch's ':' written as %3a
    deb=$(ls -1 "$DEBS/${pkg}_${ver/:/%3a}_"*.deb 2>/dev/null | head -1 || true)
    if [ -z "$deb" ]; then deb=$(ls -1t "$DEBS/${pkg}_"*.deb | head -1); fi
    real_ver=$(dpkg-deb -f "$deb" Version)
    rm -rf "${PKG:?}/$pkg"
    mkdir -p "$PKG/$pkg"
    dpkg-deb -x "$deb" "$PKG/$pkg"
    cp "$PKG/$pkg/usr/share/doc/$pkg/copyright" "$OUT/licences/$pkg.copyright" 2>/dev/null ||
        cp "$(find "$PKG/$pkg/usr/share/doc" -name copyright | head -1)" "$OUT/licences/$pkg.copyright"
    printf '%s\t%s\t%s\t%s\n' "$source" "$pkg" "$real_ver" "$(sha256sum "$deb" | cut -d' ' -f1)" >> "$OUT/manifest.tsv.tmp"
    printf '  %-9s %-20s %s\n' "$source" "$pkg" "$real_ver"
done < "$HERE/packages.lock"
mv "$OUT/manifest.tsv.tmp" "$OUT/manifest.tsv"

# The King James text is stored compressed; the package's own `bible` program decodes it.
# It links against libreadline: fetch that too where the system lacks it.
case " $SOURCES " in *" bible "*)
    if ldd "$PKG/bible-kjv/usr/bin/bible" | grep -q "not found"; then
        for lib in libreadline8 libtinfo6; do
            (cd "$DEBS" && apt-get -qq -o APT::Sandbox::User="$(id -un)" download "$lib" >/dev/null)
            dpkg-deb -x "$(ls -1t "$DEBS/${lib}_"*.deb | head -1)" "$PKG/libs"
        done
        export LD_LIBRARY_PATH="$PKG/libs/lib/x86_64-linux-gnu:$PKG/libs/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    fi ;;
esac

echo "== extracting paragraphs"
# shellcheck disable=SC2086
python3 "$HERE/extract.py" "$PKG" "$WORK/raw" $SOURCES
echo "== cleaning, de-duplicating, splitting"
# shellcheck disable=SC2086
python3 "$HERE/clean_split.py" "$WORK/raw" "$OUT" $SOURCES
echo "== $(wc -l < "$OUT/train.txt") train and $(wc -l < "$OUT/heldout.txt") held-out paragraphs in $OUT ($(( $(date +%s) - start )) s)"
sha256sum "$OUT/train.txt" "$OUT/heldout.txt"
