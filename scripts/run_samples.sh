#!/usr/bin/env bash
# One command: install what is needed, then run the main job over samples/ with the embedded
# defaults (SQLite + CSV + JSON in out/, a local process pool).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export OMP_THREAD_LIMIT=1
exec .venv/bin/python pipeline.py samples --out out "$@"
