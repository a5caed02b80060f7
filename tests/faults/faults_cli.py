"""Running the real command line the way a user does, under a memory limit, and reading back
what it left: exit code, stderr, the manifest, the values table, stray files."""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PIPELINE = REPO / "pipeline.py"
GIB = 1 << 30
# every process of a run (the batch, the forkserver, each worker) gets this address-space limit:
# a hostile input that made any of them allocate more would fail the run, not the machine
PROCESS_MEMORY_LIMIT = 3 * GIB
WORKER_MEMORY = "1536MiB"  # --max-memory-per-worker of the runs (below PROCESS_MEMORY_LIMIT)
RUN_TIMEOUT_S = 300
TEMP_PATTERNS = (".*.tmp", ".member-*.part", ".probe-*")
# without these capabilities root obeys file permissions like any user (a chmod 000 folder is
# unreadable), so permission cases test the same thing as root and as a normal user
DROP_DAC = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    max_rss_kib: int  # the largest peak RSS of the children this test process has waited for


def command(*args: str | os.PathLike[str], workers: int = 1, worker_memory: str = WORKER_MEMORY) -> list[str]:
    base = [sys.executable, str(PIPELINE), *map(str, args), "--no-progress"]
    base += ["--workers", str(workers)]
    if "--max-memory-per-worker" not in base:
        base += ["--max-memory-per-worker", worker_memory]
    limit = ["prlimit", f"--as={PROCESS_MEMORY_LIMIT}", "--"]  # inherited by every process of the run
    return limit + (DROP_DAC if os.geteuid() == 0 else []) + base


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def run_cli(*args: str | os.PathLike[str], worker_memory: str = WORKER_MEMORY) -> Run:
    """Run ``pipeline.py ARGS --no-progress --workers 1`` in a child process under
    ``PROCESS_MEMORY_LIMIT`` (the worker under ``worker_memory``)."""
    proc = subprocess.run(
        command(*args, worker_memory=worker_memory),
        cwd=REPO,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    peak = resource.getrusage(
        resource.RUSAGE_CHILDREN
    ).ru_maxrss  # the largest of any waited-for child so far
    return Run(proc.returncode, proc.stdout, proc.stderr, peak)


def manifest_files(out: Path) -> dict[str, tuple[str, str | None, str | None]]:
    """source -> (status, reason, stage) of every input file the batch recorded."""
    db = sqlite3.connect(out / "manifest.sqlite")
    try:
        rows = db.execute("SELECT source, status, reason, stage FROM files").fetchall()
    finally:
        db.close()
    return {source: (status, reason, stage) for source, status, reason, stage in rows}


def values_of(out: Path, source: str) -> list[tuple]:
    """Every row of the long values table for the document read from ``source``, sorted."""
    from extract.writers.schema import CELL_VALUES

    state = sqlite3.connect(out / "manifest.sqlite")
    try:
        (doc,) = state.execute("SELECT document_id FROM files WHERE source = ?", (source,)).fetchone()
    finally:
        state.close()
    db = sqlite3.connect(out / "results.sqlite")
    try:
        rows = db.execute(f'SELECT * FROM "{CELL_VALUES.name}" WHERE document_id = ?', (doc,)).fetchall()
    finally:
        db.close()
    return sorted(rows, key=repr)


def leftovers(out: Path) -> list[Path]:
    """Temporary files anywhere under ``out``."""
    return sorted(p for pattern in TEMP_PATTERNS for p in out.rglob(pattern))


def snapshot(root: Path, skip: Path) -> dict[str, tuple[int, int]]:
    """path -> (size, mtime_ns) of every file under ``root`` except under ``skip`` (links not followed)."""
    out: dict[str, tuple[int, int]] = {}
    for folder, dirs, files in os.walk(root, onerror=lambda _e: None):
        dirs[:] = [d for d in dirs if Path(folder, d) != skip]
        for name in files:
            path = Path(folder, name)
            try:
                st = path.lstat()
            except OSError:
                continue
            out[str(path)] = (st.st_size, st.st_mtime_ns)
    return out


def assert_clean_stderr(run: Run) -> None:
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
