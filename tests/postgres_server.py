"""The PostgreSQL server of the tests: ``EXTRACT_TEST_PG_URL``, else a throwaway server started
with scripts/postgres.sh (so PostgreSQL tests always run)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POSTGRES_SH_TIMEOUT_S = 180


def postgres_test_url() -> str:
    """The server's URL (not yet normalised by ``extract.writers.postgres.postgres_url``)."""
    url = os.environ.get("EXTRACT_TEST_PG_URL")
    if url:
        return url
    done = subprocess.run(
        ["bash", str(REPO / "scripts" / "postgres.sh")],
        check=False,
        capture_output=True,
        text=True,
        timeout=POSTGRES_SH_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()
