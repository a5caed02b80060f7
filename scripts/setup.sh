#!/usr/bin/env bash
# Install everything the project needs on a Debian machine (run as root), idempotently:
#   system packages: tesseract with its Vietnamese data, fonts for the sample generator,
#                    python3-venv; with --test also PostgreSQL (the writer tests use a real server)
#                    and chromium + chromium-driver (the review app's browser test)
#   Python packages: into .venv/ (created when absent), the project in editable mode with its test
#                    extra; with --test also the dev extra (ruff, mypy), with --bench img2table.
# Usage: scripts/setup.sh [--test] [--bench]
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0; want_bench=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    --bench) want_bench=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

PY=${PYTHON:-python3}
# fonts: the four serif families with Vietnamese letters that the generator prints with
pkgs=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-script-viet fonts-liberation2 fonts-dejavu-core fonts-dejavu-extra fonts-noto-core)
# the review app's browser test drives Debian's chromium through its chromedriver (no browser download)
[ "$want_test" = 1 ] && pkgs+=(postgresql chromium chromium-driver)
if ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then pkgs+=(python3-venv python3-pip); fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $("$PY" --version)" >&2
  "$PY" -m venv .venv
fi
extras="test"
# --test: also the dev extra (ruff and mypy at pinned versions, which scripts/test.sh runs first)
[ "$want_test" = 1 ] && extras="$extras,dev"
[ "$want_bench" = 1 ] && extras="$extras,bench"
stamp=".venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)-$extras"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[$extras]"
  if [ "$want_bench" = 1 ]; then
    # img2table requires opencv-contrib-python; our opencv-contrib-python-headless is the same
    # library with cv2.ximgproc (which img2table uses) minus the GUI, so img2table comes without
    # its dependencies (the others are the "bench" extra) and only one OpenCV build is installed
    .venv/bin/python -m pip install -q --no-deps "img2table>=1.4"
  fi
  # an older set-up (or img2table's own requirements) may have left other OpenCV builds: they
  # share the cv2 package, and whichever was installed last wins (opencv-python-headless has no
  # cv2.ximgproc, and img2table then fails on every page); keep the contrib headless build only
  others=$(.venv/bin/python -m pip list 2>/dev/null | awk 'tolower($1) ~ /^opencv/ && tolower($1) != "opencv-contrib-python-headless" {print $1}')
  if [ -n "$others" ]; then
    echo "setup: removing other OpenCV builds: $others" >&2
    .venv/bin/python -m pip uninstall -q -y $others
    .venv/bin/python -m pip install -q --force-reinstall --no-deps "opencv-contrib-python-headless>=4.8"
  fi
  rm -f .venv/.installed-*
  touch "$stamp"
fi
if [ "$want_bench" = 1 ]; then
  .venv/bin/python -m bench.preflight || exit 1
fi
echo "setup: ready ($(.venv/bin/python --version), $(tesseract --version 2>&1 | head -1))" >&2
