"""``kill -9`` in the middle of a batch, then a re-run: the result equals an uninterrupted run's,
and no page that was stored before the kill is computed again."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from batch_fakes import functions
from batch_helpers import REPO, dump_sqlite, write_good

from extract.cli import main

DRIVER = (
    "import sys, batch_fakes; from extract.cli import main; "
    "raise SystemExit(main(sys.argv[1:], functions=batch_fakes.functions()))"
)
N_FILES = 10
PAGES_EACH = 3
SLEEP_S = 0.12  # per fake page: ~1.8 s of work for 2 workers
KILL_AFTER_PAGES = 8
TIMEOUT_S = 60


def _stored_pages(manifest: Path) -> set[tuple[str, int]]:
    try:
        db = sqlite3.connect(f"file:{manifest}?mode=ro", uri=True, timeout=1)
        try:
            return set(db.execute("SELECT document_id, page_index FROM pages").fetchall())
        finally:
            db.close()
    except sqlite3.Error:
        return set()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _calls(path: Path) -> set[tuple[str, int]]:
    return (
        {(d, int(p)) for d, p in (line.split() for line in path.read_text().splitlines())}
        if path.exists()
        else set()
    )


def test_kill_9_then_rerun_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    names = {f"r{i:02d}.pdf": PAGES_EACH for i in range(N_FILES - 1)} | {"r99_failpage.pdf": PAGES_EACH}
    inputs = write_good(tmp_path / "in", names)
    args = [str(tmp_path / "in"), "--format", "sqlite,csv,json", "--no-progress"]

    reference = tmp_path / "reference"
    assert main([*args, "--out", str(reference), "--serial"], functions=functions()) == 1

    out = tmp_path / "out"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), str(REPO)]),
        "OMP_THREAD_LIMIT": "1",
        "BATCH_FAKE_SLEEP": str(SLEEP_S),
        "BATCH_FAKE_CALLS": str(tmp_path / "calls1"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, *args, "--out", str(out), "--workers", "2"],
        cwd=tmp_path,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + TIMEOUT_S
    try:
        while len(_stored_pages(out / "manifest.sqlite")) < KILL_AFTER_PAGES:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "the batch stored too few pages in time"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        # the pool's workers notice that the batch process is gone and exit
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _group_alive(proc.pid), "worker processes outlived the killed batch"
    finally:
        if _group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL

    stored = _stored_pages(out / "manifest.sqlite")
    total = N_FILES * PAGES_EACH
    assert KILL_AFTER_PAGES <= len(stored) < total, "the kill did not land mid-batch"

    env = {**env, "BATCH_FAKE_SLEEP": "0", "BATCH_FAKE_CALLS": str(tmp_path / "calls2")}
    rerun = subprocess.run(
        [sys.executable, "-c", DRIVER, *args, "--out", str(out), "--workers", "2"],
        check=False,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=TIMEOUT_S,
    )
    assert rerun.returncode == 1, rerun.stderr.decode()

    recomputed = _calls(tmp_path / "calls2")
    assert not recomputed & stored  # nothing that finished is redone
    assert len(recomputed | stored) == total and len(recomputed) == total - len(stored)
    assert dump_sqlite(out / "results.sqlite") == dump_sqlite(reference / "results.sqlite")
    for name in ("cell_values.csv", "pages.csv", "manifest.csv", "wide/5B.csv"):
        assert (out / "csv" / name).read_bytes() == (reference / "csv" / name).read_bytes(), name
    ref_json = {p.name: p.read_bytes() for p in (reference / "json").glob("*.json")}
    assert {p.name: p.read_bytes() for p in (out / "json").glob("*.json")} == ref_json
    assert len(ref_json) == len(inputs)
