#!/usr/bin/env bash
# Install everything the project needs on a Debian machine (run as root), idempotently:
#   system packages: tesseract with its Vietnamese data, fonts for the sample generator,
#                    python3-venv; with --test also PostgreSQL (the writer tests use a real server)
#                    and chromium + chromium-driver (the review app's browser test)
#   Python packages: into .venv/ (created when absent), the project in editable mode.
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
pkgs=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-script-viet fonts-liberation2 fonts-dejavu-core)
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
[ "$want_bench" = 1 ] && extras="test,bench"
stamp=".venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)-$extras"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[$extras]"
  if [ "$want_bench" = 1 ]; then
    # img2table pulls opencv-contrib-python (with GUI libs); keep our headless build in charge of cv2
    .venv/bin/python -m pip install -q --force-reinstall --no-deps "opencv-python-headless>=4.8"
  fi
  rm -f .venv/.installed-*
  touch "$stamp"
fi
echo "setup: ready ($(.venv/bin/python --version), $(tesseract --version 2>&1 | head -1))" >&2
