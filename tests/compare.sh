#!/usr/bin/env bash
# Sets the essay with pamphlet and, where they are installed, with pandoc + LuaLaTeX
# (microtype: protrusion and expansion), pandoc + XeLaTeX and Typst, all at A5, 10 pt,
# 18 mm margins in Charis SIL, and prints typometrics' figures side by side.
# TYPOMETRICS may point at typometrics.py; by default it is ../shared/tools/.
set -euo pipefail
cd "$(dirname "$0")/.."
TM=${TYPOMETRICS:-../shared/tools/typometrics.py}
[ -f "$TM" ] || { echo "compare: typometrics.py not found at $TM (set TYPOMETRICS)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fontdir="$PWD/fonts"
declare -a names files

names+=("pamphlet (defaults)"); files+=("out/taking-stock.pdf")
# The same page as the others: 18 mm on every side.
cp -r book "$tmp/book18"
sed -i 's/^paper = "a5"$/paper = "a5"\nmargins = { top = "18mm", bottom = "18mm", inner = "18mm", outer = "18mm" }/' "$tmp/book18/book.toml"
target/release/pamphlet build "$tmp/book18" -o "$tmp/out18" --format pdf >/dev/null
names+=("pamphlet (18 mm)"); files+=("$tmp/out18/taking-stock.pdf")

latex_args=(-V papersize=a5 -V fontsize=10pt -V geometry:margin=18mm -V mainfont="Charis SIL"
  -V mainfontoptions="Path=$fontdir/,Extension=.ttf,UprightFont=CharisSIL-Regular,ItalicFont=CharisSIL-Italic,BoldFont=CharisSIL-Bold,BoldItalicFont=CharisSIL-BoldItalic")
if command -v pandoc >/dev/null && command -v lualatex >/dev/null; then
  # pandoc's LaTeX template loads microtype, which under LuaLaTeX enables protrusion
  # and font expansion by default.
  pandoc book/manuscript.md -o "$tmp/lualatex.pdf" --pdf-engine=lualatex "${latex_args[@]}" && {
    names+=("LuaLaTeX+microtype"); files+=("$tmp/lualatex.pdf"); }
fi
if command -v pandoc >/dev/null && command -v xelatex >/dev/null; then
  pandoc book/manuscript.md -o "$tmp/xelatex.pdf" --pdf-engine=xelatex "${latex_args[@]}" && {
    names+=("XeLaTeX"); files+=("$tmp/xelatex.pdf"); }
fi
if command -v pandoc >/dev/null && command -v typst >/dev/null; then
  pandoc book/manuscript.md -t typst -o "$tmp/essay.typ" \
    -V papersize=a5 -V fontsize=10pt -V margin='(x: 18mm, y: 18mm)' -V mainfont="Charis SIL" &&
  typst compile --font-path "$fontdir" "$tmp/essay.typ" "$tmp/typst.pdf" && {
    names+=("Typst"); files+=("$tmp/typst.pdf"); }
fi

python3 - "$TM" "${#names[@]}" "${names[@]}" "${files[@]}" <<'PY'
import json, subprocess, sys
tm, n = sys.argv[1], int(sys.argv[2])
names, files = sys.argv[3:3 + n], sys.argv[3 + n:3 + 2 * n]
rows = [json.loads(subprocess.run([sys.executable, tm, f, "--json"], check=True,
        capture_output=True, text=True).stdout) for f in files]
keys = ["pages", "lines", "space_median", "space_p95", "space_max", "loose_lines", "tight_lines",
        "hyphen_lines", "hyphen_run_max", "overfull_lines", "widows", "orphans"]
w = max(len(x) for x in names) + 2
print("| figure |" + "|".join(f" {x} " for x in names) + "|")
print("|---|" + "|".join("---:" for _ in names) + "|")
for k in keys:
    print(f"| {k} |" + "|".join(f" {r.get(k)} " for r in rows) + "|")
PY
