#!/usr/bin/env bash
# One command: install what is needed (PostgreSQL, Chromium and img2table included), start a throwaway PostgreSQL
# server for the writer tests, then run the whole test suite.  A server this script started is
# stopped again when it ends, whether the tests pass, fail or are interrupted; one that was
# already running (started by hand with scripts/postgres.sh) is left running.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test --bench   # --bench: img2table, whose start-up check (bench/preflight.py) is tested
export OMP_THREAD_LIMIT=1
if ! scripts/postgres.sh status; then
  trap 'scripts/postgres.sh stop' EXIT
fi
EXTRACT_TEST_PG_URL=$(scripts/postgres.sh)
export EXTRACT_TEST_PG_URL
.venv/bin/python -m pytest -q "$@"
