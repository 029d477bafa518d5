#!/usr/bin/env bash
# Build time and output sizes of the essay, measured on the release binary.
# Wall time of whole `pamphlet build` runs (process start to exit), median and best of
# N runs, for EPUB alone, PDF alone and both; then the sizes against their budgets.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/pamphlet
N=${N:-40}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$BIN" "$N" "$tmp" <<'PY'
import statistics, subprocess, sys, time, os, shutil
bin, n, tmp = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def timed(args):
    runs = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run([bin] + args, check=True, stdout=subprocess.DEVNULL)
        runs.append((time.perf_counter() - t) * 1000)
    return statistics.median(runs), min(runs)
print(f"build time over {n} runs (wall clock, ms)")
for fmt, budget in [("epub", 100), ("pdf", None), ("epub,pdf", 50)]:
    med, best = timed(["build", "book", "-o", f"{tmp}/out", "--format", fmt])
    goal = f"  (goal < {budget} ms)" if budget else ""
    print(f"  {fmt:9} median {med:6.1f}  best {best:6.1f}{goal}")
# sizes: the book as configured, and the EPUB without embedded fonts
shutil.copytree("book", f"{tmp}/plain")
toml = open(f"{tmp}/plain/book.toml").read().replace("embed-fonts = true", "embed-fonts = false")
open(f"{tmp}/plain/book.toml", "w").write(toml)
subprocess.run([bin, "build", "book", "-o", f"{tmp}/sized"], check=True, stdout=subprocess.DEVNULL)
subprocess.run([bin, "build", f"{tmp}/plain", "-o", f"{tmp}/plain-out", "--format", "epub"], check=True, stdout=subprocess.DEVNULL)
print("sizes (bytes)")
for label, path, budget in [
    ("EPUB, fonts embedded", f"{tmp}/sized/taking-stock.epub", 80 * 1024),
    ("EPUB, no fonts", f"{tmp}/plain-out/taking-stock.epub", 30 * 1024),
    ("PDF", f"{tmp}/sized/taking-stock.pdf", 80 * 1024),
]:
    size = os.path.getsize(path)
    print(f"  {label:22} {size:7}  (budget {budget}, {'ok' if size <= budget else 'OVER'})")
PY
