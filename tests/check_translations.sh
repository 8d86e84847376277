#!/usr/bin/env bash
# Every user-visible string of the window and the views has a German and a Chinese translation:
# lupdate extracts the current strings into scratch copies of the .ts files; none may be new or unfinished.
set -euo pipefail
src="$1"
lupdate="${2:-/usr/lib/qt6/bin/lupdate}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for lang in de zh_CN; do
  cp "$src/translations/ssmlens_$lang.ts" "$tmp/"
  (cd "$src" && "$lupdate" -I . -locations none app/gui widgets -ts "$tmp/ssmlens_$lang.ts" -no-obsolete >/dev/null)
  unfinished=$(grep -c 'type="unfinished"' "$tmp/ssmlens_$lang.ts" || true)
  if [ "$unfinished" != "0" ]; then
    echo "ssmlens_$lang.ts: $unfinished strings without a translation (run lupdate, then tools/i18n/fill_translations.py):"
    grep -B2 'type="unfinished"' "$tmp/ssmlens_$lang.ts" | grep '<source>' | head -20
    status=1
  fi
done
[ $status -eq 0 ] && echo "translations complete: de, zh_CN"
exit $status
