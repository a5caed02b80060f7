#!/usr/bin/env bash
# One command: install what is needed (PostgreSQL included), start a throwaway PostgreSQL
# server for the writer tests, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export OMP_THREAD_LIMIT=1
EXTRACT_TEST_PG_URL=$(scripts/postgres.sh)
export EXTRACT_TEST_PG_URL
exec .venv/bin/python -m pytest -q "$@"
