"""Runs cut short (Ctrl-C, ``kill -9`` while an output is written) and a page that needs more
memory than its worker may use: each time the re-run, or the rest of the batch, comes out exactly
as an uninterrupted run of the good scans (real OCR)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from faults_cli import (
    REPO,
    RUN_TIMEOUT_S,
    Run,
    assert_clean_stderr,
    command,
    environment,
    leftovers,
    manifest_files,
    run_cli,
    values_of,
)
from PIL import Image, ImageDraw

from extract.writers.schema import CELL_VALUES

# four pages, so that a Ctrl-C sent once the first page is stored lands while pages are still being
# computed (with two, a loaded machine had finished the second before the signal arrived)
SCANS = ("8B_9B_13B_clean_200.png", "8B_9B_13B_clean_200-p2.png", "14B_mild.png", "5B_hard_150.jpg")
EXIT_INTERRUPTED = 130
HUGE_SIDE = 9000  # 81 megapixels: under the page limit (89), over what 1 GiB of address space can process


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The two good scans and an uninterrupted run of them."""
    root = tmp_path_factory.mktemp("interrupt")
    folder = root / "good"
    folder.mkdir()
    paths = [folder / name for name in SCANS]
    for name, path in zip(SCANS, paths, strict=True):
        shutil.copyfile(REPO / "samples" / name, path)
    run = run_cli(*paths, "--out", root / "alone")
    assert run.code == 0, run.stderr[-2000:]
    yield {"root": root, "paths": paths, "alone": root / "alone"}


def _same_values(out: Path, scans: dict) -> None:
    for path in scans["paths"]:
        expected = values_of(scans["alone"], str(path))
        assert expected
        assert values_of(out, str(path)) == expected


def _stored_pages(out: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{out / 'manifest.sqlite'}?mode=ro", uri=True, timeout=1)
        try:
            return db.execute("SELECT count(*) FROM pages").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def _start_and_wait_for_a_page(out: Path, scans: dict) -> subprocess.Popen[str]:
    """Start the batch in its own process group; return once it has stored a page.

    The run must not inherit an ignored SIGINT (a test runner started in the background, or a
    library of an earlier test, may ignore it, and an ignored signal stays ignored across exec):
    a handled disposition is reset to the default in the child, so SIGINT is handled meanwhile."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen(
            command(*scans["paths"], "--out", out),
            env=environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
    finally:
        signal.signal(signal.SIGINT, before)
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while _stored_pages(out) < 1 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return proc


def test_kill_9_of_the_whole_run_then_a_rerun_equals_an_uninterrupted_run(scans: dict) -> None:
    out = scans["root"] / "kill_9"
    proc = _start_and_wait_for_a_page(out, scans)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=RUN_TIMEOUT_S)
    assert proc.returncode == -signal.SIGKILL
    again = run_cli(*scans["paths"], "--out", out)
    assert again.code == 0, again.stderr[-2000:]
    assert_clean_stderr(again)
    _same_values(out, scans)
    assert leftovers(out) == []


def _interrupted_run(scans: dict, tries: int = 3) -> tuple[Path, subprocess.Popen[str], str]:
    """A run that Ctrl-C reached while it was still working: on a loaded machine the whole batch
    can finish between two looks at the manifest, and a signal to a finished run tests nothing,
    so such a try is started again in a fresh folder (at most ``tries`` times)."""
    for attempt in range(tries):
        out = scans["root"] / f"ctrl_c_{attempt}"
        proc = _start_and_wait_for_a_page(out, scans)
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            _stdout, stderr = proc.communicate(timeout=RUN_TIMEOUT_S)
            return out, proc, stderr
        proc.communicate(timeout=RUN_TIMEOUT_S)
    raise AssertionError(f"the run finished before Ctrl-C could reach it, {tries} times")


def test_ctrl_c_exits_130_without_traceback_and_the_rerun_equals_an_uninterrupted_run(scans: dict) -> None:
    out, proc, stderr = _interrupted_run(scans)
    assert proc.returncode == EXIT_INTERRUPTED, stderr
    assert "Traceback" not in stderr
    assert "interrupted: re-run the same command to resume" in stderr
    again = run_cli(*scans["paths"], "--out", out)
    assert again.code == 0, again.stderr[-2000:]
    reused = re.search(r"computed (\d+) page\(s\).*reused (\d+)", again.stderr)
    assert reused and int(reused.group(2)) >= 1 and int(reused.group(1)) >= 1, again.stderr[-2000:]
    _same_values(out, scans)
    assert leftovers(out) == []


KILLED_WRITER = """
import os, sys
from pathlib import Path
from extract.writers.files import atomic_path
with atomic_path(Path(sys.argv[1])) as tmp:
    tmp.write_bytes(b"half a file")
    os._exit(9)  # what kill -9 does to a writer: no clean-up runs
"""


def test_temporary_files_of_a_killed_writer_are_removed_by_the_next_run(scans: dict) -> None:
    out = scans["root"] / "killed"
    shutil.copytree(scans["alone"], out)
    json_file = next((out / "json").glob("*.json"))
    long_csv = f"{CELL_VALUES.name}.csv"
    for final in (out / "csv" / long_csv, json_file, out / "csv" / "wide" / "8B.csv"):
        subprocess.run([sys.executable, "-c", KILLED_WRITER, str(final)], env=environment(), check=False)
    (out / "cache").mkdir(exist_ok=True)
    (out / "cache" / ".member-killed.part").write_bytes(b"part of a member")
    planted = leftovers(out)
    assert len(planted) == 4
    run = run_cli(*scans["paths"], "--out", out)
    assert run.code == 0, run.stderr[-2000:]
    assert_clean_stderr(run)
    assert "removed 4 temporary file(s) left by an interrupted run" in run.stderr
    assert leftovers(out) == []
    _same_values(out, scans)
    assert (out / "csv" / long_csv).read_bytes() == (scans["alone"] / "csv" / long_csv).read_bytes()


def _huge_page(path: Path) -> Path:
    image = Image.new("L", (HUGE_SIDE, HUGE_SIDE), 255)
    draw = ImageDraw.Draw(image)
    for at in range(0, HUGE_SIDE, 300):
        draw.line([(at, 0), (at, HUGE_SIDE - 1)], fill=0, width=3)
        draw.line([(0, at), (HUGE_SIDE - 1, at)], fill=0, width=3)
    image.save(path, dpi=(600, 600))
    return path


def test_a_page_over_its_workers_memory_limit_fails_alone(scans: dict) -> None:
    huge = _huge_page(scans["root"] / "huge.png")
    out = scans["root"] / "memory"
    run: Run = run_cli(huge, *scans["paths"], "--out", out, worker_memory="1GiB")
    assert run.code == 1, run.stderr[-2000:]
    assert_clean_stderr(run)
    status, reason, _stage = manifest_files(out)[str(huge)]
    assert status == "failed"
    assert "needed more memory than its limit of 1.0 GiB; see --max-memory-per-worker" in (reason or "")
    _same_values(out, scans)
    assert leftovers(out) == []
