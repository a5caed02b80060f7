#!/usr/bin/env bash
# One command: install what is needed (PostgreSQL, Chromium, img2table, ruff and mypy included), check
# the code (ruff format --check ., ruff check ., mypy extract: any finding fails the run, with one line
# saying which check), start a throwaway PostgreSQL server for the writer tests, then run the whole
# test suite.  A server this script started is
# stopped again when it ends, whether the tests pass, fail or are interrupted; one that was
# already running (started by hand with scripts/postgres.sh) is left running.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test --bench   # --bench: img2table, whose start-up check (bench/preflight.py) is tested
export OMP_THREAD_LIMIT=1

# the checks (versions pinned in pyproject.toml's dev extra); each prints its findings, then one line
check() {
  local name=$1; shift
  if ! "$@"; then
    echo "test.sh: FAILED: $name found problems (see above); the tests were not run" >&2
    exit 1
  fi
}
check "ruff format --check . (run: .venv/bin/ruff format .)" .venv/bin/ruff format --check --quiet .
check "ruff check ." .venv/bin/ruff check --quiet .
check "mypy extract" .venv/bin/python -m mypy extract
echo "test.sh: ruff format, ruff check and mypy passed" >&2

if ! scripts/postgres.sh status; then
  trap 'scripts/postgres.sh stop' EXIT
fi
EXTRACT_TEST_PG_URL=$(scripts/postgres.sh)
export EXTRACT_TEST_PG_URL
.venv/bin/python -m pytest -q "$@"
